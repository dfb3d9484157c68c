/* domain/core/actor.c: roles and the project scope every read and write is checked against. */
#include "domain/core/actor.h"

#include <stdarg.h>
#include <string.h>

static const char *const actor_role_names[] = {
    [ROLE_NONE] = "",           [ROLE_ADMIN] = "admin",   [ROLE_MANAGER] = "manager",
    [ROLE_QUALITY] = "quality", [ROLE_DESK] = "desk",     [ROLE_TECHNICIAN] = "technician",
    [ROLE_GUARD] = "guard",     [ROLE_CLEANER] = "cleaner", [ROLE_RESIDENT] = "resident",
};

actor actor_system(const char *source)
{
    return (actor){.id = 0, .role = ROLE_ADMIN, .name = "系统", .ip = "", .request_id = source};
}

actor_role actor_role_parse(const char *s)
{
    if (!s) return ROLE_NONE;
    for (int i = 1; i <= ROLE_RESIDENT; i++)
        if (strcmp(s, actor_role_names[i]) == 0) return (actor_role)i;
    return ROLE_NONE;
}

const char *actor_role_name(actor_role r)
{
    return r >= ROLE_NONE && r <= ROLE_RESIDENT ? actor_role_names[r] : "";
}

int actor_is_staff(const actor *a) { return a->role != ROLE_NONE && a->role != ROLE_RESIDENT; }

int actor_is_company_wide(const actor *a)
{
    /* The system (id 0) acts for the whole company: jobs, demo data, the CLI. */
    return a->role == ROLE_ADMIN || a->role == ROLE_QUALITY || a->id == 0;
}

int actor_require(const actor *a, aj_error *err, ...)
{
    va_list ap;
    va_start(ap, err);
    int r;
    while ((r = va_arg(ap, int)) != 0) {
        if ((int)a->role == r) {
            va_end(ap);
            return 0;
        }
    }
    va_end(ap);
    return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
}

int actor_can_see_project(db *c, const actor *a, int64_t project_id, aj_error *err)
{
    int64_t one;
    int rc;
    if (actor_is_company_wide(a))
        rc = db_scalar(c, "SELECT 1 FROM projects WHERE id = $1", DB_ARGS(DB_INT(project_id)),
                       &one, err);
    else if (a->role == ROLE_RESIDENT)
        rc = db_scalar(c,
                       "SELECT 1 FROM resident_rooms rr JOIN rooms r ON r.id = rr.room_id"
                       " WHERE rr.resident_id = $1 AND r.project_id = $2 LIMIT 1",
                       DB_ARGS(DB_INT(a->resident_id), DB_INT(project_id)), &one, err);
    else
        rc = db_scalar(c, "SELECT 1 FROM staff_projects WHERE user_id = $1 AND project_id = $2",
                       DB_ARGS(DB_INT(a->id), DB_INT(project_id)), &one, err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
    return rc;
}

int actor_can_see_room(db *c, const actor *a, int64_t room_id, aj_error *err)
{
    int64_t v;
    int rc;
    if (a->role == ROLE_RESIDENT) {
        rc = db_scalar(c, "SELECT 1 FROM resident_rooms WHERE resident_id = $1 AND room_id = $2",
                       DB_ARGS(DB_INT(a->resident_id), DB_INT(room_id)), &v, err);
        if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_ENOTFOUND, NULL, "房屋不存在");
        return rc;
    }
    rc = db_scalar(c, "SELECT project_id FROM rooms WHERE id = $1", DB_ARGS(DB_INT(room_id)), &v,
                   err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_ENOTFOUND, NULL, "房屋不存在");
    if (rc) return rc;
    rc = actor_can_see_project(c, a, v, err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_ENOTFOUND, NULL, "房屋不存在");
    return rc;
}
