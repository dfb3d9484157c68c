/* api/work/plans.c: HTTP face of plans. */
#include <stdlib.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/work/work_api.h"

json_t *api_plans_json(const plan *p)
{
    int off = p->tz_offset;
    json_t *next = json_array();
    for (size_t i = 0; i < p->nnext; i++) json_array_append_new(next, out_time(p->next[i], off));
    json_t *o = json_pack(
        "{s:I, s:I, s:s, s:s, s:s, s:o, s:I, s:b, s:o, s:o, s:o, s:s, s:o, s:s, s:o, s:b, s:i,"
        " s:o, s:o, s:o}",
        "id", (json_int_t)p->id, "project_id", (json_int_t)p->project_id, "kind", p->kind,
        "title", p->title, "rrule", p->rrule, "dtstart", out_time(p->dtstart, off),
        "window_minutes", (json_int_t)p->window_minutes, "workdays_only", p->workdays_only,
        "assign", json_loads(p->assign, 0, NULL), "equipment_ids",
        json_loads(p->equipment_ids, 0, NULL), "route_id",
        p->route_id ? json_integer(p->route_id) : json_null(), "area", p->area, "level",
        p->level ? json_string(p->level) : json_null(), "category", p->category, "checklist",
        plan_checklist_parse(p->checklist), "active", p->active, "version", p->version,
        "next_occurrences", next, "created_at", out_time(p->created_at, off), "updated_at",
        out_time(p->updated_at, off));
    json_object_set_new(o, "inspected_department_id",
                        p->inspected_department_id ? json_integer(p->inspected_department_id) : json_null());
    return o;
}

static const char *const plans_fields[] = {
    "project_id", "kind",     "title",         "rrule",    "dtstart", "window_minutes",
    "workdays_only", "assign", "equipment_ids", "route_id", "area",    "level",
    "category",   "checklist", "active",       "inspected_department_id", "inspected_department",
    NULL};

static int plans_input(json_t *b, arena *a, plan_input *in, aj_error *err)
{
    *in = (plan_input){0};
    const char *dtstart = NULL;
    int present;
    if (jv_only(b, plans_fields, err) ||
        jv_int(b, "project_id", 0, 1, INT64_MAX, &in->project_id, &present, err) ||
        jv_str(b, "kind", 0, 20, &in->kind, err) || jv_str(b, "title", 0, 100, &in->title, err) ||
        jv_str(b, "rrule", 0, 300, &in->rrule, err) || jv_str(b, "dtstart", 0, 40, &dtstart, err) ||
        jv_int(b, "window_minutes", 0, 1, 10000000, &in->window_minutes, &in->has_window, err) ||
        jv_bool(b, "workdays_only", 0, &in->workdays_only, &in->has_workdays, err) ||
        jv_ids(b, "equipment_ids", 0, PLAN_MAX_EQUIPMENT + 1, a, &in->equipment_ids,
               &in->nequipment, &in->has_equipment, err) ||
        jv_int(b, "route_id", 0, 1, INT64_MAX, &in->route_id, &in->has_route, err) ||
        jv_str(b, "area", 0, 100, &in->area, err) || jv_str(b, "level", 0, 10, &in->level, err) ||
        jv_str(b, "category", 0, 100, &in->category, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err) ||
        jv_int(b, "inspected_department_id", 0, 1, INT64_MAX, &in->inspected_department_id, NULL, err) ||
        jv_str(b, "inspected_department", 0, 64, &in->inspected_department, err))
        return err->rc;
    if (dtstart) {
        if (clock_parse_rfc3339(dtstart, &in->dtstart) || in->dtstart <= 0)
            return aj_fail(err, AJ_EINVAL, "dtstart", "dtstart 须为带时区的 RFC 3339 时间");
        in->has_dtstart = 1;
    }
    json_t *v = json_object_get(b, "assign");
    if (v && !json_is_null(v)) in->assign = v;
    v = json_object_get(b, "checklist");
    if (v && !json_is_null(v)) in->checklist = v;
    return 0;
}

void api_plans_list(req *r)
{
    page_req pg;
    plan_filter f = {.active = -1};
    plan *items;
    size_t n;
    int more, present;
    if (!req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &f.project_id, &present) ||
        !req_query_text_or_reply(r, "kind", &f.kind) || !out_active_or_reply(r, &f.active) ||
        !out_page_or_reply(r, &pg))
        return;
    if (plan_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, api_plans_json(&items[i]));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, 0);
}

void api_plans_create(req *r)
{
    json_t *b;
    plan_input in;
    plan p;
    if (!(b = req_json_or_reply(r))) return;
    if (plans_input(b, &r->a, &in, &r->err) || plan_create(r->db, &r->who, &in, &r->a, &p, &r->err))
        return reply_error(r);
    reply_json(r, 201, api_plans_json(&p));
}

void api_plans_get(req *r)
{
    int64_t id;
    plan p;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (plan_get(r->db, &r->who, id, &r->a, &p, &r->err)) return reply_error(r);
    reply_json(r, 200, api_plans_json(&p));
}

void api_plans_update(req *r)
{
    int64_t id;
    json_t *b;
    plan_input in;
    plan p;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (plans_input(b, &r->a, &in, &r->err) ||
        plan_update(r->db, &r->who, id, &in, &r->a, &p, &r->err))
        return reply_error(r);
    reply_json(r, 200, api_plans_json(&p));
}
