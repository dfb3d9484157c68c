/* api/patrol/patrol_route_api.c: HTTP face of patrol routes and their checkpoints. */
#include <math.h>
#include <stdio.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/patrol/patrol_api.h"

json_t *api_patrol_checkpoint_json(const patrol_checkpoint *p)
{
    return json_pack("{s:I, s:I, s:i, s:s, s:s, s:o, s:o, s:o, s:b, s:s}", "id", (json_int_t)p->id,
                     "route_id", (json_int_t)p->route_id, "seq", p->seq, "name", p->name, "place",
                     p->place, "lat", p->has_point ? json_real(p->lat) : json_null(), "lng",
                     p->has_point ? json_real(p->lng) : json_null(), "radius_m",
                     p->radius_m ? json_integer(p->radius_m) : json_null(), "key_area",
                     p->key_area, "token", p->token);
}

static json_t *patrol_route_api_json(const patrol_route *rt, int off)
{
    json_t *cps = json_array();
    for (size_t i = 0; i < rt->npoints; i++)
        json_array_append_new(cps, api_patrol_checkpoint_json(&rt->points[i]));
    return json_pack("{s:I, s:I, s:s, s:b, s:o, s:o, s:o}", "id", (json_int_t)rt->id, "project_id",
                     (json_int_t)rt->project_id, "name", rt->name, "active", rt->active,
                     "checkpoints", cps, "created_at", out_time(rt->created_at, off), "updated_at",
                     out_time(rt->updated_at, off));
}

static const char *const patrol_route_api_fields[] = {"project_id", "name", "active", "checkpoints",
                                                      NULL};
static const char *const patrol_route_api_cp_fields[] = {"id", "name", "place", "lat", "lng",
                                                         "radius_m", "key_area", NULL};

static int patrol_route_api_input(json_t *b, arena *a, patrol_route_input *in, aj_error *err)
{
    *in = (patrol_route_input){0};
    int present;
    if (jv_only(b, patrol_route_api_fields, err) ||
        jv_int(b, "project_id", 0, 1, INT64_MAX, &in->project_id, &present, err) ||
        jv_str(b, "name", 0, 100, &in->name, err) ||
        jv_bool(b, "active", 0, &in->active, &in->has_active, err))
        return err->rc;
    json_t *cps = json_object_get(b, "checkpoints");
    if (!cps || json_is_null(cps)) return 0;
    if (!json_is_array(cps)) return aj_fail(err, AJ_EINVAL, "checkpoints", "checkpoints 须为数组");
    size_t n = json_array_size(cps);
    if (n > PATROL_MAX_POINTS)
        return aj_fail(err, AJ_EINVAL, "checkpoints", "一条路线最多 %d 个巡更点", PATROL_MAX_POINTS);
    in->has_points = 1;
    in->npoints = n;
    in->points = arena_alloc(a, sizeof *in->points * (n ? n : 1));
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(cps, i);
        patrol_checkpoint_input *p = &in->points[i];
        *p = (patrol_checkpoint_input){0};
        int has_lat = 0, has_lng = 0, has_radius = 0;
        double lat = 0, lng = 0;
        if (!json_is_object(o))
            return aj_fail(err, AJ_EINVAL, "checkpoints", "第 %zu 个巡更点须为对象", i + 1);
        /* the element's own field names would hide which checkpoint was wrong */
        aj_error e = {0};
        if (jv_only(o, patrol_route_api_cp_fields, &e) ||
            jv_int(o, "id", 0, 1, INT64_MAX, &p->id, &present, &e) ||
            jv_str(o, "name", JV_REQUIRED, 100, &p->name, &e) ||
            jv_str(o, "place", 0, 200, &p->place, &e) ||
            jv_num(o, "lat", 0, -90, 90, &lat, &has_lat, &e) ||
            jv_num(o, "lng", 0, -180, 180, &lng, &has_lng, &e) ||
            jv_int(o, "radius_m", 0, 0, 5000, &p->radius_m, &has_radius, &e) ||
            jv_bool(o, "key_area", 0, &p->key_area, &present, &e))
            return aj_fail(err, AJ_EINVAL, "checkpoints", "第 %zu 个巡更点：%s", i + 1, e.message);
        if (has_lat != has_lng)
            return aj_fail(err, AJ_EINVAL, "checkpoints", "第 %zu 个巡更点须同时给出 lat 和 lng", i + 1);
        p->has_point = has_lat && has_lng;
        p->lat = lat;
        p->lng = lng;
    }
    return 0;
}

void api_patrol_routes_list(req *r)
{
    int64_t project_id = 0;
    page_req pg;
    patrol_route *items;
    size_t n;
    int more;
    if (!req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &project_id, NULL) ||
        !out_page_or_reply(r, &pg))
        return;
    if (patrol_route_list(r->db, &r->who, project_id, &pg, &r->a, &items, &n, &more, &r->err))
        return reply_error(r);
    int off = n ? out_project_tz(r, project_id) : CLOCK_TZ_DEFAULT;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, patrol_route_api_json(&items[i], off));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, 0);
}

void api_patrol_routes_create(req *r)
{
    json_t *b;
    patrol_route_input in;
    patrol_route rt;
    if (!(b = req_json_or_reply(r))) return;
    if (patrol_route_api_input(b, &r->a, &in, &r->err) ||
        patrol_route_create(r->db, &r->who, &in, &r->a, &rt, &r->err))
        return reply_error(r);
    reply_json(r, 201, patrol_route_api_json(&rt, out_project_tz(r, rt.project_id)));
}

void api_patrol_routes_get(req *r)
{
    int64_t id;
    patrol_route rt;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (patrol_route_get(r->db, &r->who, id, &r->a, &rt, &r->err)) return reply_error(r);
    reply_json(r, 200, patrol_route_api_json(&rt, out_project_tz(r, rt.project_id)));
}

void api_patrol_routes_update(req *r)
{
    int64_t id;
    json_t *b;
    patrol_route_input in;
    patrol_route rt;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (patrol_route_api_input(b, &r->a, &in, &r->err) ||
        patrol_route_update(r->db, &r->who, id, &in, &r->a, &rt, &r->err))
        return reply_error(r);
    reply_json(r, 200, patrol_route_api_json(&rt, out_project_tz(r, rt.project_id)));
}

/* GET /patrol-routes/{id}/labels.pdf: the checkpoints' QR labels to print. */
void api_patrol_routes_labels(req *r)
{
    int64_t id;
    size_t count;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    buf pdf;
    buf_init(&pdf, NULL);
    if (patrol_route_labels(r->db, &r->who, id, out_public_base(r), &r->a, &pdf, &count, &r->err)) {
        buf_free(&pdf);
        return reply_error(r);
    }
    reply_raw(r, 200, "application/pdf", pdf.s, pdf.len);
    buf_free(&pdf);
    reply_header(r, "Content-Disposition", "inline; filename=\"checkpoint-labels.pdf\"");
    char n[24];
    snprintf(n, sizeof n, "%zu", count);
    reply_header(r, "X-Label-Count", n);
}
