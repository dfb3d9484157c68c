/* api/voice/surveys_api.c: HTTP face of satisfaction surveys: the list and one, drafting
 * and changing, open and close, the results, the answers as kept, the invitation links. */
#include <math.h>
#include <string.h>

#include "api/export_reply.h"
#include "api/jv.h"
#include "api/out.h"
#include "api/voice/voice_api.h"
#include "base/log.h"

json_t *surveys_api_json(const survey *s)
{
    int off = s->tz_offset;
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:s, s:I, s:I}", "id", (json_int_t)s->id,
                          "project_id", (json_int_t)s->project_id, "title", s->title, "period",
                          s->period, "state", s->state, "invited", (json_int_t)s->invited,
                          "responses", (json_int_t)s->responses);
    json_object_set_new(o, "opens_at", out_time(s->opens_at, off));
    json_object_set_new(o, "closes_at", out_time(s->closes_at, off));
    json_object_set_new(o, "dimensions", json_loads(s->dimensions, 0, NULL));
    json_object_set_new(o, "questions", json_loads(s->questions, 0, NULL));
    json_object_set_new(o, "opened_at", out_time(s->opened_at, off));
    json_object_set_new(o, "closed_at", out_time(s->closed_at, off));
    json_object_set_new(o, "created_at", out_time(s->created_at, off));
    json_object_set_new(o, "updated_at", out_time(s->updated_at, off));
    return o;
}

static const char *const surveys_api_fields[] = {"project_id", "title",      "period",    "opens_at",
                                                 "closes_at",  "dimensions", "questions", NULL};

static int surveys_api_input(json_t *b, int create, survey_input *in, aj_error *err)
{
    *in = (survey_input){0};
    if (jv_only(b, surveys_api_fields, err) ||
        (create && jv_int(b, "project_id", JV_REQUIRED, 1, INT64_MAX, &in->project_id, NULL, err)) ||
        (!create && json_object_get(b, "project_id") &&
         aj_fail(err, AJ_EINVAL, "project_id", "问卷的项目不能修改")) ||
        jv_str(b, "title", create ? JV_REQUIRED : 0, 400, &in->title, err) ||
        jv_str(b, "period", 0, 80, &in->period, err) || jv_time(b, "opens_at", 0, &in->opens_at, err) ||
        jv_time(b, "closes_at", 0, &in->closes_at, err))
        return err->rc;
    in->dimensions = json_object_get(b, "dimensions");
    in->questions = json_object_get(b, "questions");
    return 0;
}

/* GET /surveys?project_id=&state= */
void api_surveys_list(req *r)
{
    page_req pg;
    survey_filter f = {0};
    survey *items;
    size_t n;
    int more;
    if (!req_staff_or_reply(r) || !out_page_or_reply(r, &pg) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &f.project_id, NULL) ||
        !req_query_text_or_reply(r, "state", &f.state))
        return;
    if (survey_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, surveys_api_json(&items[i]));
    pg.want_total = 0;
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, 0);
}

void api_surveys_create(req *r)
{
    json_t *b;
    survey_input in;
    survey s;
    if (!(b = req_json_or_reply(r))) return;
    if (surveys_api_input(b, 1, &in, &r->err) || survey_create(r->db, &r->who, &in, &r->a, &s, &r->err))
        return reply_error(r);
    reply_json(r, 201, surveys_api_json(&s));
}

void api_surveys_get(req *r)
{
    int64_t id;
    survey s;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (survey_get(r->db, &r->who, id, &r->a, &s, &r->err)) return reply_error(r);
    reply_json(r, 200, surveys_api_json(&s));
}

void api_surveys_update(req *r)
{
    int64_t id;
    json_t *b;
    survey_input in;
    survey s;
    if (!req_path_id_or_reply(r, "id", &id) || !(b = req_json_or_reply(r))) return;
    if (surveys_api_input(b, 0, &in, &r->err) ||
        survey_update(r->db, &r->who, id, &in, &r->a, &s, &r->err))
        return reply_error(r);
    reply_json(r, 200, surveys_api_json(&s));
}

/* POST /surveys/{id}/actions/{open|close} (no body fields) */
void api_surveys_action(req *r)
{
    int64_t id;
    survey s;
    const char *act = req_param(r, "action");
    static const char *const none[] = {NULL};
    if (!req_path_id_or_reply(r, "id", &id)) return;
    json_t *b = req_json_or_reply(r);
    if (!b) return;
    int rc = jv_only(b, none, &r->err);
    if (!rc) {
        if (!strcmp(act, "open")) rc = survey_open(r->db, &r->who, id, &r->a, &s, &r->err);
        else if (!strcmp(act, "close")) rc = survey_close(r->db, &r->who, id, &r->a, &s, &r->err);
        else rc = aj_fail(&r->err, AJ_ENOTFOUND, NULL, "未知的操作 %.20s", act);
    }
    if (rc) return reply_error(r);
    reply_json(r, 200, surveys_api_json(&s));
}

static json_t *surveys_api_num(double v) { return v < 0 || isnan(v) ? json_null() : json_real(v); }

void api_surveys_results(req *r)
{
    int64_t id;
    survey s;
    survey_results x;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (survey_results_get(r->db, &r->who, id, &r->a, &s, &x, &r->err)) return reply_error(r);
    json_t *dims = json_array(), *cov = json_array(), *com = json_array();
    for (size_t i = 0; i < x.ndims; i++) {
        const survey_dim_result *d = &x.dims[i];
        json_t *o = json_pack("{s:s, s:s, s:I, s:o, s:o, s:o, s:o}", "key", d->key, "label", d->label,
                              "n", (json_int_t)d->n, "score", surveys_api_num(d->score),
                              "satisfied_rate", d->n ? json_real(d->satisfied_rate) : json_null(),
                              "margin", surveys_api_num(d->margin), "previous_score",
                              surveys_api_num(d->previous));
        json_object_set_new(o, "change", d->score >= 0 && d->previous >= 0
                                             ? json_real(d->score - d->previous) : json_null());
        json_array_append_new(dims, o);
    }
    for (size_t i = 0; i < x.ncoverage; i++)
        json_array_append_new(cov, json_pack("{s:I, s:s, s:I, s:I, s:b}", "building_id",
                                             (json_int_t)x.coverage[i].building_id, "building",
                                             x.coverage[i].building, "invited",
                                             (json_int_t)x.coverage[i].invited, "responses",
                                             (json_int_t)x.coverage[i].responses, "under_sampled",
                                             x.coverage[i].under_sampled));
    for (size_t i = 0; i < x.ncomments; i++)
        json_array_append_new(com, json_pack("{s:s, s:s, s:o, s:s}", "question", x.comments[i].question,
                                             "label", x.comments[i].label, "dimension",
                                             out_str(x.comments[i].dimension), "text",
                                             x.comments[i].text));
    json_t *o = json_pack("{s:I, s:s, s:s, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "survey_id",
                          (json_int_t)s.id, "state", s.state, "scale",
                          "score = (mean of 1–5 − 1) × 25: 1 → 0, 5 → 100", "invited",
                          (json_int_t)x.invited, "responses", (json_int_t)x.responses,
                          "response_rate", surveys_api_num(x.response_rate), "margin_of_error",
                          surveys_api_num(x.margin_of_error), "score", surveys_api_num(x.score),
                          "previous_survey_id", x.previous_id ? json_integer(x.previous_id) : json_null(),
                          "dimensions", dims, "coverage", cov, "comments", com);
    reply_json(r, 200, o);
}

/* GET /surveys/{id}/results.xlsx: the results and every answer (survey_export). */
void api_surveys_export(req *r)
{
    int64_t id, rows;
    const char *path;
    if (!req_staff_or_reply(r) || !req_path_id_or_reply(r, "id", &id) || !export_reply_begin_or_reply(r)) return;
    int rc = survey_export(r->db, &r->who, id, r->cfg->data_dir, export_reply_max_rows(SURVEY_EXPORT_MAX_ROWS),
                           &r->a, &path, &rows, &r->err);
    export_reply_end();
    if (rc == AJ_EDB) log_error("export %s: %s", r->request_id, r->err.message);
    if (rc) return reply_error(r);
    export_reply_send(r, path, "survey", rows);
}

void api_surveys_responses(req *r)
{
    int64_t id;
    page_req pg;
    survey_response *items;
    size_t n;
    int more;
    if (!req_path_id_or_reply(r, "id", &id) || !out_page_or_reply(r, &pg)) return;
    if (survey_responses(r->db, &r->who, id, &pg, &r->a, &items, &n, &more, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:o, s:o}", "id", (json_int_t)items[i].id,
                                             "building_id", (json_int_t)items[i].building_id, "day",
                                             items[i].day, "answers", json_loads(items[i].answers, 0, NULL),
                                             "comments", json_loads(items[i].comments, 0, NULL)));
    pg.want_total = 0;
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, 0);
}

void api_surveys_links(req *r)
{
    int64_t id;
    survey_link *items;
    size_t n;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (survey_links(r->db, &r->who, id, &r->a, &items, &n, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:s, s:s, s:b}", "room_id",
                                             (json_int_t)items[i].room_id, "building_id",
                                             (json_int_t)items[i].building_id, "room", items[i].room,
                                             "token", items[i].token, "path",
                                             arena_printf(&r->a, "/s/%s", items[i].token), "answered",
                                             items[i].answered));
    reply_json(r, 200, json_pack("{s:o}", "items", arr));
}
