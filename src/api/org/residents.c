/* api/org/residents.c: HTTP face of residents. */
#include "api/org/org_api.h"
#include "api/jv.h"
#include "api/out.h"

json_t *residents_json(const resident *rs, int off)
{
    json_t *tags = json_array(), *rooms = json_array();
    for (size_t i = 0; i < rs->ntags; i++) json_array_append_new(tags, json_string(rs->tags[i]));
    for (size_t i = 0; i < rs->nrooms; i++)
        json_array_append_new(rooms, json_integer(rs->room_ids[i]));
    return json_pack("{s:I, s:I, s:I, s:s, s:s, s:s, s:o, s:o, s:b, s:b, s:o, s:o}", "id",
                     (json_int_t)rs->id, "user_id", (json_int_t)rs->user_id, "project_id",
                     (json_int_t)rs->project_id, "name", rs->name, "phone", rs->phone, "kind",
                     rs->kind, "tags", tags, "room_ids", rooms, "has_password", rs->has_password,
                     "active", rs->active, "created_at", out_time(rs->created_at, off),
                     "updated_at", out_time(rs->updated_at, off));
}

static const char *const residents_fields[] = {"name", "phone", "kind", "room_ids",
                                               "tags", "active", NULL};

static int residents_input(req *r, json_t *b, resident_input *in)
{
    aj_error *err = &r->err;
    *in = (resident_input){0};
    if (jv_only(b, residents_fields, err) || jv_str(b, "name", 0, 100, &in->name, err) ||
        jv_str(b, "phone", 0, 20, &in->phone, err) || jv_str(b, "kind", 0, 16, &in->kind, err) ||
        jv_ids(b, "room_ids", 0, 20, &r->a, &in->room_ids, &in->nrooms, &in->has_rooms, err) ||
        jv_strs(b, "tags", 0, 10, 20, &r->a, &in->tags, &in->ntags, &in->has_tags, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err))
        return err->rc;
    return 0;
}

void api_residents_list(req *r)
{
    int64_t pid;
    page_req pg;
    resident_filter f = {0};
    resident *items;
    size_t n;
    int more;
    int64_t total = 0;
    if (!req_path_id_or_reply(r, "id", &pid)) return;
    if (!req_query_text_or_reply(r, "q", &f.q) ||
        !req_query_text_or_reply(r, "phone", &f.phone) ||
        !req_query_text_or_reply(r, "tag", &f.tag) || !out_page_or_reply(r, &pg) ||
        !out_active_or_reply(r, &f.active) ||
        !req_query_int_or_reply(r, "room_id", 1, INT64_MAX, &f.room_id, NULL))
        return;
    if (resident_list(r->db, &r->who, pid, &f, &pg, &r->a, &items, &n, &more, &total, &r->err))
        return reply_error(r);
    int off = n ? out_project_tz(r, pid) : CLOCK_TZ_DEFAULT;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, residents_json(&items[i], off));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, total);
}

void api_residents_create(req *r)
{
    int64_t pid;
    json_t *b;
    resident_input in;
    resident rs;
    if (!req_path_id_or_reply(r, "id", &pid)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (residents_input(r, b, &in) ||
        resident_create(r->db, &r->who, pid, &in, &r->a, &rs, &r->err))
        return reply_error(r);
    reply_json(r, 201, residents_json(&rs, out_project_tz(r, rs.project_id)));
}

void api_residents_get(req *r)
{
    int64_t id;
    resident rs;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (resident_get(r->db, &r->who, id, &r->a, &rs, &r->err)) return reply_error(r);
    reply_json(r, 200, residents_json(&rs, out_project_tz(r, rs.project_id)));
}

void api_residents_update(req *r)
{
    int64_t id;
    json_t *b;
    resident_input in;
    resident rs;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (residents_input(r, b, &in) ||
        resident_update(r->db, &r->who, id, &in, &r->a, &rs, &r->err))
        return reply_error(r);
    reply_json(r, 200, residents_json(&rs, out_project_tz(r, rs.project_id)));
}

static const char *const residents_password_fields[] = {"password", NULL};

void api_residents_password(req *r)
{
    int64_t id;
    json_t *b;
    const char *pw;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, residents_password_fields, &r->err) ||
        jv_str(b, "password", JV_REQUIRED, 256, &pw, &r->err) ||
        resident_set_password(r->db, &r->who, id, pw, &r->err))
        return reply_error(r);
    reply_status(r, 204);
}
