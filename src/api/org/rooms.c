/* api/org/rooms.c: HTTP face of rooms. */
#include "api/org/org_api.h"
#include "api/jv.h"
#include "api/out.h"

json_t *rooms_json(const room *rm, int off)
{
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:i, s:s, s:o, s:b, s:o, s:o}", "id",
                     (json_int_t)rm->id, "project_id", (json_int_t)rm->project_id, "building_id",
                     (json_int_t)rm->building_id, "building_name", rm->building_name, "unit",
                     rm->unit, "floor", rm->floor, "number", rm->number, "area_m2",
                     rm->has_area ? json_real(rm->area_m2) : json_null(), "active", rm->active,
                     "created_at", out_time(rm->created_at, off), "updated_at",
                     out_time(rm->updated_at, off));
}

static const char *const rooms_fields[] = {"building_id", "unit",    "floor", "number",
                                           "area_m2",     "active", NULL};

static int rooms_input(json_t *b, room_input *in, aj_error *err)
{
    *in = (room_input){0};
    if (jv_only(b, rooms_fields, err) ||
        jv_int(b, "building_id", 0, 1, INT64_MAX, &in->building_id, &in->has_building_id, err) ||
        jv_str(b, "unit", 0, 20, &in->unit, err) ||
        jv_int(b, "floor", 0, -1000, 1000, &in->floor, &in->has_floor, err) ||
        jv_str(b, "number", 0, 20, &in->number, err) ||
        jv_num(b, "area_m2", 0, 0, 100000, &in->area_m2, &in->has_area, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err))
        return err->rc;
    return 0;
}

void api_rooms_list(req *r)
{
    int64_t pid;
    page_req pg;
    room_filter f = {0};
    room *items;
    size_t n;
    int more;
    int64_t total = 0;
    if (!req_path_id_or_reply(r, "id", &pid)) return;
    if (!req_query_text_or_reply(r, "q", &f.q) || !req_query_text_or_reply(r, "unit", &f.unit) ||
        !out_page_or_reply(r, &pg) || !out_active_or_reply(r, &f.active) ||
        !req_query_int_or_reply(r, "building_id", 1, INT64_MAX, &f.building_id, NULL) ||
        !req_query_int_or_reply(r, "floor", -1000, 1000, &f.floor, &f.has_floor))
        return;
    if (room_list(r->db, &r->who, pid, &f, &pg, &r->a, &items, &n, &more, &total, &r->err))
        return reply_error(r);
    int off = n ? out_project_tz(r, pid) : CLOCK_TZ_DEFAULT;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, rooms_json(&items[i], off));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, total);
}

void api_rooms_create(req *r)
{
    int64_t pid;
    json_t *b;
    room_input in;
    room rm;
    if (!req_path_id_or_reply(r, "id", &pid)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (rooms_input(b, &in, &r->err) || room_create(r->db, &r->who, pid, &in, &r->a, &rm, &r->err))
        return reply_error(r);
    reply_json(r, 201, rooms_json(&rm, out_project_tz(r, rm.project_id)));
}

void api_rooms_get(req *r)
{
    int64_t id;
    room rm;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (room_get(r->db, &r->who, id, &r->a, &rm, &r->err)) return reply_error(r);
    reply_json(r, 200, rooms_json(&rm, out_project_tz(r, rm.project_id)));
}

void api_rooms_update(req *r)
{
    int64_t id;
    json_t *b;
    room_input in;
    room rm;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (rooms_input(b, &in, &r->err) || room_update(r->db, &r->who, id, &in, &r->a, &rm, &r->err))
        return reply_error(r);
    reply_json(r, 200, rooms_json(&rm, out_project_tz(r, rm.project_id)));
}
