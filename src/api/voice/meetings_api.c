/* api/voice/meetings_api.c: HTTP face of resident meetings (座谈会) and their topics turned
 * into tickets or plans, and of mystery-shopper visits (神秘客). */
#include <string.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/voice/voice_api.h"

static json_t *meetings_api_id(int64_t id) { return id ? json_integer(id) : json_null(); }

static json_t *meetings_api_json(const meeting *m)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:I, s:s, s:s}", "id", (json_int_t)m->id, "project_id",
                          (json_int_t)m->project_id, "title", m->title, "place", m->place, "attendees",
                          (json_int_t)m->attendees, "attendee_note", m->attendee_note, "summary", m->summary);
    json_object_set_new(o, "held_at", out_time(m->held_at, m->tz_offset));
    json_object_set_new(o, "created_at", out_time(m->created_at, m->tz_offset));
    json_t *ts = json_array();
    for (size_t i = 0; i < m->ntopics; i++)
        json_array_append_new(ts, json_pack("{s:i, s:s, s:o, s:o}", "seq", m->topics[i].seq, "text",
                                            m->topics[i].text, "ticket_id", meetings_api_id(m->topics[i].ticket_id),
                                            "improvement_id", meetings_api_id(m->topics[i].improvement_id)));
    json_object_set_new(o, "topics", ts);
    return o;
}

static const char *const meetings_api_fields[] = {"project_id", "held_at", "title", "place", "attendees",
                                                  "attendee_note", "summary", "topics", NULL};

void api_meetings_create(req *r)
{
    json_t *b;
    meeting_input in = {0};
    meeting m;
    const char **topics = NULL;
    int present;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, meetings_api_fields, &r->err) ||
        jv_int(b, "project_id", JV_REQUIRED, 1, INT64_MAX, &in.project_id, NULL, &r->err) ||
        jv_time(b, "held_at", JV_REQUIRED, &in.held_at, &r->err) ||
        jv_str(b, "title", JV_REQUIRED, 400, &in.title, &r->err) || jv_str(b, "place", 0, 400, &in.place, &r->err) ||
        jv_int(b, "attendees", 0, 0, 100000, &in.attendees, NULL, &r->err) ||
        jv_str(b, "attendee_note", 0, 1000, &in.attendee_note, &r->err) ||
        jv_str(b, "summary", 0, 10000, &in.summary, &r->err) ||
        jv_strs(b, "topics", 0, MEETING_MAX_TOPICS, 2000, &r->a, &topics, &in.ntopics, &present, &r->err) ||
        (in.topics = topics, 0) || meeting_create(r->db, &r->who, &in, &r->a, &m, &r->err))
        return reply_error(r);
    reply_json(r, 201, meetings_api_json(&m));
}

void api_meetings_list(req *r)
{
    page_req pg;
    int64_t project_id = 0;
    meeting *items;
    size_t n;
    int more;
    if (!req_staff_or_reply(r) || !out_page_or_reply(r, &pg) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &project_id, NULL))
        return;
    if (meeting_list(r->db, &r->who, project_id, &pg, &r->a, &items, &n, &more, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, meetings_api_json(&items[i]));
    pg.want_total = 0;
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, 0);
}

void api_meetings_get(req *r)
{
    int64_t id;
    meeting m;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (meeting_get(r->db, &r->who, id, &r->a, &m, &r->err)) return reply_error(r);
    reply_json(r, 200, meetings_api_json(&m));
}

static const char *const meetings_api_topic[] = {"kind", "category", NULL};

/* POST /meetings/{id}/topics/{seq}/actions/{ticket|plan} {"kind","category"} */
void api_meetings_topic(req *r)
{
    int64_t id, seq;
    json_t *b;
    meeting m;
    const char *kind = NULL, *category = NULL, *act = req_param(r, "action");
    if (!req_path_id_or_reply(r, "id", &id) || !req_path_id_or_reply(r, "seq", &seq) || !(b = req_json_or_reply(r)))
        return;
    int rc = jv_only(b, meetings_api_topic, &r->err) || jv_str(b, "kind", 0, 40, &kind, &r->err) ||
             jv_str(b, "category", 0, 200, &category, &r->err);
    if (!rc) {
        if (!strcmp(act, "ticket"))
            rc = meeting_topic_ticket(r->db, &r->who, id, (int)seq, kind, category, &r->a, &m, &r->err);
        else if (!strcmp(act, "plan") && !kind)
            rc = meeting_topic_plan(r->db, &r->who, id, (int)seq, category, &r->a, &m, &r->err);
        else if (!strcmp(act, "plan"))
            rc = aj_fail(&r->err, AJ_EINVAL, "kind", "改进计划不需要 kind");
        else
            rc = aj_fail(&r->err, AJ_ENOTFOUND, NULL, "未知的操作 %.20s", act);
    }
    if (rc) return reply_error(r);
    reply_json(r, 200, meetings_api_json(&m));
}

static json_t *meetings_api_mystery(const mystery_visit *v)
{
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:f, s:s, s:o}", "id", (json_int_t)v->id, "project_id",
                          (json_int_t)v->project_id, "agency", v->agency, "scenario", v->scenario, "scores",
                          json_loads(v->scores, 0, NULL), "total", v->total, "findings", v->findings,
                          "improvement_id", meetings_api_id(v->improvement_id));
    json_object_set_new(o, "visited_at", out_time(v->visited_at, v->tz_offset));
    json_object_set_new(o, "created_at", out_time(v->created_at, v->tz_offset));
    return o;
}

static const char *const meetings_api_mystery_fields[] = {"project_id", "visited_at", "agency", "scenario",
                                                          "scores", "findings", NULL};

void api_mystery_create(req *r)
{
    json_t *b, *sc, *v;
    mystery_input in = {0};
    mystery_visit x;
    const char *key;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, meetings_api_mystery_fields, &r->err) ||
        jv_int(b, "project_id", JV_REQUIRED, 1, INT64_MAX, &in.project_id, NULL, &r->err) ||
        jv_time(b, "visited_at", JV_REQUIRED, &in.visited_at, &r->err) ||
        jv_str(b, "agency", JV_REQUIRED, 400, &in.agency, &r->err) ||
        jv_str(b, "scenario", JV_REQUIRED, 400, &in.scenario, &r->err) ||
        jv_str(b, "findings", 0, 10000, &in.findings, &r->err))
        return reply_error(r);
    sc = json_object_get(b, "scores");
    if (!json_is_object(sc) || json_object_size(sc) > MYSTERY_MAX_SCORES) {
        aj_fail(&r->err, AJ_EINVAL, "scores", "scores 须为 {评分项: 0–100}，最多 %d 项", MYSTERY_MAX_SCORES);
        return reply_error(r);
    }
    size_t n = json_object_size(sc), i = 0;
    const char **keys = arena_alloc(&r->a, sizeof *keys * (n ? n : 1));
    double *vals = arena_alloc(&r->a, sizeof *vals * (n ? n : 1));
    json_object_foreach(sc, key, v)
    {
        if (!json_is_number(v)) {
            aj_fail(&r->err, AJ_EINVAL, "scores", "评分 %.40s 须为 0–100 的数字", key);
            return reply_error(r);
        }
        keys[i] = key;
        vals[i++] = json_number_value(v);
    }
    in.score_keys = keys;
    in.score_values = vals;
    in.nscores = n;
    if (mystery_create(r->db, &r->who, &in, &r->a, &x, &r->err)) return reply_error(r);
    reply_json(r, 201, meetings_api_mystery(&x));
}

void api_mystery_list(req *r)
{
    page_req pg;
    int64_t project_id = 0;
    mystery_visit *items;
    size_t n;
    int more;
    if (!req_staff_or_reply(r) || !out_page_or_reply(r, &pg) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &project_id, NULL))
        return;
    if (mystery_list(r->db, &r->who, project_id, &pg, &r->a, &items, &n, &more, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, meetings_api_mystery(&items[i]));
    pg.want_total = 0;
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, 0);
}

void api_mystery_get(req *r)
{
    int64_t id;
    mystery_visit x;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (mystery_get(r->db, &r->who, id, &r->a, &x, &r->err)) return reply_error(r);
    reply_json(r, 200, meetings_api_mystery(&x));
}

/* POST /mystery-visits/{id}/actions/plan */
void api_mystery_plan(req *r)
{
    int64_t id;
    json_t *b;
    mystery_visit x;
    static const char *const none[] = {NULL};
    if (!req_path_id_or_reply(r, "id", &id) || !(b = req_json_or_reply(r))) return;
    if (jv_only(b, none, &r->err) || mystery_plan(r->db, &r->who, id, &r->a, &x, &r->err)) return reply_error(r);
    reply_json(r, 200, meetings_api_mystery(&x));
}
