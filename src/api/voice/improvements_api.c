/* api/voice/improvements_api.c: HTTP face of improvement plans (PDCA): the list and one,
 * raising one, its actions, and the public list of a project's plans. */
#include <math.h>
#include <string.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/voice/voice_api.h"

static json_t *improvements_api_id(int64_t id) { return id ? json_integer(id) : json_null(); }
static json_t *improvements_api_num(double v) { return isnan(v) ? json_null() : json_real(v); }

/* full: the staff's view (people, measures, notes); else the disclosure board's */
static json_t *improvements_api_json(const improvement *x, int full)
{
    int off = x->tz_offset;
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:{s:s, s:s, s:o, s:o}, s:b, s:s}", "id",
                          (json_int_t)x->id, "source", x->source, "title", x->title, "problem",
                          x->problem, "cause", x->cause, "metric", "kind", x->metric_kind, "key",
                          x->metric_key, "baseline", improvements_api_num(x->baseline), "target",
                          json_real(x->target), "public", x->public_, "state", x->state);
    json_object_set_new(o, "due_at", out_time(x->due_at, off));
    json_object_set_new(o, "check_value", improvements_api_num(x->check_value));
    json_object_set_new(o, "checked_at", out_time(x->checked_at, off));
    json_object_set_new(o, "cycle_of", improvements_api_id(x->cycle_of));
    json_object_set_new(o, "next_cycle", improvements_api_id(x->next_cycle));
    json_t *ms = json_array();
    for (size_t i = 0; i < x->nmeasures; i++) {
        const improvement_measure *m = &x->measures[i];
        json_t *mo = json_pack("{s:i, s:s, s:s, s:b}", "seq", m->seq, "text", m->text, "department",
                               m->department, "done", m->done);
        json_object_set_new(mo, "due_at", out_time(m->due_at, off));
        json_object_set_new(mo, "done_at", out_time(m->done_at, off));
        if (full) json_object_set_new(mo, "owner_id", improvements_api_id(m->owner_id));
        json_array_append_new(ms, mo);
    }
    json_object_set_new(o, "measures", ms);
    json_object_set_new(o, "created_at", out_time(x->created_at, off));
    json_object_set_new(o, "approved_at", out_time(x->approved_at, off));
    if (!full) return o;
    json_object_set_new(o, "project_id", json_integer(x->project_id));
    json_object_set_new(o, "source_ref", json_string(x->source_ref));
    json_object_set_new(o, "reject_note", json_string(x->reject_note));
    json_object_set_new(o, "cancel_reason", json_string(x->cancel_reason));
    json_object_set_new(o, "created_by", improvements_api_id(x->created_by));
    json_object_set_new(o, "analysed_by", improvements_api_id(x->analysed_by));
    json_object_set_new(o, "approved_by", improvements_api_id(x->approved_by));
    json_object_set_new(o, "checked_by", improvements_api_id(x->checked_by));
    json_object_set_new(o, "escalated_at", out_time(x->escalated_at, off));
    json_object_set_new(o, "updated_at", out_time(x->updated_at, off));
    json_t *ns = json_array();
    for (size_t i = 0; i < x->nnotes; i++) {
        const improvement_note *n = &x->notes[i];
        json_t *no = json_pack("{s:I, s:o, s:s, s:b, s:o}", "id", (json_int_t)n->id, "measure",
                               n->seq ? json_integer(n->seq) : json_null(), "note", n->note, "done",
                               n->done, "by", improvements_api_id(n->by_id));
        json_object_set_new(no, "at", out_time(n->at, off));
        json_array_append_new(ns, no);
    }
    json_object_set_new(o, "notes", ns);
    return o;
}

/* GET /improvements?project_id=&state=&source= */
void api_improvements_list(req *r)
{
    page_req pg;
    improvement_filter f = {0};
    improvement *items;
    size_t n;
    int more;
    if (!req_staff_or_reply(r) || !out_page_or_reply(r, &pg) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &f.project_id, NULL) ||
        !req_query_text_or_reply(r, "state", &f.state) || !req_query_text_or_reply(r, "source", &f.source))
        return;
    if (improvement_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, improvements_api_json(&items[i], 1));
    pg.want_total = 0;
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, 0);
}

static const char *const improvements_api_fields[] = {"project_id", "source", "source_ref", "title",
                                                      "problem", "metric", "due_at", "public", NULL};
static const char *const improvements_api_metric[] = {"kind", "key", "baseline", "target", NULL};

void api_improvements_create(req *r)
{
    json_t *b, *m;
    improvement_input in = {.baseline = NAN, .target = NAN};
    improvement x;
    int has_base = 0, present;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, improvements_api_fields, &r->err) ||
        jv_int(b, "project_id", JV_REQUIRED, 1, INT64_MAX, &in.project_id, NULL, &r->err) ||
        jv_str(b, "source", JV_REQUIRED, 20, &in.source, &r->err) ||
        jv_str(b, "source_ref", 0, 200, &in.source_ref, &r->err) ||
        jv_str(b, "title", JV_REQUIRED, 400, &in.title, &r->err) ||
        jv_str(b, "problem", JV_REQUIRED, 4000, &in.problem, &r->err) ||
        jv_time(b, "due_at", JV_REQUIRED, &in.due_at, &r->err) ||
        jv_bool(b, "public", 0, &in.public_, &present, &r->err))
        return reply_error(r);
    m = json_object_get(b, "metric");
    if (!json_is_object(m)) {
        aj_fail(&r->err, AJ_EINVAL, "metric", "metric 须为 {kind, key, baseline, target}");
        return reply_error(r);
    }
    /* an error inside the metric is the metric's */
    if (jv_only(m, improvements_api_metric, &r->err) ||
        jv_str(m, "kind", JV_REQUIRED, 40, &in.metric_kind, &r->err) ||
        jv_str(m, "key", JV_REQUIRED, 200, &in.metric_key, &r->err) ||
        jv_num(m, "baseline", 0, -1e12, 1e12, &in.baseline, &has_base, &r->err) ||
        jv_num(m, "target", JV_REQUIRED, -1e12, 1e12, &in.target, &in.has_target, &r->err)) {
        snprintf(r->err.field, sizeof r->err.field, "metric");
        return reply_error(r);
    }
    if (!has_base) in.baseline = NAN;
    if (improvement_create(r->db, &r->who, &in, &r->a, &x, &r->err)) return reply_error(r);
    reply_json(r, 201, improvements_api_json(&x, 1));
}

void api_improvements_get(req *r)
{
    int64_t id;
    improvement x;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (improvement_get(r->db, &r->who, id, &r->a, &x, &r->err)) return reply_error(r);
    reply_json(r, 200, improvements_api_json(&x, 1));
}

static const char *const improvements_api_analyse[] = {"cause", "measures", NULL};
static const char *const improvements_api_measure[] = {"text", "owner_id", "department", "due_at", NULL};
static const char *const improvements_api_note[] = {"note", NULL};
static const char *const improvements_api_progress[] = {"measure", "note", "done", NULL};
static const char *const improvements_api_check[] = {"value", NULL};
static const char *const improvements_api_reason[] = {"reason", NULL};
static const char *const improvements_api_none[] = {NULL};

static int improvements_api_measures(req *r, json_t *b, improvement_measure_input **out, size_t *n)
{
    json_t *ms = json_object_get(b, "measures"), *m;
    size_t i;
    if (!json_is_array(ms)) return aj_fail(&r->err, AJ_EINVAL, "measures", "measures 须为数组");
    *n = json_array_size(ms);
    *out = arena_alloc(&r->a, sizeof **out * (*n ? *n : 1));
    json_array_foreach(ms, i, m)
    {
        improvement_measure_input *x = &(*out)[i];
        *x = (improvement_measure_input){0};
        if (!json_is_object(m) || jv_only(m, improvements_api_measure, &r->err) ||
            jv_str(m, "text", JV_REQUIRED, 2000, &x->text, &r->err) ||
            jv_int(m, "owner_id", 0, 1, INT64_MAX, &x->owner_id, NULL, &r->err) ||
            jv_str(m, "department", 0, 80, &x->department, &r->err) ||
            jv_time(m, "due_at", JV_REQUIRED, &x->due_at, &r->err))
            return aj_fail(&r->err, AJ_EINVAL, "measures", "第 %zu 项措施：%s", i + 1,
                           r->err.rc ? r->err.message : "须为 {text, owner_id, department, due_at}");
    }
    return 0;
}

/* POST /improvements/{id}/actions/{analyse|approve|reject|progress|check|cancel} */
void api_improvements_action(req *r)
{
    int64_t id;
    json_t *b;
    improvement x;
    const char *act = req_param(r, "action"), *text = NULL;
    if (!req_path_id_or_reply(r, "id", &id) || !(b = req_json_or_reply(r))) return;
    int rc;
    if (!strcmp(act, "analyse")) {
        improvement_measure_input *m = NULL;
        size_t n = 0;
        rc = jv_only(b, improvements_api_analyse, &r->err) ||
             jv_str(b, "cause", JV_REQUIRED, 4000, &text, &r->err) ||
             improvements_api_measures(r, b, &m, &n) ||
             improvement_analyse(r->db, &r->who, id, text, m, n, &r->a, &x, &r->err);
    } else if (!strcmp(act, "approve")) {
        rc = jv_only(b, improvements_api_none, &r->err) ||
             improvement_approve(r->db, &r->who, id, &r->a, &x, &r->err);
    } else if (!strcmp(act, "reject")) {
        rc = jv_only(b, improvements_api_note, &r->err) ||
             jv_str(b, "note", JV_REQUIRED, 2000, &text, &r->err) ||
             improvement_reject(r->db, &r->who, id, text, &r->a, &x, &r->err);
    } else if (!strcmp(act, "progress")) {
        int64_t seq = 0;
        int done = 0, present;
        rc = jv_only(b, improvements_api_progress, &r->err) ||
             jv_int(b, "measure", 0, 1, IMPROVEMENT_MAX_MEASURES, &seq, NULL, &r->err) ||
             jv_str(b, "note", JV_REQUIRED, 2000, &text, &r->err) ||
             jv_bool(b, "done", 0, &done, &present, &r->err) ||
             improvement_progress(r->db, &r->who, id, (int)seq, text, done, &r->a, &x, &r->err);
    } else if (!strcmp(act, "check")) {
        double v = NAN;
        int has = 0;
        rc = jv_only(b, improvements_api_check, &r->err) ||
             jv_num(b, "value", 0, -1e12, 1e12, &v, &has, &r->err) ||
             improvement_check(r->db, &r->who, id, v, has, &r->a, &x, &r->err);
    } else if (!strcmp(act, "cancel")) {
        rc = jv_only(b, improvements_api_reason, &r->err) ||
             jv_str(b, "reason", JV_REQUIRED, 2000, &text, &r->err) ||
             improvement_cancel(r->db, &r->who, id, text, &r->a, &x, &r->err);
    } else {
        rc = aj_fail(&r->err, AJ_ENOTFOUND, NULL, "未知的操作 %.20s", act);
    }
    if (rc) return reply_error(r);
    reply_json(r, 200, improvements_api_json(&x, 1));
}

/* GET /public/projects/{code}/improvements: no login; the disclosure board's plans (no
 * person named) and the latest closed survey's scores. */
void api_public_improvements(req *r)
{
    improvement *items;
    size_t n;
    const char *name = NULL;
    int64_t sid;
    if (improvement_public(r->db, req_param(r, "code"), &r->a, &items, &n, &name, &sid, &r->err))
        return reply_error(r);
    json_t *arr = json_array(), *sv = json_null();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, improvements_api_json(&items[i], 0));
    if (sid) {
        survey s;
        survey_results res;
        if (survey_load(r->db, sid, &r->a, &s, &r->err) || survey_results_of(r->db, &s, &r->a, &res, &r->err))
            return reply_error(r);
        json_t *dims = json_array();
        for (size_t i = 0; i < res.ndims; i++)
            json_array_append_new(dims, json_pack("{s:s, s:s, s:o, s:I}", "key", res.dims[i].key, "label",
                                                  res.dims[i].label,
                                                  "score", res.dims[i].score < 0 ? json_null() : json_real(res.dims[i].score),
                                                  "n", (json_int_t)res.dims[i].n));
        sv = json_pack("{s:s, s:s, s:I, s:I, s:o, s:o}", "title", s.title, "period", s.period,
                       "invited", (json_int_t)res.invited, "responses", (json_int_t)res.responses,
                       "response_rate", res.response_rate < 0 ? json_null() : json_real(res.response_rate),
                       "dimensions", dims);
        json_object_set_new(sv, "closed_at", out_time(s.closed_at, s.tz_offset));
    }
    reply_json(r, 200, json_pack("{s:s, s:s, s:o, s:o}", "project_code", req_param(r, "code"),
                                 "project_name", name, "survey", sv, "improvements", arr));
    reply_header(r, "Cache-Control", "public, max-age=300");
}

/* GET /stats/complaint-hotspots?project_id=&month=: the month's Pareto of complaint
 * categories and the plans it proposes. */
void api_complaint_hotspots(req *r)
{
    int64_t project_id, from, to;
    char month[8];
    improvement_hotspot *items;
    size_t n;
    if (!req_staff_or_reply(r) || !out_project_month_or_reply(r, &project_id, &from, &to, month)) return;
    if (improvement_hotspots(r->db, &r->who, project_id, month, &r->a, &items, &n, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const improvement_hotspot *h = &items[i];
        json_array_append_new(arr, json_pack("{s:s, s:I, s:f, s:f, s:f, s:b, s:b, s:b, s:o}", "category",
                                             h->category, "count", (json_int_t)h->count,
                                             "previous_average", h->before, "share", h->share,
                                             "cumulative_share", h->cumulative, "vital", h->vital,
                                             "grew", h->grew, "proposed", h->proposed, "plan_id",
                                             improvements_api_id(h->plan_id)));
    }
    reply_json(r, 200, json_pack("{s:I, s:s, s:o}", "project_id", (json_int_t)project_id, "month", month,
                                 "categories", arr));
}
