/* domain/org/room.c: rooms (房屋): who may see and change them, and their rules. */
#include "domain/org/room.h"

#include <math.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"

#define ROOM_COLS                                                                              \
    "r.id, r.project_id, r.building_id, b.name, r.unit, r.floor, r.number, r.area_m2,"         \
    " r.active, r.created_at, r.updated_at"
#define ROOM_FROM " FROM rooms r JOIN buildings b ON b.id = r.building_id"

#define ROOM_AREA_MAX 100000.0

static void room_read(db_rows *r, arena *a, room *rm)
{
    rm->id = db_int(r, 0);
    rm->project_id = db_int(r, 1);
    rm->building_id = db_int(r, 2);
    rm->building_name = arena_strdup(a, db_text(r, 3));
    rm->unit = arena_strdup(a, db_text(r, 4));
    rm->floor = (int)db_int(r, 5);
    rm->number = arena_strdup(a, db_text(r, 6));
    rm->has_area = !db_null(r, 7);
    rm->area_m2 = rm->has_area ? db_real(r, 7) : 0;
    rm->active = (int)db_int(r, 8);
    rm->created_at = db_int(r, 9);
    rm->updated_at = db_int(r, 10);
}

static int room_check(const room_input *in, int creating, aj_error *err)
{
    if (creating && !in->has_building_id)
        return aj_fail(err, AJ_EINVAL, "building_id", "缺少必填字段 building_id");
    if (creating && !in->has_floor) return aj_fail(err, AJ_EINVAL, "floor", "缺少必填字段 floor");
    if (creating && !in->number) return aj_fail(err, AJ_EINVAL, "number", "缺少必填字段 number");
    if (in->number && (!*in->number || strlen(in->number) > 20))
        return aj_fail(err, AJ_EINVAL, "number", "房号须为 1 到 20 字节");
    if (in->unit && strlen(in->unit) > 20)
        return aj_fail(err, AJ_EINVAL, "unit", "单元名称最多 20 字节");
    if (in->has_area && (!isfinite(in->area_m2) || in->area_m2 <= 0 || in->area_m2 > ROOM_AREA_MAX))
        return aj_fail(err, AJ_EINVAL, "area_m2", "面积须大于 0 且不超过 %.0f 平方米",
                       ROOM_AREA_MAX);
    return 0;
}

/* The building must be an active building of the project, and the floor one of its floors. */
static int room_check_place(db *c, int64_t project_id, int64_t building_id, int building_given,
                            int64_t floor, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT floors, active FROM buildings WHERE id = $1 AND project_id = $2",
                          DB_ARGS(DB_INT(building_id), DB_INT(project_id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    int64_t floors = found ? db_int(r, 0) : 0;
    int active = found ? (int)db_int(r, 1) : 0;
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_EINVAL, "building_id", "楼栋不存在或不属于该项目");
    if (building_given && !active) return aj_fail(err, AJ_EINVAL, "building_id", "楼栋已停用");
    if (floor < 1 || floor > floors)
        return aj_fail(err, AJ_EINVAL, "floor", "楼层须在 1 到 %lld 之间", (long long)floors);
    return 0;
}

static int room_conflict(int rc, aj_error *err)
{
    if (rc == AJ_ECONFLICT)
        return aj_fail(err, AJ_ECONFLICT, "number", "该楼栋单元中已有相同房号");
    return rc;
}

int room_get(db *c, const actor *who, int64_t id, arena *a, room *out, aj_error *err)
{
    if (actor_can_see_room(c, who, id, err)) return err->rc;
    db_rows *r = db_query(c, "SELECT " ROOM_COLS ROOM_FROM " WHERE r.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) room_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "房屋不存在");
}

static json_t *room_json_change(int64_t project_id, const room_input *in)
{
    json_t *ch = json_object();
    if (project_id) json_object_set_new(ch, "project_id", json_integer(project_id));
    if (in->has_building_id) json_object_set_new(ch, "building_id", json_integer(in->building_id));
    if (in->unit) json_object_set_new(ch, "unit", json_string(in->unit));
    if (in->has_floor) json_object_set_new(ch, "floor", json_integer(in->floor));
    if (in->number) json_object_set_new(ch, "number", json_string(in->number));
    if (in->has_area) json_object_set_new(ch, "area_m2", json_real(in->area_m2));
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    return ch;
}

int room_create(db *c, const actor *who, int64_t project_id, const room_input *in, arena *a,
                room *out, aj_error *err)
{
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, 0)) return err->rc;
    if (room_check(in, 1, err)) return err->rc;
    if (room_check_place(c, project_id, in->building_id, 1, in->floor, err)) return err->rc;
    int64_t now = clock_now(), id;
    if (db_begin(c, err)) return err->rc;
    int rc = db_scalar(c,
                       "INSERT INTO rooms (project_id, building_id, unit, floor, number, area_m2,"
                       " active, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
                       DB_ARGS(DB_INT(project_id), DB_INT(in->building_id),
                               DB_TEXT(in->unit ? in->unit : ""), DB_INT(in->floor),
                               DB_TEXT(in->number), in->has_area ? DB_REAL(in->area_m2) : DB_NULLV,
                               DB_INT(now)),
                       &id, err);
    if (rc) {
        room_conflict(rc, err);
        goto fail;
    }
    json_t *ch = room_json_change(project_id, in);
    rc = audit_append(c, who, "create", "room", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return room_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

int room_update(db *c, const actor *who, int64_t id, const room_input *in, arena *a, room *out,
                aj_error *err)
{
    room cur;
    if (room_get(c, who, id, a, &cur, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, 0)) return err->rc;
    if (room_check(in, 0, err)) return err->rc;
    if (in->has_building_id || in->has_floor) {
        int64_t bid = in->has_building_id ? in->building_id : cur.building_id;
        int64_t floor = in->has_floor ? in->floor : cur.floor;
        if (room_check_place(c, cur.project_id, bid, in->has_building_id && bid != cur.building_id,
                             floor, err))
            return err->rc;
    }
    if (db_begin(c, err)) return err->rc;
    int64_t n = db_exec(c,
                        "UPDATE rooms SET building_id = COALESCE(CAST($2 AS BIGINT), building_id),"
                        " unit = COALESCE($3, unit), floor = COALESCE(CAST($4 AS BIGINT), floor),"
                        " number = COALESCE($5, number),"
                        " area_m2 = COALESCE(CAST($6 AS DOUBLE PRECISION), area_m2),"
                        " active = COALESCE(CAST($7 AS BIGINT), active), updated_at = $8"
                        " WHERE id = $1",
                        DB_ARGS(DB_INT(id), DB_OPT_INT(in->has_building_id, in->building_id),
                                DB_TEXT(in->unit), DB_OPT_INT(in->has_floor, in->floor),
                                DB_TEXT(in->number),
                                in->has_area ? DB_REAL(in->area_m2) : DB_NULLV,
                                DB_OPT_INT(in->has_active, in->active), DB_INT(clock_now())),
                        err);
    if (n < 0) {
        room_conflict((int)n, err);
        goto fail;
    }
    json_t *ch = room_json_change(0, in);
    int rc = audit_append(c, who, in->has_active && !in->active ? "deactivate" : "update", "room",
                          id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return room_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

/* The project's rooms; for a resident ($2 > 0) only the rooms bound to them. */
#define ROOM_FILTER                                                                            \
    " WHERE r.project_id = $1"                                                                 \
    " AND (CAST($2 AS BIGINT) = 0"                                                             \
    "      OR r.id IN (SELECT room_id FROM resident_rooms WHERE resident_id = $2))"            \
    " AND (CAST($3 AS BIGINT) = 0 OR r.building_id = $3)"                                      \
    " AND (CAST($4 AS TEXT) IS NULL OR r.unit = $4)"                                           \
    " AND (CAST($5 AS BIGINT) IS NULL OR r.floor = $5)"                                        \
    " AND (CAST($6 AS TEXT) IS NULL OR r.number LIKE $6 ESCAPE '\\')"                          \
    " AND (CAST($7 AS BIGINT) IS NULL OR r.active = CAST($7 AS BIGINT))"

int room_list(db *c, const actor *who, int64_t project_id, const room_filter *f,
              const page_req *pg, arena *a, room **items, size_t *n, int *more, int64_t *total,
              aj_error *err)
{
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    const char *like = f->q ? db_like(a, f->q) : NULL;
    db_val args[] = {DB_INT(project_id),
                     DB_INT(who->role == ROLE_RESIDENT ? who->resident_id : 0),
                     DB_INT(f->building_id),
                     DB_TEXT(f->unit),
                     DB_OPT_INT(f->has_floor, f->floor),
                     DB_TEXT(like),
                     DB_OPT_INT(f->active >= 0, f->active),
                     DB_INT(pg->after),
                     DB_INT(pg->limit + 1)};
    db_rows *r = db_query(c,
                          "SELECT " ROOM_COLS ROOM_FROM ROOM_FILTER
                          " AND r.id > $8 ORDER BY r.id LIMIT $9",
                          9, args, err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof(room) * (size_t)(pg->limit + 1));
    *n = 0;
    while (db_next(r)) room_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    if (pg->want_total) {
        if (db_scalar(c, "SELECT COUNT(*) FROM rooms r" ROOM_FILTER, 7, args, total, err))
            return err->rc;
    }
    return 0;
}
