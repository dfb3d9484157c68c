/* domain/tickets/category.c: the two-level category tree of tickets and its dispatch skills. */
#include "domain/tickets/category.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/strlist.h"
#include "domain/core/core.h"

#define CATEGORY_COLS                                                                          \
    "c.id, COALESCE(c.parent_id, 0), c.name, c.path, c.skills, c.sort, c.active,"              \
    " c.created_at, c.updated_at"

static void category_read(db_rows *r, arena *a, category *ct)
{
    ct->id = db_int(r, 0);
    ct->parent_id = db_int(r, 1);
    ct->name = arena_strdup(a, db_text(r, 2));
    ct->path = arena_strdup(a, db_text(r, 3));
    ct->skills = strlist_decode(a, db_text(r, 4), &ct->nskills);
    ct->sort = (int)db_int(r, 5);
    ct->active = (int)db_int(r, 6);
    ct->created_at = db_int(r, 7);
    ct->updated_at = db_int(r, 8);
}

int category_list(db *c, int include_inactive, arena *a, category **items, size_t *n,
                  aj_error *err)
{
    /* Parents sort by their own sort; children right after their parent. */
    db_rows *r = db_query(c,
                          "SELECT " CATEGORY_COLS " FROM categories c"
                          " LEFT JOIN categories p ON p.id = c.parent_id"
                          " WHERE ($1 = 1 OR (c.active = 1 AND COALESCE(p.active, 1) = 1))"
                          " ORDER BY COALESCE(p.sort, c.sort), COALESCE(p.id, c.id),"
                          " CASE WHEN c.parent_id IS NULL THEN 0 ELSE 1 END, c.sort, c.id",
                          DB_ARGS(DB_INT(include_inactive)), err);
    if (!r) return err->rc;
    size_t cap = 128;
    *items = arena_alloc(a, cap * sizeof(category));
    *n = 0;
    while (db_next(r)) {
        *items = arena_grow(a, *items, *n, &cap, sizeof **items);
        category_read(r, a, &(*items)[(*n)++]);
    }
    if (db_end(r, err)) return err->rc;
    return 0;
}

int category_get(db *c, int64_t id, arena *a, category *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT " CATEGORY_COLS " FROM categories c WHERE c.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) category_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "分类不存在");
}

int category_find(db *c, const char *path, arena *a, category *out, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT " CATEGORY_COLS " FROM categories c"
                          " LEFT JOIN categories p ON p.id = c.parent_id"
                          " WHERE c.path = $1 AND c.active = 1 AND COALESCE(p.active, 1) = 1",
                          DB_ARGS(DB_TEXT(path)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) category_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : AJ_ENOTFOUND;
}

static int category_check(const category_input *in, int creating, aj_error *err)
{
    if (creating && !in->name) return aj_fail(err, AJ_EINVAL, "name", "缺少必填字段 name");
    if (in->name && (strlen(in->name) > 32 || strchr(in->name, '/')))
        return aj_fail(err, AJ_EINVAL, "name", "分类名称须为 1 到 32 字节，且不能包含 /");
    if (in->has_sort && (in->sort < 0 || in->sort > 100000))
        return aj_fail(err, AJ_EINVAL, "sort", "sort 须在 0 到 100000 之间");
    if (in->has_skills && in->nskills > CATEGORY_MAX_SKILLS)
        return aj_fail(err, AJ_EINVAL, "skills", "技能最多 %d 项", CATEGORY_MAX_SKILLS);
    for (size_t i = 0; in->has_skills && i < in->nskills; i++) {
        if (!*in->skills[i] || strlen(in->skills[i]) > 32)
            return aj_fail(err, AJ_EINVAL, "skills", "每项技能须为 1 到 32 字节");
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->skills[k], in->skills[i]) == 0)
                return aj_fail(err, AJ_EINVAL, "skills", "技能有重复项");
    }
    return 0;
}

static json_t *category_change(const category_input *in)
{
    json_t *ch = json_object();
    if (in->has_parent) json_object_set_new(ch, "parent_id", json_integer(in->parent_id));
    if (in->name) json_object_set_new(ch, "name", json_string(in->name));
    if (in->has_skills)
        json_object_set_new(ch, "skills", strlist_json(in->skills, in->nskills));
    if (in->has_sort) json_object_set_new(ch, "sort", json_integer(in->sort));
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    return ch;
}

int category_create(db *c, const actor *who, const category_input *in, arena *a, category *out,
                    aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, 0) || category_check(in, 1, err)) return err->rc;
    const char *path = in->name;
    category parent;
    if (in->has_parent) {
        int rc = category_get(c, in->parent_id, a, &parent, err);
        if (rc == AJ_ENOTFOUND)
            return aj_fail(err, AJ_EINVAL, "parent_id", "上级分类不存在");
        if (rc) return rc;
        if (parent.parent_id)
            return aj_fail(err, AJ_EINVAL, "parent_id", "分类最多两级：上级须为一级分类");
        path = arena_printf(a, "%s/%s", parent.path, in->name);
    }
    char *skills = strlist_encode(in->skills, in->has_skills ? in->nskills : 0);
    int64_t now = clock_now(), id;
    if (db_begin(c, err)) {
        free(skills);
        return err->rc;
    }
    int rc = db_scalar(c,
                       "INSERT INTO categories (parent_id, name, path, skills, sort, active,"
                       " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)"
                       " RETURNING id",
                       DB_ARGS(DB_OPT_INT(in->has_parent, in->parent_id), DB_TEXT(in->name),
                               DB_TEXT(path), DB_TEXT(skills),
                               DB_INT(in->has_sort ? in->sort : 0),
                               DB_INT(in->has_active ? in->active : 1), DB_INT(now)),
                       &id, err);
    free(skills);
    if (rc == AJ_ECONFLICT) aj_fail(err, AJ_ECONFLICT, "name", "同级已有同名分类");
    if (rc) goto fail;
    json_t *ch = category_change(in);
    rc = audit_append(c, who, "create", "category", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return category_get(c, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

int category_update(db *c, const actor *who, int64_t id, const category_input *in, arena *a,
                    category *out, aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, 0) || category_check(in, 0, err)) return err->rc;
    if (in->has_parent) return aj_fail(err, AJ_EINVAL, "parent_id", "分类创建后不能移动");
    category cur, parent;
    if (category_get(c, id, a, &cur, err)) return err->rc;
    const char *path = NULL;
    if (in->name) {
        path = in->name;
        if (cur.parent_id) {
            if (category_get(c, cur.parent_id, a, &parent, err)) return err->rc;
            path = arena_printf(a, "%s/%s", parent.path, in->name);
        }
    }
    char *skills = in->has_skills ? strlist_encode(in->skills, in->nskills) : NULL;
    if (db_begin(c, err)) {
        free(skills);
        return err->rc;
    }
    int64_t n = db_exec(c,
                        "UPDATE categories SET name = COALESCE($2, name), path = COALESCE($3, path),"
                        " skills = COALESCE($4, skills), sort = COALESCE(CAST($5 AS BIGINT), sort),"
                        " active = COALESCE(CAST($6 AS BIGINT), active), updated_at = $7"
                        " WHERE id = $1",
                        DB_ARGS(DB_INT(id), DB_TEXT(in->name), DB_TEXT(path), DB_TEXT(skills),
                                DB_OPT_INT(in->has_sort, in->sort),
                                DB_OPT_INT(in->has_active, in->active), DB_INT(clock_now())),
                        err);
    free(skills);
    /* Children carry their parent's name in their path. */
    if (n >= 0 && path && !cur.parent_id)
        n = db_exec(c,
                    "UPDATE categories SET path = CAST($2 AS TEXT) || '/' || name WHERE parent_id = $1",
                    DB_ARGS(DB_INT(id), DB_TEXT(path)), err);
    if (n < 0) {
        if (n == AJ_ECONFLICT) aj_fail(err, AJ_ECONFLICT, "name", "同级已有同名分类");
        goto fail;
    }
    json_t *ch = category_change(in);
    int rc = audit_append(c, who, in->has_active && !in->active ? "deactivate" : "update",
                          "category", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    return category_get(c, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc;
}

int category_skills(db *c, int64_t id, arena *a, const char ***skills, size_t *n, aj_error *err)
{
    category ct;
    if (category_get(c, id, a, &ct, err)) return err->rc;
    if (!ct.nskills && ct.parent_id) {
        category parent;
        if (category_get(c, ct.parent_id, a, &parent, err)) return err->rc;
        ct.skills = parent.skills;
        ct.nskills = parent.nskills;
    }
    *skills = ct.skills;
    *n = ct.nskills;
    return 0;
}
