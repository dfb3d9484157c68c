/* domain/org/department.c: departments (部门): the company's org chart, who may see and
 * change it, and how a staff member's department text finds its record. */
#include "domain/org/department.h"

#include <string.h>

#include "base/clock.h"
#include "base/strlist.h"
#include "domain/core/core.h"

#define DEPARTMENT_COLS \
    "d.id, d.name, d.function, d.parent_id, d.active, d.created_at, d.updated_at"

#define DEPARTMENT_NAME_MAX 50

static const char *const department_functions[] = {
    "desk", "engineering", "security", "cleaning", "greening", "quality", "management", NULL};

/* The seven words staff departments were before they were records, the
 * seeded department each stood for, and its function. */
static const struct {
    const char *word, *name, *function;
} department_old_words[] = {
    {"客服", "客服部", "desk"},     {"工程", "工程部", "engineering"}, {"秩序", "秩序部", "security"},
    {"保洁", "保洁部", "cleaning"}, {"绿化", "绿化部", "greening"},    {"品质", "品质部", "quality"},
    {"管理", "管理处", "management"},
};

int department_function_ok(const char *s) { return s && strlist_has(department_functions, s); }

const char *department_function_word(const char *w)
{
    if (!w) return NULL;
    for (size_t i = 0; department_functions[i]; i++)
        if (!strcmp(w, department_functions[i])) return department_functions[i];
    for (size_t i = 0; i < sizeof department_old_words / sizeof department_old_words[0]; i++)
        if (!strcmp(w, department_old_words[i].word) || !strcmp(w, department_old_words[i].name))
            return department_old_words[i].function;
    return NULL;
}

static void department_read(db_rows *r, arena *a, department *d)
{
    d->id = db_int(r, 0);
    d->name = arena_strdup(a, db_text(r, 1));
    d->function = arena_strdup(a, db_text(r, 2));
    d->parent_id = db_null(r, 3) ? 0 : db_int(r, 3);
    d->active = (int)db_int(r, 4);
    d->created_at = db_int(r, 5);
    d->updated_at = db_int(r, 6);
}

static int department_may_read(const actor *who, aj_error *err)
{
    return actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, ROLE_DESK, 0);
}

static int department_check(const department_input *in, int creating, aj_error *err)
{
    if (creating && !in->name) return aj_fail(err, AJ_EINVAL, "name", "缺少必填字段 name");
    if (creating && !in->function)
        return aj_fail(err, AJ_EINVAL, "function", "缺少必填字段 function");
    if (in->name && (!*in->name || strlen(in->name) > DEPARTMENT_NAME_MAX))
        return aj_fail(err, AJ_EINVAL, "name", "部门名称须为 1 到 %d 字节", DEPARTMENT_NAME_MAX);
    if (in->function && !department_function_ok(in->function))
        return aj_fail(err, AJ_EINVAL, "function",
                       "部门职能须为 desk（客服）、engineering（工程）、security（秩序）、"
                       "cleaning（保洁）、greening（绿化）、quality（品质）或 management（管理）");
    return 0;
}

int department_get(db *c, const actor *who, int64_t id, arena *a, department *out,
                   aj_error *err)
{
    if (department_may_read(who, err)) return err->rc;
    db_rows *r = db_query(c, "SELECT " DEPARTMENT_COLS " FROM departments d WHERE d.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) department_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "部门不存在");
}

static int department_scalar(db *c, const char *sql, int n, const db_val *args, int64_t *out,
                             aj_error *err)
{
    int rc = db_scalar(c, sql, n, args, out, err);
    return rc == AJ_ENOTFOUND ? aj_fail(err, AJ_EDB, NULL, "database error") : rc;
}

/* parent may be id's parent: an active department, not id itself nor below it. */
static int department_check_parent(db *c, int64_t id, int64_t parent, aj_error *err)
{
    int64_t active = 0, loops = 0;
    if (id && parent == id)
        return aj_fail(err, AJ_EINVAL, "parent_id", "上级部门不能是部门本身");
    /* Locked like department_hold: a parent is not deactivated under a new child. */
    int rc = db_scalar(c,
                       "UPDATE departments SET updated_at = updated_at WHERE id = $1"
                       " RETURNING active",
                       DB_ARGS(DB_INT(parent)), &active, err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "parent_id", "上级部门不存在");
    if (rc) return rc;
    if (!active) return aj_fail(err, AJ_EINVAL, "parent_id", "上级部门已停用");
    if (!id) return 0;
    /* The new parent's chain upwards (UNION stops even on a cycle already stored). */
    if (department_scalar(c,
                          "WITH RECURSIVE up(id) AS (SELECT CAST($1 AS BIGINT)"
                          " UNION SELECT d.parent_id FROM departments d JOIN up ON d.id = up.id"
                          " WHERE d.parent_id IS NOT NULL)"
                          " SELECT COUNT(*) FROM up WHERE id = $2",
                          DB_ARGS(DB_INT(parent), DB_INT(id)), &loops, err))
        return err->rc;
    if (loops) return aj_fail(err, AJ_EINVAL, "parent_id", "上级部门不能是本部门的下级部门");
    return 0;
}

/* A department leaves the chart only when nobody active is left in it. */
static int department_check_empty(db *c, int64_t id, aj_error *err)
{
    int64_t n = 0;
    if (department_scalar(c,
                          "SELECT COUNT(*) FROM users WHERE department_id = $1 AND active = 1"
                          " AND role <> 'resident'",
                          DB_ARGS(DB_INT(id)), &n, err))
        return err->rc;
    if (n)
        return aj_fail(err, AJ_EINVAL, "active", "该部门还有 %lld 名在职员工，请先调整他们的部门",
                       (long long)n);
    if (department_scalar(c,
                          "SELECT COUNT(*) FROM departments WHERE parent_id = $1 AND active = 1",
                          DB_ARGS(DB_INT(id)), &n, err))
        return err->rc;
    if (n)
        return aj_fail(err, AJ_EINVAL, "active", "该部门还有 %lld 个下级部门，请先停用或调整它们",
                       (long long)n);
    return 0;
}

static json_t *department_json_change(const department_input *in)
{
    json_t *ch = json_object();
    if (in->name) json_object_set_new(ch, "name", json_string(in->name));
    if (in->function) json_object_set_new(ch, "function", json_string(in->function));
    if (in->has_parent)
        json_object_set_new(ch, "parent_id",
                            in->parent_id ? json_integer(in->parent_id) : json_null());
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    return ch;
}

static int department_conflict(int rc, aj_error *err)
{
    if (rc == AJ_ECONFLICT) return aj_fail(err, AJ_ECONFLICT, "name", "已有同名的在用部门");
    return rc;
}

int department_create(db *c, const actor *who, const department_input *in, arena *a,
                      department *out, aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, 0)) return err->rc;
    if (department_check(in, 1, err)) return err->rc;
    int64_t now = clock_now(), id;
    if (db_begin(c, err)) return err->rc;
    int64_t parent = in->has_parent ? in->parent_id : 0;
    if (parent && department_check_parent(c, 0, parent, err)) goto fail;
    int rc = db_scalar(c,
                       "INSERT INTO departments (name, function, parent_id, active, created_at,"
                       " updated_at) VALUES ($1, $2, $3, 1, $4, $4) RETURNING id",
                       DB_ARGS(DB_TEXT(in->name), DB_TEXT(in->function),
                               DB_OPT_INT(parent != 0, parent), DB_INT(now)),
                       &id, err);
    if (rc) {
        department_conflict(rc, err);
        goto fail;
    }
    json_t *ch = department_json_change(in);
    rc = audit_append(c, who, "create", "department", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return department_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

int department_update(db *c, const actor *who, int64_t id, const department_input *in,
                      arena *a, department *out, aj_error *err)
{
    department cur;
    if (actor_require(who, err, ROLE_ADMIN, 0)) return err->rc;
    if (department_get(c, who, id, a, &cur, err)) return err->rc;
    if (department_check(in, 0, err)) return err->rc;
    int64_t parent = in->has_parent ? in->parent_id : cur.parent_id;
    int reactivating = in->has_active && in->active && !cur.active;
    if (db_begin(c, err)) return err->rc;
    /* A kept parent is checked again when the department comes back. */
    if (parent && (in->has_parent || reactivating) && department_check_parent(c, id, parent, err))
        goto fail;
    int64_t n = db_exec(c,
                        "UPDATE departments SET name = COALESCE($2, name),"
                        " function = COALESCE($3, function),"
                        " parent_id = CASE WHEN $4 = 1 THEN CAST($5 AS BIGINT) ELSE parent_id END,"
                        " active = COALESCE(CAST($6 AS BIGINT), active), updated_at = $7"
                        " WHERE id = $1",
                        DB_ARGS(DB_INT(id), DB_TEXT(in->name), DB_TEXT(in->function),
                                DB_INT(in->has_parent), DB_OPT_INT(in->parent_id != 0, in->parent_id),
                                DB_OPT_INT(in->has_active, in->active), DB_INT(clock_now())),
                        err);
    if (n < 0) {
        department_conflict((int)n, err);
        goto fail;
    }
    /* Counted after the row is written: on PostgreSQL the UPDATE waited for any
     * staff or child being added under a department_hold, so they are seen. */
    if (in->has_active && !in->active && cur.active && department_check_empty(c, id, err))
        goto fail;
    /* users.department follows the name, for readers of the old column. */
    if (in->name && strcmp(in->name, cur.name) != 0 &&
        db_exec(c, "UPDATE users SET department = $2 WHERE department_id = $1",
                DB_ARGS(DB_INT(id), DB_TEXT(in->name)), err) < 0)
        goto fail;
    json_t *ch = department_json_change(in);
    int rc = audit_append(c, who, in->has_active && !in->active ? "deactivate" : "update",
                          "department", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return department_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

#define DEPARTMENT_FILTER                                                                      \
    " WHERE (CAST($1 AS TEXT) IS NULL OR d.function = $1)"                                     \
    " AND (CAST($2 AS BIGINT) IS NULL OR d.active = CAST($2 AS BIGINT))"

int department_list(db *c, const actor *who, const department_filter *f, const page_req *pg,
                    arena *a, department **items, size_t *n, int *more, int64_t *total,
                    aj_error *err)
{
    if (department_may_read(who, err)) return err->rc;
    if (f->function && !department_function_ok(f->function))
        return aj_fail(err, AJ_EINVAL, "function", "未知的部门职能");
    db_val args[] = {DB_TEXT(f->function), DB_OPT_INT(f->active >= 0, f->active),
                     DB_INT(pg->after), DB_INT(pg->limit + 1)};
    db_rows *r = db_query(c,
                          "SELECT " DEPARTMENT_COLS " FROM departments d" DEPARTMENT_FILTER
                          " AND d.id > $3 ORDER BY d.id LIMIT $4",
                          4, args, err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof(department) * (size_t)(pg->limit + 1));
    *n = 0;
    while (db_next(r)) department_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    if (pg->want_total &&
        db_scalar(c, "SELECT COUNT(*) FROM departments d" DEPARTMENT_FILTER, 2, args, total, err))
        return err->rc;
    return 0;
}

/* The active department called name: 1 and *id, *out; 0 when none. */
static int department_by_name(db *c, const char *name, arena *a, int64_t *id, const char **out,
                              aj_error *err)
{
    db_rows *r = db_query(c, "SELECT id, name FROM departments WHERE name = $1 AND active = 1",
                          DB_ARGS(DB_TEXT(name)), err);
    if (!r) return -1;
    int found = db_next(r);
    if (found) {
        *id = db_int(r, 0);
        *out = arena_strdup(a, db_text(r, 1));
    }
    if (db_end(r, err)) return -1;
    return found;
}

/* The one active department of function: 1 and *id, *out; 0 when none or several. */
static int department_only_one(db *c, const char *function, arena *a, int64_t *id,
                               const char **out, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT id, name FROM departments WHERE function = $1 AND active = 1"
                          " ORDER BY id LIMIT 2",
                          DB_ARGS(DB_TEXT(function)), err);
    if (!r) return -1;
    int seen = 0;
    while (db_next(r))
        if (++seen == 1) {
            *id = db_int(r, 0);
            *out = arena_strdup(a, db_text(r, 1));
        }
    if (db_end(r, err)) return -1;
    return seen == 1;
}

int department_resolve(db *c, const char *text, const char *field, arena *a, int64_t *id,
                       const char **name, aj_error *err)
{
    int found = department_by_name(c, text, a, id, name, err);
    for (size_t i = 0; !found && i < sizeof department_old_words / sizeof department_old_words[0];
         i++) {
        if (strcmp(text, department_old_words[i].word) != 0) continue;
        found = department_by_name(c, department_old_words[i].name, a, id, name, err);
        if (!found) found = department_only_one(c, department_old_words[i].function, a, id, name, err);
        break;
    }
    if (found < 0) return err->rc;
    if (!found)
        return aj_fail(err, AJ_EINVAL, field, "部门「%s」不存在或已停用，请先在部门中添加", text);
    return 0;
}

/* A no-op UPDATE is the one row lock both backends speak: on PostgreSQL it
 * waits for (and then re-reads) a deactivation in flight, and holds off one
 * until commit; SQLite's write transaction holds the whole database already. */
int department_hold(db *c, int64_t id, int64_t keep, const char *field, arena *a,
                    const char **name, aj_error *err)
{
    db_rows *r = db_query(c,
                          "UPDATE departments SET updated_at = updated_at"
                          " WHERE id = $1 AND (active = 1 OR id = $2) RETURNING name",
                          DB_ARGS(DB_INT(id), DB_INT(keep)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) *name = arena_strdup(a, db_text(r, 0));
    if (db_end(r, err)) return err->rc;
    if (!found)
        return aj_fail(err, AJ_EINVAL, field, "部门 %lld 不存在或已停用", (long long)id);
    return 0;
}

int department_function_of(db *c, int64_t user_id, arena *a, const char **function,
                           aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT d.function FROM users u JOIN departments d"
                          " ON d.id = u.department_id WHERE u.id = $1",
                          DB_ARGS(DB_INT(user_id)), err);
    if (!r) return err->rc;
    *function = db_next(r) ? arena_strdup(a, db_text(r, 0)) : NULL;
    return db_end(r, err) ? err->rc : 0;
}
