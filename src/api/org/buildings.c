/* api/org/buildings.c: HTTP face of buildings. */
#include "api/org/org_api.h"
#include "api/jv.h"
#include "api/out.h"

json_t *buildings_json(const building *b, int off)
{
    return json_pack("{s:I, s:I, s:s, s:i, s:b, s:o, s:o}", "id", (json_int_t)b->id,
                     "project_id", (json_int_t)b->project_id, "name", b->name, "floors", b->floors,
                     "active", b->active, "created_at", out_time(b->created_at, off), "updated_at",
                     out_time(b->updated_at, off));
}

static const char *const buildings_fields[] = {"name", "floors", "active", NULL};

static int buildings_input(json_t *b, building_input *in, aj_error *err)
{
    *in = (building_input){0};
    if (jv_only(b, buildings_fields, err) || jv_str(b, "name", 0, 100, &in->name, err) ||
        jv_int(b, "floors", 0, 1, 200, &in->floors, &in->has_floors, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err))
        return err->rc;
    return 0;
}

void api_buildings_list(req *r)
{
    int64_t pid;
    page_req pg;
    building_filter f = {0};
    building *items;
    size_t n;
    int more;
    int64_t total = 0;
    if (!req_path_id_or_reply(r, "id", &pid)) return;
    if (!req_query_text_or_reply(r, "q", &f.q) || !out_page_or_reply(r, &pg) ||
        !out_active_or_reply(r, &f.active))
        return;
    if (building_list(r->db, &r->who, pid, &f, &pg, &r->a, &items, &n, &more, &total, &r->err))
        return reply_error(r);
    int off = n ? out_project_tz(r, pid) : CLOCK_TZ_DEFAULT;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, buildings_json(&items[i], off));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, total);
}

void api_buildings_create(req *r)
{
    int64_t pid;
    json_t *b;
    building_input in;
    building bd;
    if (!req_path_id_or_reply(r, "id", &pid)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (buildings_input(b, &in, &r->err) ||
        building_create(r->db, &r->who, pid, &in, &r->a, &bd, &r->err))
        return reply_error(r);
    reply_json(r, 201, buildings_json(&bd, out_project_tz(r, bd.project_id)));
}

void api_buildings_get(req *r)
{
    int64_t id;
    building bd;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (building_get(r->db, &r->who, id, &r->a, &bd, &r->err)) return reply_error(r);
    reply_json(r, 200, buildings_json(&bd, out_project_tz(r, bd.project_id)));
}

void api_buildings_update(req *r)
{
    int64_t id;
    json_t *b;
    building_input in;
    building bd;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (buildings_input(b, &in, &r->err) ||
        building_update(r->db, &r->who, id, &in, &r->a, &bd, &r->err))
        return reply_error(r);
    reply_json(r, 200, buildings_json(&bd, out_project_tz(r, bd.project_id)));
}
