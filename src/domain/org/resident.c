/* domain/org/resident.c: residents (业主/住户): their login user, rooms and care tags. */
#include "domain/org/resident.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/phone.h"
#include "base/strlist.h"
#include "domain/core/core.h"
#include "domain/identity/identity.h"

#define RESIDENT_COLS                                                                          \
    "rs.id, rs.user_id, rs.project_id, rs.name, rs.phone, rs.kind, rs.tags, rs.active,"        \
    " rs.created_at, rs.updated_at,"                                                           \
    " CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END"
#define RESIDENT_FROM " FROM residents rs JOIN users u ON u.id = rs.user_id"

static const char *const resident_kinds[] = {"owner", "family", "tenant", NULL};
static const char *const resident_tags[] = {"elderly",  "alone", "disabled", "child",
                                            "pregnant", "vip",   "key_care", NULL};

static void resident_read(db_rows *r, arena *a, resident *rs)
{
    rs->id = db_int(r, 0);
    rs->user_id = db_int(r, 1);
    rs->project_id = db_int(r, 2);
    rs->name = arena_strdup(a, db_text(r, 3));
    rs->phone = arena_strdup(a, db_text(r, 4));
    rs->kind = arena_strdup(a, db_text(r, 5));
    rs->tags = strlist_decode(a, db_text(r, 6), &rs->ntags);
    rs->active = (int)db_int(r, 7);
    rs->created_at = db_int(r, 8);
    rs->updated_at = db_int(r, 9);
    rs->has_password = (int)db_int(r, 10);
    rs->room_ids = NULL;
    rs->nrooms = 0;
}

static int resident_check(const resident_input *in, int creating, aj_error *err)
{
    if (creating && !in->name) return aj_fail(err, AJ_EINVAL, "name", "缺少必填字段 name");
    if (creating && !in->phone) return aj_fail(err, AJ_EINVAL, "phone", "缺少必填字段 phone");
    if (in->name && (!*in->name || strlen(in->name) > 100))
        return aj_fail(err, AJ_EINVAL, "name", "姓名须为 1 到 100 字节");
    if (in->phone && !phone_mobile_ok(in->phone))
        return aj_fail(err, AJ_EINVAL, "phone", "手机号须为 11 位中国大陆手机号");
    if (in->kind && !strlist_has(resident_kinds, in->kind))
        return aj_fail(err, AJ_EINVAL, "kind", "住户类型须为 owner、family 或 tenant");
    for (size_t i = 0; in->has_tags && i < in->ntags; i++) {
        if (!strlist_has(resident_tags, in->tags[i]))
            return aj_fail(err, AJ_EINVAL, "tags",
                           "未知标签 %.40s（可用：elderly alone disabled child pregnant vip "
                           "key_care）",
                           in->tags[i]);
        for (size_t k = 0; k < i; k++)
            if (strcmp(in->tags[k], in->tags[i]) == 0)
                return aj_fail(err, AJ_EINVAL, "tags", "标签有重复项");
    }
    return 0;
}

/* Every room must be a room of the project. */
static int resident_check_rooms(db *c, int64_t project_id, const resident_input *in,
                                aj_error *err)
{
    for (size_t i = 0; in->has_rooms && i < in->nrooms; i++) {
        int64_t pid;
        int rc = db_scalar(c, "SELECT project_id FROM rooms WHERE id = $1",
                           DB_ARGS(DB_INT(in->room_ids[i])), &pid, err);
        if (rc && rc != AJ_ENOTFOUND) return rc;
        if (rc == AJ_ENOTFOUND || pid != project_id)
            return aj_fail(err, AJ_EINVAL, "room_ids", "房屋 %lld 不存在或不属于该项目",
                           (long long)in->room_ids[i]);
    }
    return 0;
}

/* Room ids of the residents in items[0..n), which are in id order; sql selects
 * (resident_id, room_id) ordered by both, with args. */
static int resident_fill_rooms(db *c, const char *sql, int nargs, const db_val *args, arena *a,
                               resident *items, size_t n, aj_error *err)
{
    if (!n) return 0;
    db_pair *pairs;
    size_t len, k = 0;
    if (db_pairs(c, sql, nargs, args, a, &pairs, &len, err)) return err->rc;
    for (size_t i = 0; i < n; i++)
        items[i].room_ids = db_pairs_group(pairs, len, &k, items[i].id, a, &items[i].nrooms);
    return 0;
}

int resident_get(db *c, const actor *who, int64_t id, arena *a, resident *out, aj_error *err)
{
    if (who->role == ROLE_RESIDENT && who->resident_id != id)
        return aj_fail(err, AJ_ENOTFOUND, NULL, "住户不存在");
    db_rows *r = db_query(c, "SELECT " RESIDENT_COLS RESIDENT_FROM " WHERE rs.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) resident_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "住户不存在");
    if (who->role != ROLE_RESIDENT) {
        int rc = actor_can_see_project(c, who, out->project_id, err);
        if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_ENOTFOUND, NULL, "住户不存在");
        if (rc) return rc;
    }
    return resident_fill_rooms(c,
                               "SELECT resident_id, room_id FROM resident_rooms"
                               " WHERE resident_id = $1 ORDER BY room_id",
                               DB_ARGS(DB_INT(id)), a, out, 1, err);
}

static json_t *resident_json_change(int64_t project_id, const resident_input *in)
{
    json_t *ch = json_object();
    if (project_id) json_object_set_new(ch, "project_id", json_integer(project_id));
    if (in->name) json_object_set_new(ch, "name", json_string(in->name));
    if (in->phone) json_object_set_new(ch, "phone", json_string(in->phone));
    if (in->kind) json_object_set_new(ch, "kind", json_string(in->kind));
    if (in->has_tags) json_object_set_new(ch, "tags", strlist_json(in->tags, in->ntags));
    if (in->has_rooms) {
        json_t *ids = json_array();
        for (size_t i = 0; i < in->nrooms; i++)
            json_array_append_new(ids, json_integer(in->room_ids[i]));
        json_object_set_new(ch, "room_ids", ids);
    }
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    return ch;
}

static int resident_conflict(int rc, aj_error *err)
{
    if (rc == AJ_ECONFLICT) return aj_fail(err, AJ_ECONFLICT, "phone", "该手机号已被登记");
    return rc;
}

static int resident_bind_rooms(db *c, int64_t id, const resident_input *in, aj_error *err)
{
    for (size_t i = 0; i < in->nrooms; i++)
        if (db_exec(c, "INSERT INTO resident_rooms (resident_id, room_id) VALUES ($1, $2)",
                    DB_ARGS(DB_INT(id), DB_INT(in->room_ids[i])), err) < 0)
            return err->rc;
    return 0;
}

int resident_create(db *c, const actor *who, int64_t project_id, const resident_input *in,
                    arena *a, resident *out, aj_error *err)
{
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_DESK, 0)) return err->rc;
    if (resident_check(in, 1, err) || resident_check_rooms(c, project_id, in, err))
        return err->rc;
    int64_t now = clock_now(), uid, id;
    char *tags = strlist_encode(in->tags, in->has_tags ? in->ntags : 0);
    if (db_begin(c, err)) {
        free(tags);
        return err->rc;
    }
    /* The login user: username is the phone; no password until one is set. */
    int rc = db_scalar(c,
                       "INSERT INTO users (username, password_hash, role, name, phone, department,"
                       " skills, on_duty, active, created_at, updated_at)"
                       " VALUES ($1, NULL, 'resident', $2, $1, '', '[]', 0, 1, $3, $3)"
                       " RETURNING id",
                       DB_ARGS(DB_TEXT(in->phone), DB_TEXT(in->name), DB_INT(now)), &uid, err);
    if (rc) {
        resident_conflict(rc, err);
        goto fail;
    }
    rc = db_scalar(c,
                   "INSERT INTO residents (user_id, project_id, name, phone, kind, tags, active,"
                   " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7)"
                   " RETURNING id",
                   DB_ARGS(DB_INT(uid), DB_INT(project_id), DB_TEXT(in->name),
                           DB_TEXT(in->phone), DB_TEXT(in->kind ? in->kind : "owner"),
                           DB_TEXT(tags), DB_INT(now)),
                   &id, err);
    if (rc) {
        resident_conflict(rc, err);
        goto fail;
    }
    if (in->has_rooms && resident_bind_rooms(c, id, in, err)) goto fail;
    json_t *ch = resident_json_change(project_id, in);
    rc = audit_append(c, who, "create", "resident", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    free(tags);
    return resident_get(c, who, id, a, out, err);
fail:
    free(tags);
    db_rollback(c);
    return err->rc;
}

int resident_update(db *c, const actor *who, int64_t id, const resident_input *in, arena *a,
                    resident *out, aj_error *err)
{
    resident cur;
    if (resident_get(c, who, id, a, &cur, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_DESK, 0)) return err->rc;
    if (resident_check(in, 0, err) || resident_check_rooms(c, cur.project_id, in, err))
        return err->rc;
    char *tags = in->has_tags ? strlist_encode(in->tags, in->ntags) : NULL;
    int64_t now = clock_now();
    if (db_begin(c, err)) {
        free(tags);
        return err->rc;
    }
    int64_t n = db_exec(c,
                        "UPDATE residents SET name = COALESCE($2, name),"
                        " phone = COALESCE($3, phone), kind = COALESCE($4, kind),"
                        " tags = COALESCE($5, tags),"
                        " active = COALESCE(CAST($6 AS BIGINT), active), updated_at = $7"
                        " WHERE id = $1",
                        DB_ARGS(DB_INT(id), DB_TEXT(in->name), DB_TEXT(in->phone),
                                DB_TEXT(in->kind), DB_TEXT(tags),
                                DB_OPT_INT(in->has_active, in->active), DB_INT(now)),
                        err);
    if (n >= 0)
        n = db_exec(c,
                    "UPDATE users SET name = COALESCE($2, name),"
                    " username = COALESCE($3, username), phone = COALESCE($3, phone),"
                    " active = COALESCE(CAST($4 AS BIGINT), active), updated_at = $5"
                    " WHERE id = $1",
                    DB_ARGS(DB_INT(cur.user_id), DB_TEXT(in->name), DB_TEXT(in->phone),
                            DB_OPT_INT(in->has_active, in->active), DB_INT(now)),
                    err);
    if (n < 0) {
        resident_conflict((int)n, err);
        goto fail;
    }
    if (in->has_rooms) {
        if (db_exec(c, "DELETE FROM resident_rooms WHERE resident_id = $1", DB_ARGS(DB_INT(id)),
                    err) < 0 ||
            resident_bind_rooms(c, id, in, err))
            goto fail;
    }
    int deactivate = in->has_active && !in->active;
    if (deactivate && session_end_user(c, cur.user_id, err)) goto fail;
    json_t *ch = resident_json_change(0, in);
    int rc = audit_append(c, who, deactivate ? "deactivate" : "update", "resident", id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    free(tags);
    return resident_get(c, who, id, a, out, err);
fail:
    free(tags);
    db_rollback(c);
    return err->rc;
}

/* The project's residents, filtered; $4 is a LIKE pattern for one quoted tag
 * in the stored JSON array. */
#define RESIDENT_FILTER                                                                        \
    " WHERE rs.project_id = $1"                                                                \
    " AND (CAST($2 AS TEXT) IS NULL OR rs.name LIKE $2 ESCAPE '\\')"                           \
    " AND (CAST($3 AS TEXT) IS NULL OR rs.phone = $3)"                                         \
    " AND (CAST($4 AS TEXT) IS NULL OR rs.tags LIKE $4 ESCAPE '\\')"                           \
    " AND (CAST($5 AS BIGINT) = 0"                                                             \
    "      OR rs.id IN (SELECT resident_id FROM resident_rooms WHERE room_id = $5))"           \
    " AND (CAST($6 AS BIGINT) IS NULL OR rs.active = CAST($6 AS BIGINT))"

int resident_list(db *c, const actor *who, int64_t project_id, const resident_filter *f,
                  const page_req *pg, arena *a, resident **items, size_t *n, int *more,
                  int64_t *total, aj_error *err)
{
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    if (!actor_is_staff(who))
        return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权查看住户列表");
    if (f->tag && !strlist_has(resident_tags, f->tag))
        return aj_fail(err, AJ_EINVAL, "tag", "未知标签");
    const char *like = f->q ? db_like(a, f->q) : NULL;
    const char *tag = f->tag ? db_like(a, arena_printf(a, "\"%s\"", f->tag)) : NULL;
    db_val args[] = {DB_INT(project_id),
                     DB_TEXT(like),
                     DB_TEXT(f->phone),
                     DB_TEXT(tag),
                     DB_INT(f->room_id),
                     DB_OPT_INT(f->active >= 0, f->active),
                     DB_INT(pg->after),
                     DB_INT(pg->limit + 1)};
    db_rows *r = db_query(c,
                          "SELECT " RESIDENT_COLS RESIDENT_FROM RESIDENT_FILTER
                          " AND rs.id > $7 ORDER BY rs.id LIMIT $8",
                          8, args, err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof(resident) * (size_t)(pg->limit + 1));
    *n = 0;
    while (db_next(r)) resident_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    /* The rooms of this page in one query: the same filter picks the same residents. */
    if (resident_fill_rooms(c,
                            "SELECT rr.resident_id, rr.room_id FROM resident_rooms rr"
                            " WHERE rr.resident_id IN (SELECT rs.id FROM residents rs"
                            RESIDENT_FILTER " AND rs.id > $7 ORDER BY rs.id LIMIT $8)"
                            " ORDER BY rr.resident_id, rr.room_id",
                            8, args, a, *items, *n, err))
        return err->rc;
    if (pg->want_total) {
        if (db_scalar(c, "SELECT COUNT(*) FROM residents rs" RESIDENT_FILTER, 6, args, total, err))
            return err->rc;
    }
    return 0;
}

int resident_set_password(db *c, const actor *who, int64_t id, const char *password,
                          aj_error *err)
{
    arena a;
    resident cur;
    arena_init(&a, 1024);
    int rc = resident_get(c, who, id, &a, &cur, err);
    int64_t uid = rc ? 0 : cur.user_id;
    arena_free(&a);
    if (rc) return rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_DESK, 0)) return err->rc;
    char hash[PASSWORD_HASH_MAX];
    if (!password) return aj_fail(err, AJ_EINVAL, "password", "缺少必填字段 password");
    if (password_check_rules(password, err) || password_hash(password, hash, err)) return err->rc;
    if (db_begin(c, err)) goto wipe;
    if (db_exec(c, "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
                DB_ARGS(DB_INT(uid), DB_TEXT(hash), DB_INT(clock_now())), err) < 0 ||
        session_end_user(c, uid, err) ||
        audit_append(c, who, "set_password", "resident", id, NULL, err) || db_commit(c, err)) {
        db_rollback(c);
        goto wipe;
    }
    sodium_memzero(hash, sizeof hash);
    return 0;
wipe:
    sodium_memzero(hash, sizeof hash);
    return err->rc;
}
