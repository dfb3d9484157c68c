/* domain/org/building.c: buildings (楼栋): who may see and change them, and their rules. */
#include "domain/org/building.h"

#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"

#define BUILDING_COLS \
    "b.id, b.project_id, b.name, b.floors, b.active, b.created_at, b.updated_at"

#define BUILDING_FLOORS_MAX 200

static void building_read(db_rows *r, arena *a, building *b)
{
    b->id = db_int(r, 0);
    b->project_id = db_int(r, 1);
    b->name = arena_strdup(a, db_text(r, 2));
    b->floors = (int)db_int(r, 3);
    b->active = (int)db_int(r, 4);
    b->created_at = db_int(r, 5);
    b->updated_at = db_int(r, 6);
}

static int building_check(const building_input *in, int creating, aj_error *err)
{
    if (creating && !in->name) return aj_fail(err, AJ_EINVAL, "name", "缺少必填字段 name");
    if (creating && !in->has_floors)
        return aj_fail(err, AJ_EINVAL, "floors", "缺少必填字段 floors");
    if (in->name && (!*in->name || strlen(in->name) > 100))
        return aj_fail(err, AJ_EINVAL, "name", "楼栋名称须为 1 到 100 字节");
    if (in->has_floors && (in->floors < 1 || in->floors > BUILDING_FLOORS_MAX))
        return aj_fail(err, AJ_EINVAL, "floors", "楼层数须在 1 到 %d 之间", BUILDING_FLOORS_MAX);
    return 0;
}

/* A resident sees a building only when one of their rooms is in it. */
static int building_resident_sees(db *c, const actor *who, int64_t id, aj_error *err)
{
    int64_t one;
    int rc = db_scalar(c,
                       "SELECT 1 FROM rooms r JOIN resident_rooms rr ON rr.room_id = r.id"
                       " WHERE r.building_id = $1 AND rr.resident_id = $2 LIMIT 1",
                       DB_ARGS(DB_INT(id), DB_INT(who->resident_id)), &one, err);
    return rc == AJ_ENOTFOUND ? aj_fail(err, AJ_ENOTFOUND, NULL, "楼栋不存在") : rc;
}

int building_get(db *c, const actor *who, int64_t id, arena *a, building *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT " BUILDING_COLS " FROM buildings b WHERE b.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) building_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "楼栋不存在");
    int rc = who->role == ROLE_RESIDENT ? building_resident_sees(c, who, id, err)
                                        : actor_can_see_project(c, who, out->project_id, err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_ENOTFOUND, NULL, "楼栋不存在");
    return rc;
}

static json_t *building_json_change(int64_t project_id, const building_input *in)
{
    json_t *ch = json_object();
    if (project_id) json_object_set_new(ch, "project_id", json_integer(project_id));
    if (in->name) json_object_set_new(ch, "name", json_string(in->name));
    if (in->has_floors) json_object_set_new(ch, "floors", json_integer(in->floors));
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    return ch;
}

static int building_conflict(int rc, aj_error *err)
{
    if (rc == AJ_ECONFLICT) return aj_fail(err, AJ_ECONFLICT, "name", "该项目中已有同名楼栋");
    return rc;
}

int building_create(db *c, const actor *who, int64_t project_id, const building_input *in,
                    arena *a, building *out, aj_error *err)
{
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, 0)) return err->rc;
    if (building_check(in, 1, err)) return err->rc;
    int64_t now = clock_now(), id;
    if (db_begin(c, err)) return err->rc;
    int rc = db_scalar(c,
                       "INSERT INTO buildings (project_id, name, floors, active, created_at,"
                       " updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id",
                       DB_ARGS(DB_INT(project_id), DB_TEXT(in->name), DB_INT(in->floors),
                               DB_INT(now)),
                       &id, err);
    if (rc) {
        building_conflict(rc, err);
        goto fail;
    }
    json_t *ch = building_json_change(project_id, in);
    rc = audit_append(c, who, "create", "building", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return building_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

int building_update(db *c, const actor *who, int64_t id, const building_input *in, arena *a,
                    building *out, aj_error *err)
{
    building cur;
    if (building_get(c, who, id, a, &cur, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, 0)) return err->rc;
    if (building_check(in, 0, err)) return err->rc;
    if (db_begin(c, err)) return err->rc;
    if (in->has_floors) {
        /* Fewer floors must not strand rooms above the new top floor. */
        int64_t top = 0;
        int rc = db_scalar(c, "SELECT COALESCE(MAX(floor), 0) FROM rooms WHERE building_id = $1",
                           DB_ARGS(DB_INT(id)), &top, err);
        if (rc) {
            if (rc == AJ_ENOTFOUND) aj_fail(err, AJ_EDB, NULL, "database error");
            goto fail;
        }
        if (top > in->floors) {
            aj_fail(err, AJ_EINVAL, "floors", "该楼栋已有位于第 %lld 层的房屋，楼层数不能少于此数",
                    (long long)top);
            goto fail;
        }
    }
    int64_t n = db_exec(c,
                        "UPDATE buildings SET name = COALESCE($2, name),"
                        " floors = COALESCE(CAST($3 AS BIGINT), floors),"
                        " active = COALESCE(CAST($4 AS BIGINT), active), updated_at = $5"
                        " WHERE id = $1",
                        DB_ARGS(DB_INT(id), DB_TEXT(in->name),
                                DB_OPT_INT(in->has_floors, in->floors),
                                DB_OPT_INT(in->has_active, in->active), DB_INT(clock_now())),
                        err);
    if (n < 0) {
        building_conflict((int)n, err);
        goto fail;
    }
    json_t *ch = building_json_change(0, in);
    int rc = audit_append(c, who, in->has_active && !in->active ? "deactivate" : "update",
                          "building", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return building_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

/* The project's buildings; for a resident ($2 > 0) only those holding their rooms. */
#define BUILDING_FILTER                                                                        \
    " WHERE b.project_id = $1"                                                                 \
    " AND (CAST($2 AS BIGINT) = 0 OR b.id IN (SELECT r.building_id FROM rooms r"               \
    "      JOIN resident_rooms rr ON rr.room_id = r.id WHERE rr.resident_id = $2))"            \
    " AND (CAST($3 AS TEXT) IS NULL OR b.name LIKE $3 ESCAPE '\\')"                            \
    " AND (CAST($4 AS BIGINT) IS NULL OR b.active = CAST($4 AS BIGINT))"

int building_list(db *c, const actor *who, int64_t project_id, const building_filter *f,
                  const page_req *pg, arena *a, building **items, size_t *n, int *more,
                  int64_t *total, aj_error *err)
{
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    const char *like = f->q ? db_like(a, f->q) : NULL;
    db_val args[] = {DB_INT(project_id),
                     DB_INT(who->role == ROLE_RESIDENT ? who->resident_id : 0),
                     DB_TEXT(like),
                     DB_OPT_INT(f->active >= 0, f->active),
                     DB_INT(pg->after),
                     DB_INT(pg->limit + 1)};
    db_rows *r = db_query(c,
                          "SELECT " BUILDING_COLS " FROM buildings b" BUILDING_FILTER
                          " AND b.id > $5 ORDER BY b.id LIMIT $6",
                          6, args, err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof(building) * (size_t)(pg->limit + 1));
    *n = 0;
    while (db_next(r)) building_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    if (pg->want_total) {
        if (db_scalar(c, "SELECT COUNT(*) FROM buildings b" BUILDING_FILTER, 4, args, total, err))
            return err->rc;
    }
    return 0;
}
