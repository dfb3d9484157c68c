/* api/voice/survey_answers_api.c: answering surveys — a resident's open surveys, an
 * answer for one of their rooms, and the invitation link's page and answer (no login). */
#include <string.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/voice/voice_api.h"

void api_me_surveys(req *r)
{
    survey_invite *items;
    size_t n;
    if (survey_mine(r->db, &r->who, &r->a, &items, &n, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *o = surveys_api_json(&items[i].s);
        json_object_set_new(o, "room_id", json_integer(items[i].room_id));
        json_object_set_new(o, "room", json_string(items[i].room));
        json_array_append_new(arr, o);
    }
    reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

static const char *const survey_answers_api_room[] = {"room_id", "answers", "comments", NULL};
static const char *const survey_answers_api_link[] = {"answers", "comments", NULL};

static int survey_answers_api_input(json_t *b, survey_answer *in, aj_error *err)
{
    in->answers = json_object_get(b, "answers");
    in->comments = json_object_get(b, "comments");
    if (!in->answers) return aj_fail(err, AJ_EINVAL, "answers", "缺少必填字段 answers");
    if (json_is_null(in->comments)) in->comments = NULL;
    return 0;
}

/* POST /surveys/{id}/responses {"room_id","answers","comments"}: no id comes back — the
 * answer is the room's no more. */
void api_surveys_answer(req *r)
{
    int64_t id, room_id = 0;
    json_t *b;
    survey_answer in;
    if (!req_path_id_or_reply(r, "id", &id) || !(b = req_json_or_reply(r))) return;
    if (jv_only(b, survey_answers_api_room, &r->err) ||
        jv_int(b, "room_id", JV_REQUIRED, 1, INT64_MAX, &room_id, NULL, &r->err) ||
        survey_answers_api_input(b, &in, &r->err) ||
        survey_answer_room(r->db, &r->who, id, room_id, &in, &r->err))
        return reply_error(r);
    reply_json(r, 201, json_pack("{s:I, s:b}", "survey_id", (json_int_t)id, "answered", 1));
}

void api_public_survey_get(req *r)
{
    survey s;
    const char *project_name;
    int answered;
    if (survey_by_token(r->db, req_param(r, "token"), &r->a, &s, &project_name, &answered, &r->err))
        return reply_error(r);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:b, s:b}", "survey_id", (json_int_t)s.id,
                          "title", s.title, "project_name", project_name, "state", s.state, "dimensions",
                          json_loads(s.dimensions, 0, NULL), "questions",
                          json_loads(s.questions, 0, NULL), "answered", answered, "anonymous", 1);
    json_object_set_new(o, "closes_at", out_time(s.closes_at, s.tz_offset));
    reply_json(r, 200, o);
    reply_header(r, "Cache-Control", "no-store");
}

void api_public_survey_answer(req *r)
{
    json_t *b;
    survey_answer in;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, survey_answers_api_link, &r->err) || survey_answers_api_input(b, &in, &r->err) ||
        survey_answer_token(r->db, req_param(r, "token"), &in, &r->err))
        return reply_error(r);
    reply_json(r, 201, json_pack("{s:b}", "answered", 1));
}
