/* domain/quality/standard.c: the service-standards catalogue (see standard.h).
 *
 * A standard's levels are stored as a JSON array ("[1,2,3]") for people reading the
 * database and as bits here; the public board filters by the project's level with a
 * LIKE on that array, which the catalogue's size (a few hundred rows) makes free. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/strlist.h"
#include "domain/org/org.h"
#include "domain/quality/quality.h"

const char *const standard_departments[] = {"desk",     "engineering", "security",
                                            "cleaning", "greening",    "quality", NULL};

#define STANDARD_COLS                                                                          \
    "s.id, s.department, s.code, s.item, s.requirement, s.method, s.weight, s.version,"       \
    " s.levels, s.active, s.created_at, s.updated_at"

const char *standard_department_of(const char *w)
{
    /* the names companies commonly give these departments, beyond org's seeded ones */
    static const char *const more[][2] = {
        {"客服中心", "desk"}, {"维修", "engineering"}, {"安保部", "security"},
        {"环境部", "cleaning"}, {"园林", "greening"}, {"品质管理部", "quality"},
    };
    const char *f = department_function_word(w);
    if (f) return strlist_has(standard_departments, f) ? f : NULL;
    for (size_t i = 0; w && i < sizeof more / sizeof more[0]; i++)
        if (!strcmp(w, more[i][0])) return more[i][1];
    return NULL;
}

static int standard_levels_parse(const char *s)
{
    int bits = 0;
    for (const char *p = s; p && *p; p++)
        if (*p >= '1' && *p <= '3') bits |= 1 << (*p - '0');
    return bits;
}

static const char *standard_levels_text(int bits, arena *a)
{
    char out[16];
    size_t n = 0;
    out[n++] = '[';
    for (int l = 1; l <= 3; l++)
        if (bits & (1 << l)) n += (size_t)snprintf(out + n, sizeof out - n, "%s%d", n > 1 ? "," : "", l);
    out[n++] = ']';
    out[n] = 0;
    return arena_strdup(a, out);
}

static void standard_read(db_rows *r, arena *a, standard *s)
{
    *s = (standard){.id = db_int(r, 0), .department = arena_strdup(a, db_text(r, 1)),
                    .code = arena_strdup(a, db_text(r, 2)), .item = arena_strdup(a, db_text(r, 3)),
                    .requirement = arena_strdup(a, db_text(r, 4)),
                    .method = arena_strdup(a, db_text(r, 5)), .weight = db_int(r, 6),
                    .version = db_int(r, 7), .levels = standard_levels_parse(db_text(r, 8)),
                    .active = (int)db_int(r, 9), .created_at = db_int(r, 10),
                    .updated_at = db_int(r, 11)};
}

static int standard_writer(const actor *who, aj_error *err)
{
    return actor_require(who, err, ROLE_ADMIN, ROLE_QUALITY, 0);
}

/* The record as it will be, checked (cur: before the change, NULL when creating). */
static int standard_check(const standard *s, aj_error *err)
{
    if (!s->department || !strlist_has(standard_departments, s->department))
        return aj_fail(err, AJ_EINVAL, "department",
                       "department 须为 desk、engineering、security、cleaning、greening 或 quality");
    if (!s->code || !*s->code || strlen(s->code) > 20)
        return aj_fail(err, AJ_EINVAL, "code", "编号须为 1 到 20 字节");
    if (!s->item || !*s->item || strlen(s->item) > 100)
        return aj_fail(err, AJ_EINVAL, "item", "项目须为 1 到 100 字节");
    if (!s->requirement || !*s->requirement || strlen(s->requirement) > 1000)
        return aj_fail(err, AJ_EINVAL, "requirement", "标准要求须为 1 到 1000 字节");
    if (s->method && strlen(s->method) > 1000)
        return aj_fail(err, AJ_EINVAL, "method", "检查方法最多 1000 字节");
    if (s->weight < 1 || s->weight > 100)
        return aj_fail(err, AJ_EINVAL, "weight", "权重须为 1 到 100");
    if (!s->levels || (s->levels & ~0xE))
        return aj_fail(err, AJ_EINVAL, "levels", "适用等级须为 1、2、3 中的一个或多个");
    return 0;
}

static int standard_load(db *c, int64_t id, arena *a, standard *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT " STANDARD_COLS " FROM standards s WHERE s.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) standard_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "服务标准不存在");
}

static int standard_snapshot(db *c, const standard *s, int64_t now, arena *a, aj_error *err)
{
    return db_exec(c,
                   "INSERT INTO standard_versions (standard_id, version, department, code, item,"
                   " requirement, method, weight, levels, created_at)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                   DB_ARGS(DB_INT(s->id), DB_INT(s->version), DB_TEXT(s->department),
                           DB_TEXT(s->code), DB_TEXT(s->item), DB_TEXT(s->requirement),
                           DB_TEXT(s->method ? s->method : ""), DB_INT(s->weight),
                           DB_TEXT(standard_levels_text(s->levels, a)), DB_INT(now)),
                   err) < 0
               ? err->rc
               : 0;
}

static json_t *standard_change(const standard_input *in)
{
    json_t *ch = json_object();
    const struct {
        const char *key, *val;
    } f[] = {{"department", in->department}, {"code", in->code}, {"item", in->item},
             {"requirement", in->requirement}, {"method", in->method}};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].val) json_object_set_new(ch, f[i].key, json_string(f[i].val));
    if (in->has_weight) json_object_set_new(ch, "weight", json_integer(in->weight));
    if (in->has_levels) json_object_set_new(ch, "levels", json_integer(in->levels));
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    return ch;
}

int standard_list(db *c, const actor *who, const standard_filter *f, arena *a,
                  standard **items, size_t *n, aj_error *err)
{
    *n = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    const char *dept = NULL;
    if (f->department && !(dept = standard_department_of(f->department)))
        return aj_fail(err, AJ_EINVAL, "department", "未知的部门");
    if (f->level < 0 || f->level > 3) return aj_fail(err, AJ_EINVAL, "level", "level 须为 1、2 或 3");
    if (f->q && strlen(f->q) > 100) return aj_fail(err, AJ_EINVAL, "q", "q 最多 100 字节");
    char lv[8];
    snprintf(lv, sizeof lv, "%%%d%%", f->level);
    db_rows *r = db_query(c,
                          "SELECT " STANDARD_COLS " FROM standards s"
                          " WHERE (CAST($1 AS TEXT) IS NULL OR s.department = $1) AND ($2 = 0 OR s.levels LIKE $3)"
                          " AND ($4 < 0 OR s.active = $4)"
                          " AND (CAST($5 AS TEXT) IS NULL OR s.code LIKE $5 ESCAPE '\\' OR s.item LIKE $5 ESCAPE '\\')"
                          " ORDER BY s.department, s.code LIMIT $6",
                          DB_ARGS(DB_TEXT(dept), DB_INT(f->level), DB_TEXT(lv), DB_INT(f->active),
                                  DB_TEXT(f->q ? db_like(a, f->q) : NULL), DB_INT(STANDARD_MAX_LIST)),
                          err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof **items * STANDARD_MAX_LIST);
    while (db_next(r)) standard_read(r, a, &(*items)[(*n)++]);
    return db_end(r, err) ? err->rc : 0;
}

int standard_get(db *c, const actor *who, int64_t id, arena *a, standard *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_ENOTFOUND, NULL, "服务标准不存在");
    return standard_load(c, id, a, out, err);
}

int standard_create(db *c, const actor *who, const standard_input *in, arena *a, standard *out,
                    aj_error *err)
{
    if (standard_writer(who, err)) return err->rc;
    standard s = {.department = in->department ? standard_department_of(in->department) : NULL,
                  .code = in->code, .item = in->item, .requirement = in->requirement,
                  .method = in->method ? in->method : "", .weight = in->has_weight ? in->weight : 5,
                  .levels = in->has_levels ? in->levels : 0xE, .version = 1, .active = 1};
    if (in->department && !s.department) s.department = in->department; /* refused below */
    if (standard_check(&s, err)) return err->rc;
    int64_t now = clock_now();
    if (db_begin(c, err)) return err->rc;
    int rc = db_scalar(c,
                       "INSERT INTO standards (department, code, item, requirement, method, weight,"
                       " levels, active, version, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, 1, 1, $8, $8) RETURNING id",
                       DB_ARGS(DB_TEXT(s.department), DB_TEXT(s.code), DB_TEXT(s.item),
                               DB_TEXT(s.requirement), DB_TEXT(s.method), DB_INT(s.weight),
                               DB_TEXT(standard_levels_text(s.levels, a)), DB_INT(now)),
                       &s.id, err);
    if (rc == AJ_ECONFLICT) rc = aj_fail(err, AJ_ECONFLICT, "code", "编号已存在");
    if (!rc) rc = standard_snapshot(c, &s, now, a, err);
    if (!rc) {
        json_t *ch = standard_change(in);
        rc = audit_append(c, who, "create", "standard", s.id, ch, err);
        json_decref(ch);
    }
    if (!rc) rc = standard_load(c, s.id, a, out, err);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int standard_update(db *c, const actor *who, int64_t id, const standard_input *in, arena *a,
                    standard *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_ENOTFOUND, NULL, "服务标准不存在");
    if (standard_writer(who, err)) return err->rc;
    if (db_begin(c, err)) return err->rc;
    standard cur, s;
    int rc = standard_load(c, id, a, &cur, err);
    if (rc) goto done;
    s = cur;
    if (in->department && !(s.department = standard_department_of(in->department)))
        s.department = in->department; /* refused by the check */
    if (in->code) s.code = in->code;
    if (in->item) s.item = in->item;
    if (in->requirement) s.requirement = in->requirement;
    if (in->method) s.method = in->method;
    if (in->has_weight) s.weight = in->weight;
    if (in->has_levels) s.levels = in->levels;
    if (in->has_active) s.active = in->active;
    if ((rc = standard_check(&s, err))) goto done;
    int changed = strcmp(s.department, cur.department) || strcmp(s.code, cur.code) ||
                  strcmp(s.item, cur.item) || strcmp(s.requirement, cur.requirement) ||
                  strcmp(s.method, cur.method) || s.weight != cur.weight || s.levels != cur.levels;
    if (changed) s.version = cur.version + 1;
    int64_t now = clock_now();
    int64_t ch = db_exec(c,
                         "UPDATE standards SET department = $2, code = $3, item = $4, requirement = $5,"
                         " method = $6, weight = $7, levels = $8, active = $9, version = $10,"
                         " updated_at = $11 WHERE id = $1",
                         DB_ARGS(DB_INT(id), DB_TEXT(s.department), DB_TEXT(s.code), DB_TEXT(s.item),
                                 DB_TEXT(s.requirement), DB_TEXT(s.method), DB_INT(s.weight),
                                 DB_TEXT(standard_levels_text(s.levels, a)), DB_INT(s.active),
                                 DB_INT(s.version), DB_INT(now)),
                         err);
    if (ch < 0) rc = err->rc == AJ_ECONFLICT ? aj_fail(err, AJ_ECONFLICT, "code", "编号已存在") : err->rc;
    if (!rc && changed) rc = standard_snapshot(c, &s, now, a, err);
    if (!rc) {
        json_t *chg = standard_change(in);
        rc = audit_append(c, who, "update", "standard", id, chg, err);
        json_decref(chg);
    }
    if (!rc) rc = standard_load(c, id, a, out, err);
done:
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int standard_public(db *c, const char *project_code, arena *a, standard **items, size_t *n,
                    int *level, const char **project_name, aj_error *err)
{
    *n = 0;
    if (!project_code || strlen(project_code) > 40) return aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
    db_rows *r = db_query(c, "SELECT service_level, name FROM projects WHERE code = $1 AND active = 1",
                          DB_ARGS(DB_TEXT(project_code)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) {
        *level = (int)db_int(r, 0);
        *project_name = arena_strdup(a, db_text(r, 1));
    }
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
    actor sys = actor_system("public");
    standard_filter f = {.level = *level >= 1 && *level <= 3 ? *level : 1, .active = 1};
    return standard_list(c, &sys, &f, a, items, n, err);
}
