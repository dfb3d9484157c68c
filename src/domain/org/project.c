/* domain/org/project.c: projects: who may see and change them, and their rules. */
#include "domain/org/project.h"

#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"

#define PROJECT_COLS \
    "p.id, p.code, p.name, p.address, p.service_level, p.timezone, p.calendar_id, p.active," \
    " p.created_at, p.updated_at"

static void project_read(db_rows *r, arena *a, project *p)
{
    p->id = db_int(r, 0);
    p->code = arena_strdup(a, db_text(r, 1));
    p->name = arena_strdup(a, db_text(r, 2));
    p->address = arena_strdup(a, db_text(r, 3));
    p->service_level = (int)db_int(r, 4);
    p->timezone = arena_strdup(a, db_text(r, 5));
    p->calendar_id = db_int(r, 6);
    p->active = (int)db_int(r, 7);
    p->created_at = db_int(r, 8);
    p->updated_at = db_int(r, 9);
}

int project_tz_offset(const project *p)
{
    return clock_tz_offset_or_default(p->timezone);
}

static int project_check(const project_input *in, int creating, aj_error *err)
{
    if (creating && !in->code) return aj_fail(err, AJ_EINVAL, "code", "缺少必填字段 code");
    if (creating && !in->name) return aj_fail(err, AJ_EINVAL, "name", "缺少必填字段 name");
    if (in->code) {
        size_t n = strlen(in->code);
        if (n < 2 || n > 32) return aj_fail(err, AJ_EINVAL, "code", "项目编码须为 2 到 32 个字符");
        for (const char *s = in->code; *s; s++)
            if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
                  *s == '-' || *s == '_'))
                return aj_fail(err, AJ_EINVAL, "code", "项目编码只能包含字母、数字、- 和 _");
    }
    if (in->has_service_level && (in->service_level < 1 || in->service_level > 3))
        return aj_fail(err, AJ_EINVAL, "service_level", "服务等级须为 1、2 或 3");
    int off;
    if (in->timezone && clock_tz_offset(in->timezone, &off))
        return aj_fail(err, AJ_EINVAL, "timezone", "不支持的时区");
    return 0;
}

/* One statement for every role: the scope is a bound parameter, not SQL text.
 * $1 company-wide, $2 the staff user id, $3 the resident id. */
#define PROJECT_VISIBLE                                                                        \
    " ($1 = 1"                                                                                 \
    "   OR p.id IN (SELECT project_id FROM staff_projects WHERE user_id = $2)"                 \
    "   OR p.id IN (SELECT r.project_id FROM rooms r JOIN resident_rooms rr"                   \
    "               ON rr.room_id = r.id WHERE rr.resident_id = $3))"
#define PROJECT_SCOPE                                                                          \
    " WHERE" PROJECT_VISIBLE                                                                   \
    " AND (CAST($4 AS TEXT) IS NULL OR p.name LIKE $4 ESCAPE '\\' OR p.code LIKE $4 ESCAPE '\\')" \
    " AND (CAST($5 AS BIGINT) IS NULL OR p.active = CAST($5 AS BIGINT))"

int project_get(db *c, const actor *who, int64_t id, arena *a, project *out, aj_error *err)
{
    /* The scope check and the read are one statement: this is the hot path. */
    db_rows *r = db_query(c,
                          "SELECT " PROJECT_COLS " FROM projects p WHERE p.id = $4 AND"
                          PROJECT_VISIBLE,
                          DB_ARGS(DB_INT(actor_is_company_wide(who)),
                                  DB_INT(who->role == ROLE_RESIDENT ? 0 : who->id),
                                  DB_INT(who->resident_id), DB_INT(id)),
                          err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) project_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
}

static json_t *project_json_change(const project_input *in)
{
    json_t *ch = json_object();
    if (in->code) json_object_set_new(ch, "code", json_string(in->code));
    if (in->name) json_object_set_new(ch, "name", json_string(in->name));
    if (in->address) json_object_set_new(ch, "address", json_string(in->address));
    if (in->timezone) json_object_set_new(ch, "timezone", json_string(in->timezone));
    if (in->has_service_level)
        json_object_set_new(ch, "service_level", json_integer(in->service_level));
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    return ch;
}

int project_create(db *c, const actor *who, const project_input *in, arena *a, project *out,
                   aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, 0)) return err->rc;
    if (project_check(in, 1, err)) return err->rc;
    int64_t now = clock_now(), id;
    if (db_begin(c, err)) return err->rc;
    int rc = db_scalar(c,
                       "INSERT INTO projects (code, name, address, service_level, timezone,"
                       " calendar_id, active, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, 1, 1, $6, $6) RETURNING id",
                       DB_ARGS(DB_TEXT(in->code), DB_TEXT(in->name),
                               DB_TEXT(in->address ? in->address : ""),
                               DB_INT(in->has_service_level ? in->service_level : 1),
                               DB_TEXT(in->timezone ? in->timezone : "Asia/Shanghai"), DB_INT(now)),
                       &id, err);
    if (rc == AJ_ECONFLICT) aj_fail(err, AJ_ECONFLICT, "code", "项目编码已存在");
    if (rc) goto fail;
    json_t *ch = project_json_change(in);
    rc = audit_append(c, who, "create", "project", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return project_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

int project_update(db *c, const actor *who, int64_t id, const project_input *in, arena *a,
                   project *out, aj_error *err)
{
    if (actor_can_see_project(c, who, id, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, 0)) return err->rc;
    if (in->code) {
        /* A form may send back the code it read: the same code is no change. */
        project cur;
        if (project_get(c, who, id, a, &cur, err)) return err->rc;
        if (strcmp(cur.code, in->code) != 0)
            return aj_fail(err, AJ_EINVAL, "code", "项目编码创建后不可修改");
    }
    if (project_check(in, 0, err)) return err->rc;
    if (db_begin(c, err)) return err->rc;
    int64_t n = db_exec(c,
                        "UPDATE projects SET name = COALESCE($2, name),"
                        " address = COALESCE($3, address),"
                        " service_level = COALESCE(CAST($4 AS BIGINT), service_level),"
                        " timezone = COALESCE($5, timezone),"
                        " active = COALESCE(CAST($6 AS BIGINT), active), updated_at = $7"
                        " WHERE id = $1",
                        DB_ARGS(DB_INT(id), DB_TEXT(in->name), DB_TEXT(in->address),
                                DB_OPT_INT(in->has_service_level, in->service_level),
                                DB_TEXT(in->timezone), DB_OPT_INT(in->has_active, in->active),
                                DB_INT(clock_now())),
                        err);
    if (n < 0) goto fail;
    json_t *ch = project_json_change(in);
    int rc = audit_append(c, who, in->has_active && !in->active ? "deactivate" : "update",
                          "project", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return project_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

int project_list(db *c, const actor *who, const project_filter *f, const page_req *pg, arena *a,
                 project **items, size_t *n, int *more, int64_t *total, aj_error *err)
{
    const char *like = f->q ? db_like(a, f->q) : NULL;
    int wide = actor_is_company_wide(who);
    db_val args[] = {DB_INT(wide),
                     DB_INT(who->role == ROLE_RESIDENT ? 0 : who->id),
                     DB_INT(who->resident_id),
                     DB_TEXT(like),
                     DB_OPT_INT(f->active >= 0, f->active),
                     DB_INT(pg->after),
                     DB_INT(pg->limit + 1)};
    db_rows *r = db_query(c,
                          "SELECT " PROJECT_COLS " FROM projects p" PROJECT_SCOPE
                          " AND p.id > $6 ORDER BY p.id LIMIT $7",
                          7, args, err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof(project) * (size_t)(pg->limit + 1));
    *n = 0;
    while (db_next(r)) project_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    if (pg->want_total) {
        if (db_scalar(c, "SELECT COUNT(*) FROM projects p" PROJECT_SCOPE, 5, args, total, err))
            return err->rc;
    }
    return 0;
}

int project_id_by_code(db *c, const char *code, int64_t *id, aj_error *err)
{
    int rc = db_scalar(c, "SELECT id FROM projects WHERE code = $1 AND active = 1",
                       DB_ARGS(DB_TEXT(code)), id, err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
    return rc;
}
