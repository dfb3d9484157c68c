/* api/quality/rectifications_api.c: HTTP face of rectifications (整改单): the list and one,
 * raising one, and its actions submit, recheck, cancel. */
#include <string.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/quality/quality_api.h"

static json_t *rectifications_api_id(int64_t id) { return id ? json_integer(id) : json_null(); }

static json_t *rectifications_api_json(const rectification *x)
{
    int off = x->tz_offset;
    json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:o, s:s, s:o, s:o, s:s, s:s, s:s, s:s, s:I}",
                          "id", (json_int_t)x->id, "project_id", (json_int_t)x->project_id,
                          "task_id", rectifications_api_id(x->task_id), "standard_id",
                          rectifications_api_id(x->standard_id), "standard_version",
                          rectifications_api_id(x->standard_version), "department", x->department,
                          "assignee_id", rectifications_api_id(x->assignee_id), "assignee_name",
                          out_str(x->assignee_name), "problem", x->problem, "location", x->location,
                          "severity", x->severity, "state", x->state, "rounds", (json_int_t)x->rounds);
    json_object_set_new(o, "photos", json_loads(x->photos, 0, NULL));
    json_object_set_new(o, "due_at", out_time(x->due_at, off));
    json_object_set_new(o, "overdue", json_boolean((!strcmp(x->state, "open") || !strcmp(x->state, "submitted")) &&
                                                   x->due_at < clock_now()));
    json_object_set_new(o, "submitted_by", rectifications_api_id(x->submitted_by));
    json_object_set_new(o, "submitted_at", out_time(x->submitted_at, off));
    json_object_set_new(o, "submit_note", json_string(x->submit_note));
    json_object_set_new(o, "submit_photos", json_loads(x->submit_photos, 0, NULL));
    json_object_set_new(o, "checked_by", rectifications_api_id(x->checked_by));
    json_object_set_new(o, "checked_at", out_time(x->checked_at, off));
    json_object_set_new(o, "check_note", json_string(x->check_note));
    json_object_set_new(o, "cancel_reason", json_string(x->cancel_reason));
    json_object_set_new(o, "created_at", out_time(x->created_at, off));
    json_object_set_new(o, "updated_at", out_time(x->updated_at, off));
    return o;
}

/* GET /rectifications?project_id=&state=&department=&overdue=1 */
void api_rectifications_list(req *r)
{
    page_req pg;
    rectification_filter f = {0};
    int64_t overdue = 0;
    rectification *items;
    size_t n;
    int more;
    if (!req_staff_or_reply(r) || !out_page_or_reply(r, &pg) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &f.project_id, NULL) ||
        !req_query_text_or_reply(r, "state", &f.state) ||
        !req_query_text_or_reply(r, "department", &f.department) ||
        !req_query_int_or_reply(r, "overdue", 0, 1, &overdue, NULL))
        return;
    f.overdue = (int)overdue;
    if (rectification_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, rectifications_api_json(&items[i]));
    pg.want_total = 0; /* no count kept: the list answers without a total */
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, 0);
}

static const char *const rectifications_api_fields[] = {
    "project_id", "task_id", "standard_id", "department", "assignee_id", "problem",
    "location",   "photos",  "severity",    "due_at",     NULL};

void api_rectifications_create(req *r)
{
    json_t *b;
    rectification_input in = {0};
    rectification x;
    int present;
    int64_t *photos = NULL;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, rectifications_api_fields, &r->err) ||
        jv_int(b, "project_id", JV_REQUIRED, 1, INT64_MAX, &in.project_id, NULL, &r->err) ||
        jv_int(b, "task_id", 0, 1, INT64_MAX, &in.task_id, NULL, &r->err) ||
        jv_int(b, "standard_id", 0, 1, INT64_MAX, &in.standard_id, NULL, &r->err) ||
        jv_int(b, "assignee_id", 0, 1, INT64_MAX, &in.assignee_id, NULL, &r->err) ||
        jv_str(b, "department", JV_REQUIRED, 40, &in.department, &r->err) ||
        jv_str(b, "problem", JV_REQUIRED, 2000, &in.problem, &r->err) ||
        jv_str(b, "location", 0, 400, &in.location, &r->err) ||
        jv_str(b, "severity", 0, 16, &in.severity, &r->err) ||
        jv_time(b, "due_at", 0, &in.due_at, &r->err) ||
        jv_ids(b, "photos", 0, RECT_MAX_PHOTOS, &r->a, &photos, &in.nphotos, &present, &r->err) ||
        (in.photos = photos, 0) ||
        rectification_create(r->db, &r->who, &in, &r->a, &x, &r->err))
        return reply_error(r);
    reply_json(r, 201, rectifications_api_json(&x));
}

void api_rectifications_get(req *r)
{
    int64_t id;
    rectification x;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (rectification_get(r->db, &r->who, id, &r->a, &x, &r->err)) return reply_error(r);
    reply_json(r, 200, rectifications_api_json(&x));
}

static const char *const rectifications_api_submit[] = {"note", "photos", NULL};
static const char *const rectifications_api_recheck[] = {"passed", "note", "due_at", NULL};
static const char *const rectifications_api_cancel[] = {"reason", NULL};

/* POST /rectifications/{id}/actions/{submit|recheck|cancel} */
void api_rectifications_action(req *r)
{
    int64_t id;
    json_t *b;
    rectification x;
    const char *act = req_param(r, "action"), *note = NULL;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    int rc;
    if (!strcmp(act, "submit")) {
        int64_t *photos = NULL;
        size_t n = 0;
        int present;
        rc = jv_only(b, rectifications_api_submit, &r->err) ||
             jv_str(b, "note", JV_REQUIRED, 2000, &note, &r->err) ||
             jv_ids(b, "photos", 0, RECT_MAX_PHOTOS, &r->a, &photos, &n, &present, &r->err) ||
             rectification_submit(r->db, &r->who, id, note, photos, n, &r->a, &x, &r->err);
    } else if (!strcmp(act, "recheck")) {
        int passed = 0, has = 0;
        int64_t due = 0;
        rc = jv_only(b, rectifications_api_recheck, &r->err) ||
             jv_bool(b, "passed", JV_REQUIRED, &passed, &has, &r->err) ||
             jv_str(b, "note", 0, 2000, &note, &r->err) || jv_time(b, "due_at", 0, &due, &r->err) ||
             rectification_recheck(r->db, &r->who, id, passed, note, due, &r->a, &x, &r->err);
    } else if (!strcmp(act, "cancel")) {
        rc = jv_only(b, rectifications_api_cancel, &r->err) ||
             jv_str(b, "reason", JV_REQUIRED, 1000, &note, &r->err) ||
             rectification_cancel(r->db, &r->who, id, note, &r->a, &x, &r->err);
    } else {
        rc = aj_fail(&r->err, AJ_ENOTFOUND, NULL, "未知的操作 %.20s", act);
    }
    if (rc) return reply_error(r);
    reply_json(r, 200, rectifications_api_json(&x));
}
