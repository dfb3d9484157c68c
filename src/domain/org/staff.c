/* domain/org/staff.c: staff (员工): accounts, roles, departments, skills, projects, duty. */
#include "domain/org/staff.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/strlist.h"
#include "domain/core/core.h"
#include "domain/identity/identity.h"

/* The department's name from its record; users.department (kept in step) only
 * for a row the migration could not place. */
#define STAFF_COLS                                                                             \
    "u.id, u.username, u.name, u.phone, u.role, COALESCE(d.name, u.department), u.skills,"     \
    " u.on_duty, u.active, u.created_at, u.updated_at, u.department_id, d.function"
#define STAFF_FROM " FROM users u LEFT JOIN departments d ON d.id = u.department_id"

/* Who sees whom, as bound parameters: $1 company-wide, $2 the actor's user id,
 * $3 the actor is a manager (sees staff sharing one of their projects). */
#define STAFF_SCOPE                                                                            \
    " u.role <> 'resident'"                                                                    \
    " AND ($1 = 1 OR u.id = $2"                                                                \
    "      OR ($3 = 1 AND u.id IN (SELECT sp.user_id FROM staff_projects sp"                   \
    "          JOIN staff_projects mine ON mine.project_id = sp.project_id"                    \
    "          WHERE mine.user_id = $2)))"

static void staff_read(db_rows *r, arena *a, staff *s)
{
    s->id = db_int(r, 0);
    s->username = arena_strdup(a, db_text(r, 1));
    s->name = arena_strdup(a, db_text(r, 2));
    s->phone = arena_strdup(a, db_text(r, 3));
    s->role = arena_strdup(a, db_text(r, 4));
    s->department = arena_strdup(a, db_text(r, 5));
    s->skills = strlist_decode(a, db_text(r, 6), &s->nskills);
    s->on_duty = (int)db_int(r, 7);
    s->active = (int)db_int(r, 8);
    s->created_at = db_int(r, 9);
    s->updated_at = db_int(r, 10);
    s->department_id = db_null(r, 11) ? 0 : db_int(r, 11);
    s->department_function = db_null(r, 12) ? NULL : arena_strdup(a, db_text(r, 12));
    s->project_ids = NULL;
    s->nprojects = 0;
}

/* Project ids of items[0..n) (in id order); sql selects (user_id, project_id) ordered by both. */
static int staff_fill_projects(db *c, const char *sql, int nargs, const db_val *args, arena *a,
                               staff *items, size_t n, aj_error *err)
{
    if (!n) return 0;
    db_pair *pairs;
    size_t len, k = 0;
    if (db_pairs(c, sql, nargs, args, a, &pairs, &len, err)) return err->rc;
    for (size_t i = 0; i < n; i++)
        items[i].project_ids = db_pairs_group(pairs, len, &k, items[i].id, a, &items[i].nprojects);
    return 0;
}

static int staff_username_ok(const char *u)
{
    size_t n = strlen(u);
    if (n < 3 || n > 32) return 0;
    if (!((u[0] >= 'a' && u[0] <= 'z') || (u[0] >= 'A' && u[0] <= 'Z'))) return 0;
    for (const char *s = u; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int staff_phone_ok(const char *p)
{
    size_t n = strlen(p), digits = 0;
    if (n > 20) return 0;
    for (const char *s = p; *s; s++) {
        if (*s >= '0' && *s <= '9') digits++;
        else if (*s != '+' && *s != '-' && *s != ' ') return 0;
    }
    return digits >= 3;
}

static int staff_check(db *c, const actor *who, const staff_input *in, int creating,
                       aj_error *err)
{
    if (creating && !in->username)
        return aj_fail(err, AJ_EINVAL, "username", "缺少必填字段 username");
    if (creating && !in->password)
        return aj_fail(err, AJ_EINVAL, "password", "缺少必填字段 password");
    if (creating && !in->name) return aj_fail(err, AJ_EINVAL, "name", "缺少必填字段 name");
    if (creating && !in->role) return aj_fail(err, AJ_EINVAL, "role", "缺少必填字段 role");
    if (in->username && !staff_username_ok(in->username))
        return aj_fail(err, AJ_EINVAL, "username",
                       "用户名须为 3 到 32 个字符，以字母开头，只含字母、数字、. _ -");
    if (in->password && password_check_rules(in->password, err)) return err->rc;
    if (in->name && (!*in->name || strlen(in->name) > 100))
        return aj_fail(err, AJ_EINVAL, "name", "姓名须为 1 到 100 字节");
    if (in->phone && *in->phone && !staff_phone_ok(in->phone))
        return aj_fail(err, AJ_EINVAL, "phone", "电话号码格式不正确");
    if (in->role) {
        actor_role r = actor_role_parse(in->role);
        if (r == ROLE_NONE || r == ROLE_RESIDENT)
            return aj_fail(err, AJ_EINVAL, "role",
                           "角色须为 admin、manager、quality、desk、technician、guard 或 cleaner");
    }
    for (size_t i = 0; in->has_skills && i < in->nskills; i++) {
        if (!*in->skills[i] || strlen(in->skills[i]) > 32)
            return aj_fail(err, AJ_EINVAL, "skills", "每项技能须为 1 到 32 字节");
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->skills[k], in->skills[i]) == 0)
                return aj_fail(err, AJ_EINVAL, "skills", "技能有重复项");
    }
    /* A manager hands out only projects they hold themselves. */
    for (size_t i = 0; in->has_projects && i < in->nprojects; i++) {
        int rc = actor_can_see_project(c, who, in->project_ids[i], err);
        if (rc == AJ_ENOTFOUND)
            return aj_fail(err, AJ_EINVAL, "project_ids", "项目 %lld 不存在或不在您的管辖范围内",
                           (long long)in->project_ids[i]);
        if (rc) return rc;
    }
    return 0;
}

/* The department a staff input asks for: set when it names one (or none). */
typedef struct staff_dept {
    int set;
    int64_t id; /* 0: none */
    const char *name;
} staff_dept;

/* in's department, by name (department_resolve) and/or id, held until commit
 * (department_hold: called in the write transaction); keep is the current
 * department id, accepted again even if it was deactivated since. */
static int staff_department(db *c, const staff_input *in, int64_t keep, arena *a,
                            staff_dept *out, aj_error *err)
{
    const char *field = "department_id";
    *out = (staff_dept){0, 0, ""};
    if (in->department && *in->department) {
        if (department_resolve(c, in->department, "department", a, &out->id, &out->name, err))
            return err->rc;
        out->set = 1;
        field = "department";
    } else if (in->department) {
        out->set = 1; /* "" (the command line): no department */
    }
    if (in->has_department_id) {
        if (out->set && out->id != in->department_id)
            return aj_fail(err, AJ_EINVAL, "department", "department 与 department_id 不是同一个部门");
        out->set = 1;
        out->id = in->department_id;
    }
    if (out->id && department_hold(c, out->id, keep, field, a, &out->name, err)) return err->rc;
    return 0;
}

int staff_get(db *c, const actor *who, int64_t id, arena *a, staff *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    db_rows *r = db_query(c, "SELECT " STAFF_COLS STAFF_FROM " WHERE u.id = $4 AND" STAFF_SCOPE,
                          DB_ARGS(DB_INT(actor_is_company_wide(who)), DB_INT(who->id),
                                  DB_INT(who->role == ROLE_MANAGER), DB_INT(id)),
                          err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) staff_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "员工不存在");
    return staff_fill_projects(c,
                               "SELECT user_id, project_id FROM staff_projects"
                               " WHERE user_id = $1 ORDER BY project_id",
                               DB_ARGS(DB_INT(id)), a, out, 1, err);
}

static json_t *staff_json_change(const staff_input *in, const staff_dept *dept)
{
    json_t *ch = json_object();
    if (in->username) json_object_set_new(ch, "username", json_string(in->username));
    if (in->password) json_object_set_new(ch, "password_set", json_true()); /* never the value */
    if (in->name) json_object_set_new(ch, "name", json_string(in->name));
    if (in->phone) json_object_set_new(ch, "phone", json_string(in->phone));
    if (in->role) json_object_set_new(ch, "role", json_string(in->role));
    if (dept->set) {
        json_object_set_new(ch, "department_id", dept->id ? json_integer(dept->id) : json_null());
        json_object_set_new(ch, "department", json_string(dept->name));
    }
    if (in->has_skills) json_object_set_new(ch, "skills", strlist_json(in->skills, in->nskills));
    if (in->has_projects) {
        json_t *ids = json_array();
        for (size_t i = 0; i < in->nprojects; i++)
            json_array_append_new(ids, json_integer(in->project_ids[i]));
        json_object_set_new(ch, "project_ids", ids);
    }
    if (in->has_on_duty) json_object_set_new(ch, "on_duty", json_boolean(in->on_duty));
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    return ch;
}

static int staff_conflict(int rc, aj_error *err)
{
    if (rc == AJ_ECONFLICT) return aj_fail(err, AJ_ECONFLICT, "username", "用户名已存在");
    return rc;
}

static int staff_link_projects(db *c, int64_t id, const staff_input *in, aj_error *err)
{
    for (size_t i = 0; i < in->nprojects; i++)
        if (db_exec(c,
                    "INSERT INTO staff_projects (user_id, project_id) VALUES ($1, $2)"
                    " ON CONFLICT DO NOTHING",
                    DB_ARGS(DB_INT(id), DB_INT(in->project_ids[i])), err) < 0)
            return err->rc;
    return 0;
}

/* A manager staffs their projects with front-line roles only: manager and
 * quality see more than one project, admin sees everything. */
static int staff_manager_may_grant(const char *role)
{
    actor_role r = actor_role_parse(role);
    return r == ROLE_DESK || r == ROLE_TECHNICIAN || r == ROLE_GUARD || r == ROLE_CLEANER;
}

int staff_create(db *c, const actor *who, const staff_input *in, arena *a, staff *out,
                 aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, 0)) return err->rc;
    if (staff_check(c, who, in, 1, err)) return err->rc;
    if (who->role == ROLE_MANAGER) {
        if (!staff_manager_may_grant(in->role))
            return aj_fail(err, AJ_EFORBIDDEN, "role", "项目经理只能创建客服、维修、秩序和保洁岗位的账号");
        if (!in->has_projects || !in->nprojects)
            return aj_fail(err, AJ_EINVAL, "project_ids", "须指定至少一个项目");
    }
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(in->password, hash, err)) return err->rc;
    char *skills = strlist_encode(in->skills, in->has_skills ? in->nskills : 0);
    int64_t now = clock_now(), id;
    staff_dept dept;
    if (db_begin(c, err)) goto out;
    if (staff_department(c, in, 0, a, &dept, err)) goto fail;
    int rc = db_scalar(c,
                       "INSERT INTO users (username, password_hash, role, name, phone, department,"
                       " department_id, skills, on_duty, active, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10) RETURNING id",
                       DB_ARGS(DB_TEXT(in->username), DB_TEXT(hash), DB_TEXT(in->role),
                               DB_TEXT(in->name), DB_TEXT(in->phone ? in->phone : ""),
                               DB_TEXT(dept.name), DB_OPT_INT(dept.id != 0, dept.id),
                               DB_TEXT(skills), DB_INT(in->has_on_duty && in->on_duty),
                               DB_INT(now)),
                       &id, err);
    if (rc) staff_conflict(rc, err);
    if (rc || (in->has_projects && staff_link_projects(c, id, in, err))) goto fail;
    json_t *ch = staff_json_change(in, &dept);
    rc = audit_append(c, who, "create", "staff", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    sodium_memzero(hash, sizeof hash);
    free(skills);
    return staff_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
out:
    sodium_memzero(hash, sizeof hash);
    free(skills);
    return err->rc;
}

/* Whether a manager may manage cur's account (edit it, start a password
 * reset): only front-line staff (desk, technician, guard, cleaner) whose every
 * project is one of the manager's own — never a manager, a quality user (who
 * sees every project) or an admin, so no manager can take over an account
 * that sees more than they do (OWASP ASVS 4.0 V4.1.3, least privilege). */
static int staff_manager_may_manage(db *c, const actor *who, const staff *cur, aj_error *err)
{
    if (!staff_manager_may_grant(cur->role))
        return aj_fail(err, AJ_EFORBIDDEN, NULL, "项目经理只能管理客服、维修、秩序和保洁岗位的账号");
    for (size_t i = 0; i < cur->nprojects; i++) {
        int rc = actor_can_see_project(c, who, cur->project_ids[i], err);
        if (rc == AJ_ENOTFOUND)
            return aj_fail(err, AJ_EFORBIDDEN, NULL, "该员工还属于您不管辖的项目，请联系管理员");
        if (rc) return rc;
    }
    return 0;
}

/* Whether who may apply in to cur; 0 or AJ_EFORBIDDEN / AJ_EINVAL. */
static int staff_may_update(db *c, const actor *who, const staff *cur, const staff_input *in,
                            aj_error *err)
{
    int self = who->id == cur->id;
    /* Front-line staff may change their own duty flag and nothing else: that
     * is a matter of rights (403), checked before the rules about one's own
     * account that only an admin or a manager can meet (422). */
    if (who->role != ROLE_ADMIN && who->role != ROLE_MANAGER) {
        int only_duty = !in->username && !in->password && !in->name && !in->phone && !in->role &&
                        !in->department && !in->has_department_id && !in->has_skills &&
                        !in->has_projects && !in->has_active;
        if (self && only_duty) return 0;
        return aj_fail(err, AJ_EFORBIDDEN, NULL,
                       self ? "只能修改自己的在岗状态" : "当前角色无权执行此操作");
    }
    if (self && in->has_active && !in->active)
        return aj_fail(err, AJ_EINVAL, "active", "不能停用自己的账号");
    if (self && in->role && strcmp(in->role, cur->role) != 0)
        return aj_fail(err, AJ_EINVAL, "role", "不能修改自己的角色");
    if (who->role == ROLE_ADMIN) return 0;
    if (who->role == ROLE_MANAGER) {
        if (!self && staff_manager_may_manage(c, who, cur, err)) return err->rc;
        /* A password is set by its owner or an admin only; a manager starts a
         * reset the owner completes (staff_reset_password). */
        if (!self && in->password)
            return aj_fail(err, AJ_EFORBIDDEN, "password",
                           "只有本人或管理员可以设置密码；请为该员工发起密码重置");
        if (in->role && strcmp(in->role, cur->role) != 0 && !staff_manager_may_grant(in->role))
            return aj_fail(err, AJ_EFORBIDDEN, "role", "项目经理只能授予客服、维修、秩序和保洁岗位");
        /* Emptied, the staff member would drop out of the manager's sight. */
        if (!self && in->has_projects && !in->nprojects)
            return aj_fail(err, AJ_EINVAL, "project_ids", "须指定至少一个项目");
    }
    return 0;
}

int staff_update(db *c, const actor *who, int64_t id, const staff_input *in, arena *a,
                 staff *out, aj_error *err)
{
    staff cur;
    if (staff_get(c, who, id, a, &cur, err)) return err->rc;
    if (staff_may_update(c, who, &cur, in, err) || staff_check(c, who, in, 0, err)) return err->rc;
    char hash[PASSWORD_HASH_MAX] = {0};
    if (in->password && password_hash(in->password, hash, err)) return err->rc;
    char *skills = in->has_skills ? strlist_encode(in->skills, in->nskills) : NULL;
    staff_dept dept;
    const char *ignored;
    if (db_begin(c, err)) goto out;
    if (staff_department(c, in, cur.department_id, a, &dept, err)) goto fail;
    /* Back at work, back in a department that is still on the chart. */
    int64_t dept_after = dept.set ? dept.id : cur.department_id;
    if (in->has_active && in->active && !cur.active && dept_after &&
        department_hold(c, dept_after, 0, "department_id", a, &ignored, err))
        goto fail;
    int64_t n = db_exec(c,
                        "UPDATE users SET username = COALESCE($2, username),"
                        " password_hash = COALESCE($3, password_hash), name = COALESCE($4, name),"
                        " phone = COALESCE($5, phone), role = COALESCE($6, role),"
                        " department = COALESCE($7, department), skills = COALESCE($8, skills),"
                        " on_duty = COALESCE(CAST($9 AS BIGINT), on_duty),"
                        " active = COALESCE(CAST($10 AS BIGINT), active), updated_at = $11,"
                        " department_id = CASE WHEN $12 = 1 THEN CAST($13 AS BIGINT)"
                        "   ELSE department_id END"
                        " WHERE id = $1 AND role <> 'resident'",
                        DB_ARGS(DB_INT(id), DB_TEXT(in->username),
                                DB_TEXT(in->password ? hash : NULL), DB_TEXT(in->name),
                                DB_TEXT(in->phone), DB_TEXT(in->role),
                                DB_TEXT(dept.set ? dept.name : NULL), DB_TEXT(skills),
                                DB_OPT_INT(in->has_on_duty, in->on_duty),
                                DB_OPT_INT(in->has_active, in->active), DB_INT(clock_now()),
                                DB_INT(dept.set), DB_OPT_INT(dept.id != 0, dept.id)),
                        err);
    if (n < 0) {
        staff_conflict((int)n, err);
        goto fail;
    }
    /* A manager replaces only the links to their own projects; others stay. */
    if (in->has_projects &&
        (db_exec(c,
                 "DELETE FROM staff_projects WHERE user_id = $1 AND ($2 = 1 OR project_id IN"
                 " (SELECT project_id FROM staff_projects WHERE user_id = $3))",
                 DB_ARGS(DB_INT(id), DB_INT(actor_is_company_wide(who)), DB_INT(who->id)),
                 err) < 0 ||
         staff_link_projects(c, id, in, err)))
        goto fail;
    /* Sessions carry the role they were granted: a new role needs a new login. */
    int role_changed = in->role && strcmp(in->role, cur.role) != 0;
    if ((in->password || role_changed || (in->has_active && !in->active)) &&
        session_end_user(c, id, err))
        goto fail;
    json_t *ch = staff_json_change(in, &dept);
    int rc = audit_append(c, who, in->has_active && !in->active ? "deactivate" : "update", "staff",
                          id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    sodium_memzero(hash, sizeof hash);
    free(skills);
    return staff_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
out:
    sodium_memzero(hash, sizeof hash);
    free(skills);
    return err->rc;
}

#define STAFF_FILTER                                                                           \
    " WHERE" STAFF_SCOPE                                                                       \
    " AND (CAST($4 AS TEXT) IS NULL OR u.name LIKE $4 ESCAPE '\\'"                             \
    "      OR u.username LIKE $4 ESCAPE '\\')"                                                 \
    " AND (CAST($5 AS TEXT) IS NULL OR u.role = $5)"                                           \
    " AND (CAST($6 AS BIGINT) IS NULL OR u.department_id = CAST($6 AS BIGINT))"                \
    " AND (CAST($7 AS BIGINT) = 0"                                                             \
    "      OR u.id IN (SELECT user_id FROM staff_projects WHERE project_id = $7))"             \
    " AND (CAST($8 AS BIGINT) IS NULL OR u.on_duty = CAST($8 AS BIGINT))"                      \
    " AND (CAST($9 AS BIGINT) IS NULL OR u.active = CAST($9 AS BIGINT))"

int staff_list(db *c, const actor *who, const staff_filter *f, const page_req *pg, arena *a,
               staff **items, size_t *n, int *more, int64_t *total, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (f->role) {
        actor_role r = actor_role_parse(f->role);
        if (r == ROLE_NONE || r == ROLE_RESIDENT)
            return aj_fail(err, AJ_EINVAL, "role", "未知角色");
    }
    /* By name (or old word) and/or id; a name and an id that disagree find nobody. */
    int64_t dept = f->department_id;
    if (f->department) {
        int64_t named;
        const char *ignored;
        if (department_resolve(c, f->department, "department", a, &named, &ignored, err))
            return err->rc;
        dept = dept && dept != named ? -1 : named;
    }
    const char *like = f->q ? db_like(a, f->q) : NULL;
    db_val args[] = {DB_INT(actor_is_company_wide(who)),
                     DB_INT(who->id),
                     DB_INT(who->role == ROLE_MANAGER),
                     DB_TEXT(like),
                     DB_TEXT(f->role),
                     DB_OPT_INT(dept != 0, dept),
                     DB_INT(f->project_id),
                     DB_OPT_INT(f->on_duty >= 0, f->on_duty),
                     DB_OPT_INT(f->active >= 0, f->active),
                     DB_INT(pg->after),
                     DB_INT(pg->limit + 1)};
    db_rows *r = db_query(c,
                          "SELECT " STAFF_COLS STAFF_FROM STAFF_FILTER
                          " AND u.id > $10 ORDER BY u.id LIMIT $11",
                          11, args, err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof(staff) * (size_t)(pg->limit + 1));
    *n = 0;
    while (db_next(r)) staff_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    /* The projects of this page in one query: the same filter picks the same staff. */
    if (staff_fill_projects(c,
                            "SELECT sp.user_id, sp.project_id FROM staff_projects sp"
                            " WHERE sp.user_id IN (SELECT u.id FROM users u" STAFF_FILTER
                            " AND u.id > $10 ORDER BY u.id LIMIT $11)"
                            " ORDER BY sp.user_id, sp.project_id",
                            11, args, a, *items, *n, err))
        return err->rc;
    if (pg->want_total) {
        if (db_scalar(c, "SELECT COUNT(*) FROM users u" STAFF_FILTER, 9, args, total, err))
            return err->rc;
    }
    return 0;
}

int staff_count_admins(db *c, int64_t *n, aj_error *err)
{
    int rc = db_scalar(c, "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1",
                       DB_NOARGS, n, err);
    return rc == AJ_ENOTFOUND ? aj_fail(err, AJ_EDB, NULL, "database error") : rc;
}

int staff_reset_password(db *c, const actor *who, int64_t id, arena *a, staff_reset *out,
                         aj_error *err)
{
    staff cur;
    char code[7];
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, 0)) return err->rc;
    if (staff_get(c, who, id, a, &cur, err)) return err->rc;
    if (who->id == cur.id)
        return aj_fail(err, AJ_EINVAL, NULL, "不能为自己发起重置，请直接修改密码");
    if (who->role == ROLE_MANAGER && staff_manager_may_manage(c, who, &cur, err)) return err->rc;
    if (!cur.active) return aj_fail(err, AJ_EINVAL, "active", "该账号已停用");
    if (!cur.phone || !*cur.phone)
        return aj_fail(err, AJ_EINVAL, "phone", "该员工没有登记手机号，无法发送验证码");
    int64_t now = clock_now();
    if (db_begin(c, err)) return err->rc;
    if (password_reset_issue(c, who, id, now, code, err) || db_commit(c, err)) {
        db_rollback(c);
        sodium_memzero(code, sizeof code);
        return err->rc ? err->rc : AJ_EDB;
    }
    int rc = password_reset_send(cur.phone, code, err);
    sodium_memzero(code, sizeof code);
    if (rc) return rc;
    size_t n = strlen(cur.phone);
    /* Shown to who started it: enough to tell which phone, not the number. */
    out->phone_hint = n > 7 ? arena_printf(a, "%.3s****%s", cur.phone, cur.phone + n - 4)
                            : arena_strdup(a, "****");
    out->expires_at = now + PASSWORD_RESET_TTL;
    return 0;
}
