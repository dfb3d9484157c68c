/* domain/patrol/patrol_route.c: patrol routes (巡更路线) and their checkpoints: who sees and
 * edits them, the tokens their QR labels carry, and the items a round of the route has
 * (registered with the plan engine, one floor down, when the program loads). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/patrol/patrol.h"

void patrol_route_read_point(db_rows *r, arena *a, patrol_checkpoint *p)
{
    p->id = db_int(r, 0);
    p->route_id = db_int(r, 1);
    p->project_id = db_int(r, 2);
    p->seq = (int)db_int(r, 3);
    p->name = arena_strdup(a, db_text(r, 4));
    p->place = arena_strdup(a, db_text(r, 5));
    p->has_point = !db_null(r, 6) && !db_null(r, 7);
    p->lat = p->has_point ? db_real(r, 6) : 0;
    p->lng = p->has_point ? db_real(r, 7) : 0;
    p->radius_m = db_null(r, 8) ? 0 : db_int(r, 8);
    p->key_area = (int)db_int(r, 9);
    p->token = arena_strdup(a, db_text(r, 10));
    p->active = (int)db_int(r, 11);
}

static int patrol_route_may_edit(const actor *who, aj_error *err)
{
    return actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, ROLE_GUARD, 0);
}

static int patrol_route_check(const patrol_route_input *in, int creating, aj_error *err)
{
    if (creating && !in->project_id) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
    if (creating && !in->name) return aj_fail(err, AJ_EINVAL, "name", "缺少必填字段 name");
    if (in->name && (!*in->name || strlen(in->name) > 100))
        return aj_fail(err, AJ_EINVAL, "name", "路线名称须为 1 到 100 字节");
    if (creating && (!in->has_points || !in->npoints))
        return aj_fail(err, AJ_EINVAL, "checkpoints", "路线至少要有一个巡更点");
    if (in->has_points && !in->npoints)
        return aj_fail(err, AJ_EINVAL, "checkpoints", "路线至少要有一个巡更点");
    if (in->npoints > PATROL_MAX_POINTS)
        return aj_fail(err, AJ_EINVAL, "checkpoints", "一条路线最多 %d 个巡更点", PATROL_MAX_POINTS);
    for (size_t i = 0; i < in->npoints; i++) {
        const patrol_checkpoint_input *p = &in->points[i];
        if (!p->name || !*p->name || strlen(p->name) > 100)
            return aj_fail(err, AJ_EINVAL, "checkpoints", "第 %zu 个巡更点的名称须为 1 到 100 字节", i + 1);
        if (p->place && strlen(p->place) > 200)
            return aj_fail(err, AJ_EINVAL, "checkpoints", "第 %zu 个巡更点的位置最长 200 字节", i + 1);
        if (p->has_point && (!isfinite(p->lat) || !isfinite(p->lng) || fabs(p->lat) > 90 ||
                             fabs(p->lng) > 180))
            return aj_fail(err, AJ_EINVAL, "checkpoints", "第 %zu 个巡更点的经纬度无效", i + 1);
        if (p->radius_m < 0 || p->radius_m > 5000)
            return aj_fail(err, AJ_EINVAL, "checkpoints", "第 %zu 个巡更点的半径须在 0 到 5000 米之间", i + 1);
        if (p->radius_m && !p->has_point)
            return aj_fail(err, AJ_EINVAL, "checkpoints", "第 %zu 个巡更点设了半径却没有经纬度", i + 1);
        for (size_t k = 0; p->id && k < i; k++)
            if (in->points[k].id == p->id)
                return aj_fail(err, AJ_EINVAL, "checkpoints", "巡更点 %lld 出现了两次", (long long)p->id);
    }
    return 0;
}

static int patrol_route_load_points(db *c, patrol_route *rt, arena *a, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT " PATROL_CP_COLS " FROM patrol_checkpoints p"
                          " WHERE p.route_id = $1 AND p.active = 1 ORDER BY p.seq, p.id",
                          DB_ARGS(DB_INT(rt->id)), err);
    if (!r) return err->rc;
    size_t cap = 0;
    rt->points = NULL;
    rt->npoints = 0;
    while (db_next(r)) {
        rt->points = arena_grow(a, rt->points, rt->npoints, &cap, sizeof *rt->points);
        patrol_route_read_point(r, a, &rt->points[rt->npoints++]);
    }
    return db_end(r, err) ? err->rc : 0;
}

static void patrol_route_read(db_rows *r, arena *a, patrol_route *rt)
{
    rt->id = db_int(r, 0);
    rt->project_id = db_int(r, 1);
    rt->name = arena_strdup(a, db_text(r, 2));
    rt->active = (int)db_int(r, 3);
    rt->created_at = db_int(r, 4);
    rt->updated_at = db_int(r, 5);
}

int patrol_route_get(db *c, const actor *who, int64_t id, arena *a, patrol_route *out,
                     aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_ENOTFOUND, NULL, "巡更路线不存在");
    db_rows *r = db_query(c,
                          "SELECT id, project_id, name, active, created_at, updated_at"
                          " FROM patrol_routes WHERE id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) patrol_route_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    if (!found || actor_can_see_project(c, who, out->project_id, err))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "巡更路线不存在");
    return patrol_route_load_points(c, out, a, err);
}

/* Writes the list: kept ids keep their token, new ones get one, the rest are retired. */
static int patrol_route_write_points(db *c, int64_t route_id, int64_t project_id,
                                     const patrol_route_input *in, int64_t now, aj_error *err)
{
    if (db_exec(c, "UPDATE patrol_checkpoints SET active = 0, seq = seq + 100000, updated_at = $2"
                   " WHERE route_id = $1 AND active = 1",
                DB_ARGS(DB_INT(route_id), DB_INT(now)), err) < 0)
        return err->rc;
    for (size_t i = 0; i < in->npoints; i++) {
        const patrol_checkpoint_input *p = &in->points[i];
        db_val lat = p->has_point ? DB_REAL(p->lat) : DB_NULLV;
        db_val lng = p->has_point ? DB_REAL(p->lng) : DB_NULLV;
        if (p->id) {
            int64_t n = db_exec(c,
                                "UPDATE patrol_checkpoints SET seq = $3, name = $4, place = $5, lat = $6,"
                                " lng = $7, radius_m = $8, key_area = $9, active = 1, updated_at = $10"
                                " WHERE id = $1 AND route_id = $2",
                                DB_ARGS(DB_INT(p->id), DB_INT(route_id), DB_INT((int64_t)i + 1),
                                        DB_TEXT(p->name), DB_TEXT(p->place ? p->place : ""), lat, lng,
                                        DB_OPT_INT(p->radius_m, p->radius_m), DB_INT(p->key_area),
                                        DB_INT(now)),
                                err);
            if (n < 0) return err->rc;
            if (n == 0)
                return aj_fail(err, AJ_EINVAL, "checkpoints", "巡更点 %lld 不在这条路线上",
                               (long long)p->id);
            continue;
        }
        char token[TOKEN_LEN];
        if (token_new(token)) return aj_fail(err, AJ_EDB, NULL, "随机数不可用");
        if (db_exec(c,
                    "INSERT INTO patrol_checkpoints (route_id, project_id, seq, name, place, lat, lng,"
                    " radius_m, key_area, token, active, created_at, updated_at)"
                    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)",
                    DB_ARGS(DB_INT(route_id), DB_INT(project_id), DB_INT((int64_t)i + 1),
                            DB_TEXT(p->name), DB_TEXT(p->place ? p->place : ""), lat, lng,
                            DB_OPT_INT(p->radius_m, p->radius_m), DB_INT(p->key_area),
                            DB_TEXT(token), DB_INT(now)),
                    err) < 0)
            return err->rc;
    }
    return 0;
}

/* The round's items: one per active checkpoint in walking order, key = its id, marked
 * scan (the plan engine refuses a hand-written answer to it) and key_area. */
static int patrol_route_items(db *c, int64_t project_id, int64_t route_id, arena *a,
                              json_t **checklist, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT p.id, p.name, p.key_area FROM patrol_checkpoints p"
                          " JOIN patrol_routes rt ON rt.id = p.route_id"
                          " WHERE p.route_id = $1 AND rt.project_id = $2 AND p.active = 1"
                          " ORDER BY p.seq, p.id",
                          DB_ARGS(DB_INT(route_id), DB_INT(project_id)), err);
    (void)a; /* the items are JSON the plan engine owns */
    if (!r) return err->rc;
    json_t *list = json_array();
    while (db_next(r)) {
        char key[24];
        snprintf(key, sizeof key, "%lld", (long long)db_int(r, 0));
        /* scan: answered by a check-in at the checkpoint only, never by hand */
        json_array_append_new(list, json_pack("{s:s, s:s, s:s, s:b, s:b, s:b}", "key", key, "label",
                                              db_text(r, 1), "type", "check", "required", 1,
                                              "scan", 1, "key_area", (int)db_int(r, 2)));
    }
    if (db_end(r, err)) {
        json_decref(list);
        return err->rc;
    }
    if (!json_array_size(list)) {
        json_decref(list);
        return aj_fail(err, AJ_EINVAL, "route_id", "巡更路线不存在、不属于该项目或没有巡更点");
    }
    *checklist = list;
    return 0;
}

/* Every plan walking the route gets the new list for its future rounds. */
static int patrol_route_replan(db *c, const actor *who, int64_t route_id, int64_t project_id,
                               arena *a, int64_t now, aj_error *err)
{
    json_t *items;
    if (patrol_route_items(c, project_id, route_id, a, &items, err)) return err->rc;
    db_rows *r = db_query(c, "SELECT id FROM plans WHERE route_id = $1 ORDER BY id",
                          DB_ARGS(DB_INT(route_id)), err);
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    while (r && db_next(r)) {
        ids = arena_grow(a, ids, n, &cap, sizeof *ids);
        ids[n++] = db_int(r, 0);
    }
    int rc = !r || db_end(r, err) ? err->rc : 0;
    for (size_t i = 0; !rc && i < n; i++) rc = plan_reshape_in(c, who, ids[i], items, a, now, err);
    json_decref(items);
    return rc;
}

static json_t *patrol_route_change(const patrol_route_input *in)
{
    json_t *ch = json_object();
    if (in->project_id) json_object_set_new(ch, "project_id", json_integer(in->project_id));
    if (in->name) json_object_set_new(ch, "name", json_string(in->name));
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    if (in->has_points) json_object_set_new(ch, "checkpoints", json_integer((json_int_t)in->npoints));
    return ch;
}

static int patrol_route_conflict(int rc, aj_error *err)
{
    return rc == AJ_ECONFLICT ? aj_fail(err, AJ_ECONFLICT, "name", "该项目中已有同名巡更路线") : rc;
}

int patrol_route_create(db *c, const actor *who, const patrol_route_input *in, arena *a,
                        patrol_route *out, aj_error *err)
{
    if (patrol_route_check(in, 1, err)) return err->rc;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
    if (actor_can_see_project(c, who, in->project_id, err) || patrol_route_may_edit(who, err))
        return err->rc;
    int64_t now = clock_now(), id;
    if (db_begin(c, err)) return err->rc;
    int rc = db_scalar(c,
                       "INSERT INTO patrol_routes (project_id, name, active, created_at, updated_at)"
                       " VALUES ($1, $2, 1, $3, $3) RETURNING id",
                       DB_ARGS(DB_INT(in->project_id), DB_TEXT(in->name), DB_INT(now)), &id, err);
    if (rc) {
        patrol_route_conflict(rc, err);
        goto fail;
    }
    if (patrol_route_write_points(c, id, in->project_id, in, now, err)) goto fail;
    json_t *ch = patrol_route_change(in);
    rc = audit_append(c, who, "create", "patrol_route", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return patrol_route_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

int patrol_route_update(db *c, const actor *who, int64_t id, const patrol_route_input *in,
                        arena *a, patrol_route *out, aj_error *err)
{
    patrol_route cur;
    if (patrol_route_get(c, who, id, a, &cur, err)) return err->rc;
    if (patrol_route_may_edit(who, err) || patrol_route_check(in, 0, err)) return err->rc;
    if (in->project_id && in->project_id != cur.project_id)
        return aj_fail(err, AJ_EINVAL, "project_id", "路线所属项目不能修改");
    int64_t now = clock_now();
    if (db_begin(c, err)) return err->rc;
    int64_t n = db_exec(c,
                        "UPDATE patrol_routes SET name = COALESCE($2, name),"
                        " active = COALESCE(CAST($3 AS BIGINT), active), updated_at = $4 WHERE id = $1",
                        DB_ARGS(DB_INT(id), DB_TEXT(in->name), DB_OPT_INT(in->has_active, in->active),
                                DB_INT(now)),
                        err);
    if (n < 0) {
        patrol_route_conflict((int)n, err);
        goto fail;
    }
    if (in->has_points && (patrol_route_write_points(c, id, cur.project_id, in, now, err) ||
                           patrol_route_replan(c, who, id, cur.project_id, a, now, err)))
        goto fail;
    json_t *ch = patrol_route_change(in);
    int rc = audit_append(c, who, "update", "patrol_route", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return patrol_route_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

int patrol_route_list(db *c, const actor *who, int64_t project_id, const page_req *pg, arena *a,
                      patrol_route **items, size_t *n, int *more, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
    if (!project_id) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填参数 project_id");
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    db_rows *r = db_query(c,
                          "SELECT id, project_id, name, active, created_at, updated_at FROM patrol_routes"
                          " WHERE project_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                          DB_ARGS(DB_INT(project_id), DB_INT(pg->after), DB_INT(pg->limit + 1)), err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof(patrol_route) * (size_t)(pg->limit + 1));
    *n = 0;
    while (db_next(r)) patrol_route_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    for (size_t i = 0; i < *n; i++)
        if (patrol_route_load_points(c, &(*items)[i], a, err)) return err->rc;
    return 0;
}

int patrol_checkpoint_by_token(db *c, const actor *who, const char *token, arena *a,
                               patrol_checkpoint *out, aj_error *err)
{
    if (!token || strlen(token) > 64 || !actor_is_staff(who))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "巡更点不存在");
    db_rows *r = db_query(c,
                          "SELECT " PATROL_CP_COLS " FROM patrol_checkpoints p WHERE p.token = $1",
                          DB_ARGS(DB_TEXT(token)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) patrol_route_read_point(r, a, out);
    if (db_end(r, err)) return err->rc;
    if (!found || !out->active || actor_can_see_project(c, who, out->project_id, err))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "巡更点不存在");
    return 0;
}

int patrol_route_labels(db *c, const actor *who, int64_t id, const char *base_url, arena *a,
                        buf *out, size_t *count, aj_error *err)
{
    patrol_route rt;
    *count = 0;
    if (patrol_route_get(c, who, id, a, &rt, err)) return err->rc;
    label_item *labels = arena_alloc(a, (rt.npoints ? rt.npoints : 1) * sizeof *labels);
    for (size_t i = 0; i < rt.npoints; i++) {
        const patrol_checkpoint *p = &rt.points[i];
        labels[i] = (label_item){
            .code = arena_printf(a, "%s · %d%s", rt.name, p->seq, p->key_area ? " · 重点" : ""),
            .name = p->name, .place = p->place,
            .url = arena_printf(a, "%s/w/c/%s", base_url, p->token)};
    }
    if (label_sheet_pdf(labels, rt.npoints, "巡更点标签", "巡更扫码打卡 · Patrol check-in", out, err))
        return err->rc;
    *count = rt.npoints;
    return 0;
}

__attribute__((constructor)) static void patrol_route_register(void)
{
    plan_on_route_items(patrol_route_items);
}
