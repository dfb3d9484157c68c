/* api/org/staff_members.c: HTTP face of staff accounts. */
#include <string.h>

#include "api/org/org_api.h"
#include "api/jv.h"
#include "api/out.h"

/* Staff belong to no single project: their times are shown in the default zone. */
json_t *api_staff_json(const staff *s)
{
    json_t *skills = json_array(), *projects = json_array();
    for (size_t i = 0; i < s->nskills; i++)
        json_array_append_new(skills, json_string(s->skills[i]));
    for (size_t i = 0; i < s->nprojects; i++)
        json_array_append_new(projects, json_integer(s->project_ids[i]));
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:b, s:b, s:o, s:o}", "id",
                          (json_int_t)s->id, "username", s->username, "name", s->name, "phone",
                          s->phone, "role", s->role, "department", s->department, "skills",
                          skills, "project_ids", projects, "on_duty", s->on_duty, "active",
                          s->active, "created_at", out_time(s->created_at, CLOCK_TZ_DEFAULT),
                          "updated_at", out_time(s->updated_at, CLOCK_TZ_DEFAULT));
    json_object_set_new(o, "department_id",
                        s->department_id ? json_integer(s->department_id) : json_null());
    json_object_set_new(o, "department_function",
                        s->department_function ? json_string(s->department_function)
                                               : json_null());
    return o;
}

static const char *const staff_fields[] = {
    "username", "password",    "name",    "phone",  "role", "department", "department_id",
    "skills",   "project_ids", "on_duty", "active", NULL};

static int staff_members_input(req *r, json_t *b, staff_input *in)
{
    aj_error *err = &r->err;
    *in = (staff_input){0};
    if (jv_only(b, staff_fields, err) || jv_str(b, "username", 0, 32, &in->username, err) ||
        jv_str(b, "password", 0, 256, &in->password, err) ||
        jv_str(b, "name", 0, 100, &in->name, err) || jv_str(b, "phone", 0, 20, &in->phone, err) ||
        jv_str(b, "role", 0, 20, &in->role, err) ||
        jv_str(b, "department", 0, 50, &in->department, err) ||
        api_department_ref(b, "department_id", &in->department_id, &in->has_department_id, err) ||
        jv_strs(b, "skills", 0, 20, 32, &r->a, &in->skills, &in->nskills, &in->has_skills, err) ||
        jv_ids(b, "project_ids", 0, 100, &r->a, &in->project_ids, &in->nprojects,
               &in->has_projects, err) ||
        jv_bool(b, "on_duty", 0, &in->on_duty, &in->has_on_duty, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err))
        return err->rc;
    return 0;
}

/* A boolean query filter: -1 when absent; 422 unless 0/1/true/false. */
static int staff_members_query_bool_or_reply(req *r, const char *name, int *out)
{
    const char *s;
    *out = -1;
    if (!req_query_text_or_reply(r, name, &s)) return 0;
    if (!s) return 1;
    if (!strcmp(s, "1") || !strcmp(s, "true")) *out = 1;
    else if (!strcmp(s, "0") || !strcmp(s, "false")) *out = 0;
    else {
        reply_fail(r, AJ_EINVAL, name, "%s 须为 0 或 1", name);
        return 0;
    }
    return 1;
}

void api_staff_list(req *r)
{
    page_req pg;
    staff_filter f = {0};
    staff *items;
    size_t n;
    int more;
    int64_t total = 0;
    if (!req_query_text_or_reply(r, "q", &f.q) || !req_query_text_or_reply(r, "role", &f.role) ||
        !req_query_text_or_reply(r, "department", &f.department) ||
        !req_query_int_or_reply(r, "department_id", 1, INT64_MAX, &f.department_id, NULL) ||
        !out_page_or_reply(r, &pg) || !out_active_or_reply(r, &f.active) ||
        !staff_members_query_bool_or_reply(r, "on_duty", &f.on_duty) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &f.project_id, NULL))
        return;
    if (staff_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &total, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, api_staff_json(&items[i]));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, total);
}

void api_staff_create(req *r)
{
    json_t *b;
    staff_input in;
    staff s;
    if (!(b = req_json_or_reply(r))) return;
    if (staff_members_input(r, b, &in) || staff_create(r->db, &r->who, &in, &r->a, &s, &r->err))
        return reply_error(r);
    reply_json(r, 201, api_staff_json(&s));
}

void api_staff_get(req *r)
{
    int64_t id;
    staff s;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (staff_get(r->db, &r->who, id, &r->a, &s, &r->err)) return reply_error(r);
    reply_json(r, 200, api_staff_json(&s));
}

void api_staff_update(req *r)
{
    int64_t id;
    json_t *b;
    staff_input in;
    staff s;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (staff_members_input(r, b, &in) || staff_update(r->db, &r->who, id, &in, &r->a, &s, &r->err))
        return reply_error(r);
    reply_json(r, 200, api_staff_json(&s));
}

void api_staff_password_reset(req *r)
{
    int64_t id;
    staff_reset sr;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if ((r->body_len || r->too_large) && !req_json_or_reply(r)) return;
    if (staff_reset_password(r->db, &r->who, id, &r->a, &sr, &r->err)) return reply_error(r);
    reply_json(r, 200, json_pack("{s:s, s:o}", "phone_hint", sr.phone_hint, "expires_at",
                                 out_time(sr.expires_at, CLOCK_TZ_DEFAULT)));
}
