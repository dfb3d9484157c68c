/* api/org/projects.c: HTTP face of projects. */
#include "api/org/org_api.h"
#include "api/jv.h"
#include "api/out.h"
#include "domain/org/org.h"

json_t *projects_json(const project *p)
{
    int off = project_tz_offset(p);
    return json_pack("{s:I, s:s, s:s, s:s, s:i, s:s, s:I, s:b, s:o, s:o}", "id",
                     (json_int_t)p->id, "code", p->code, "name", p->name, "address", p->address,
                     "service_level", p->service_level, "timezone", p->timezone, "calendar_id",
                     (json_int_t)p->calendar_id, "active", p->active, "created_at",
                     out_time(p->created_at, off), "updated_at", out_time(p->updated_at, off));
}

static const char *const projects_fields[] = {"code",     "name",   "address", "service_level",
                                              "timezone", "active", NULL};

static int projects_input(json_t *b, project_input *in, aj_error *err)
{
    *in = (project_input){0};
    if (jv_only(b, projects_fields, err) || jv_str(b, "code", 0, 32, &in->code, err) ||
        jv_str(b, "name", 0, 100, &in->name, err) ||
        jv_str(b, "address", 0, 200, &in->address, err) ||
        jv_int(b, "service_level", 0, 1, 3, &in->service_level, &in->has_service_level, err) ||
        jv_str(b, "timezone", 0, 64, &in->timezone, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err))
        return err->rc;
    return 0;
}

void api_projects_list(req *r)
{
    page_req pg;
    project_filter f = {0};
    project *items;
    size_t n;
    int more;
    int64_t total = 0;
    if (!req_query_text_or_reply(r, "q", &f.q) || !out_page_or_reply(r, &pg) ||
        !out_active_or_reply(r, &f.active))
        return;
    if (project_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &total, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, projects_json(&items[i]));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, total);
}

void api_projects_create(req *r)
{
    json_t *b;
    project_input in;
    project p;
    if (!(b = req_json_or_reply(r))) return;
    if (projects_input(b, &in, &r->err) ||
        project_create(r->db, &r->who, &in, &r->a, &p, &r->err))
        return reply_error(r);
    reply_json(r, 201, projects_json(&p));
}

void api_projects_get(req *r)
{
    int64_t id;
    project p;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (project_get(r->db, &r->who, id, &r->a, &p, &r->err)) return reply_error(r);
    reply_json(r, 200, projects_json(&p));
}

void api_projects_update(req *r)
{
    int64_t id;
    json_t *b;
    project_input in;
    project p;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (projects_input(b, &in, &r->err) ||
        project_update(r->db, &r->who, id, &in, &r->a, &p, &r->err))
        return reply_error(r);
    reply_json(r, 200, projects_json(&p));
}
