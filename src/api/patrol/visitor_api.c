/* api/patrol/visitor_api.c: HTTP face of the visitors' register: the day's register, the
 * gate's registration, a resident's pre-registration and its pass code, arrive, leave. */
#include <string.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/patrol/patrol_api.h"
#include "base/clock.h"

static json_t *visitor_api_json(const visitor *v)
{
    int off = v->tz_offset;
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:o, s:o, s:s, s:o}", "id", (json_int_t)v->id,
                          "project_id", (json_int_t)v->project_id, "source", v->source, "name",
                          v->name, "phone", out_str(v->phone), "room_id",
                          v->room_id ? json_integer(v->room_id) : json_null(), "room",
                          out_str(v->room), "purpose", v->purpose, "plate", out_str(v->plate));
    json_object_set_new(o, "expected_at", out_time(v->expected_at, off));
    json_object_set_new(o, "arrived_at", out_time(v->arrived_at, off));
    json_object_set_new(o, "left_at", out_time(v->left_at, off));
    json_object_set_new(o, "created_at", out_time(v->created_at, off));
    json_object_set_new(o, "state", json_string(v->left_at      ? "left"
                                                : v->arrived_at ? "in"
                                                                : "expected"));
    if (v->code) json_object_set_new(o, "code", json_string(v->code));
    return o;
}

static const char *const visitor_api_fields[] = {"project_id", "name",        "phone", "room_id",
                                                 "purpose",    "plate",       "expected_at", NULL};

static int visitor_api_input(json_t *b, int mine, visitor_input *in, aj_error *err)
{
    *in = (visitor_input){0};
    json_t *room_v = json_object_get(b, "room_id");
    if (jv_only(b, visitor_api_fields, err) ||
        (!mine && jv_int(b, "project_id", JV_REQUIRED, 1, INT64_MAX, &in->project_id, NULL, err)) ||
        jv_str(b, "name", JV_REQUIRED, 100, &in->name, err) ||
        jv_str(b, "phone", 0, 20, &in->phone, err) || jv_str(b, "purpose", 0, 200, &in->purpose, err) ||
        jv_str(b, "plate", 0, 40, &in->plate, err))
        return err->rc;
    if (room_v && !json_is_null(room_v) &&
        jv_int(b, "room_id", mine ? JV_REQUIRED : 0, 1, INT64_MAX, &in->room_id, NULL, err))
        return err->rc;
    if (mine && jv_time(b, "expected_at", JV_REQUIRED, &in->expected_at, err)) return err->rc;
    if (!mine && json_object_get(b, "expected_at"))
        return aj_fail(err, AJ_EINVAL, "expected_at", "门岗登记即到访，不填 expected_at");
    return 0;
}

/* GET /visitors?project_id=&day=YYYY-MM-DD (default today at the project). */
void api_visitors_list(req *r)
{
    int64_t project_id, days;
    int off;
    if (!req_staff_or_reply(r) || !out_project_day_or_reply(r, "day", &project_id, &days, &off))
        return;
    visitor *items;
    size_t n;
    visitor_day s;
    if (visitor_day_list(r->db, &r->who, project_id, days * 86400 - off, &r->a, &items, &n, &s,
                         &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, visitor_api_json(&items[i]));
    char ymd[16];
    clock_format_date(days, ymd, sizeof ymd);
    json_t *sum = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "total", (json_int_t)s.total,
                            "arrived", (json_int_t)s.arrived, "inside", (json_int_t)s.inside,
                            "pre_registered", (json_int_t)s.pre_registered, "at_gate",
                            (json_int_t)s.at_gate, "expected", (json_int_t)s.expected);
    /* shares of the visits that came: pre-registered + at the gate = 1 */
    json_object_set_new(sum, "share_pre_registered",
                        s.arrived ? json_real((double)s.pre_registered / (double)s.arrived) : json_null());
    json_object_set_new(sum, "share_at_gate",
                        s.arrived ? json_real((double)s.at_gate / (double)s.arrived) : json_null());
    reply_json(r, 200, json_pack("{s:s, s:o, s:o}", "day", ymd, "items", arr, "summary", sum));
}

void api_visitors_create(req *r)
{
    json_t *b;
    visitor_input in;
    visitor v;
    if (!(b = req_json_or_reply(r))) return;
    if (visitor_api_input(b, 0, &in, &r->err) ||
        visitor_register(r->db, &r->who, &in, &r->a, &v, &r->err))
        return reply_error(r);
    reply_json(r, 201, visitor_api_json(&v));
}

static const char *const visitor_api_arrive_fields[] = {"code", "project_id", NULL};

/* POST /visitors/{id}/actions/arrive {"code"} and /visitors/actions/arrive {"code","project_id"}. */
void api_visitors_arrive(req *r)
{
    int64_t id = 0, project_id = 0;
    json_t *b;
    const char *code = NULL;
    visitor v;
    if (req_param(r, "id") && !req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, visitor_api_arrive_fields, &r->err) ||
        jv_str(b, "code", JV_REQUIRED, 16, &code, &r->err) ||
        (!id && jv_int(b, "project_id", JV_REQUIRED, 1, INT64_MAX, &project_id, NULL, &r->err)) ||
        visitor_arrive(r->db, &r->who, id, project_id, code, &r->a, &v, &r->err))
        return reply_error(r);
    reply_json(r, 200, visitor_api_json(&v));
}

void api_visitors_leave(req *r)
{
    int64_t id;
    visitor v;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (visitor_leave(r->db, &r->who, id, &r->a, &v, &r->err)) return reply_error(r);
    reply_json(r, 200, visitor_api_json(&v));
}

void api_me_visitors_list(req *r)
{
    visitor *items;
    size_t n;
    if (visitor_mine(r->db, &r->who, &r->a, &items, &n, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, visitor_api_json(&items[i]));
    reply_json(r, 200, json_pack("{s:o}", "items", arr));
    reply_header(r, "Cache-Control", "private, no-store");
}

void api_me_visitors_create(req *r)
{
    json_t *b;
    visitor_input in;
    visitor v;
    if (!(b = req_json_or_reply(r))) return;
    if (visitor_api_input(b, 1, &in, &r->err) ||
        visitor_preregister(r->db, &r->who, &in, &r->a, &v, &r->err))
        return reply_error(r);
    reply_json(r, 201, visitor_api_json(&v));
    reply_header(r, "Cache-Control", "private, no-store");
}
