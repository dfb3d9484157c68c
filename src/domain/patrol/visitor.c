/* domain/patrol/visitor.c: the visitors' register at the gate (see visitor.h).
 *
 * A pass code is six random digits, unique among the project's visits still waiting for
 * one (a unique partial index; a clash, one in a million per waiting visit, draws again),
 * shown to the resident who made it and cleared when the guard accepts it, so a code is
 * good for one arrival only. Each action is one transaction with its audit row. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/phone.h"
#include "domain/patrol/patrol.h"

#define VISITOR_COLS                                                                          \
    "v.id, v.project_id, v.source, v.name, v.phone, COALESCE(v.room_id, 0), v.purpose,"      \
    " v.plate, COALESCE(v.expected_at, 0), v.code, COALESCE(v.resident_id, 0),"              \
    " COALESCE(v.arrived_at, 0), COALESCE(v.left_at, 0), v.created_at,"                      \
    " (SELECT b.name || CASE WHEN r.unit <> '' THEN ' ' || r.unit ELSE '' END || ' ' ||"     \
    " r.number FROM rooms r JOIN buildings b ON b.id = r.building_id WHERE r.id = v.room_id),"\
    " (SELECT pz.timezone FROM projects pz WHERE pz.id = v.project_id)"

static const char *visitor_text(db_rows *r, int col, arena *a)
{
    return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

static void visitor_read(db_rows *r, arena *a, visitor *v)
{
    *v = (visitor){.id = db_int(r, 0), .project_id = db_int(r, 1),
                   .source = arena_strdup(a, db_text(r, 2)), .name = arena_strdup(a, db_text(r, 3)),
                   .phone = visitor_text(r, 4, a), .room_id = db_int(r, 5),
                   .purpose = arena_strdup(a, db_text(r, 6)), .plate = visitor_text(r, 7, a),
                   .expected_at = db_int(r, 8), .code = visitor_text(r, 9, a),
                   .resident_id = db_int(r, 10), .arrived_at = db_int(r, 11),
                   .left_at = db_int(r, 12), .created_at = db_int(r, 13),
                   .room = visitor_text(r, 14, a),
                   .tz_offset = clock_tz_offset_or_default(db_text(r, 15))};
}

static int visitor_load(db *c, int64_t id, arena *a, visitor *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT " VISITOR_COLS " FROM visitors v WHERE v.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) visitor_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "访客记录不存在");
}

/* The project of a room (AJ_ENOTFOUND when there is no such room). */
static int visitor_room_project(db *c, int64_t room_id, int64_t *project_id, aj_error *err)
{
    return db_scalar(c,
                     "SELECT b.project_id FROM rooms r JOIN buildings b ON b.id = r.building_id"
                     " WHERE r.id = $1",
                     DB_ARGS(DB_INT(room_id)), project_id, err);
}

/* Who keeps the register: the gate's people and those above them, of the project. */
static int visitor_desk(db *c, const actor *who, int64_t project_id, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    return actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_DESK, ROLE_GUARD, 0);
}

/* "粤B·12345" and "粤b12345" are one plate: separators dropped, letters upper-cased. */
static const char *visitor_plate(const char *p, arena *a)
{
    if (!p || !*p) return NULL;
    char *out = arena_alloc(a, strlen(p) + 1), *o = out;
    for (const char *s = p; *s; s++) {
        if (*s == ' ' || *s == '-' || *s == '.') continue;
        if ((unsigned char)*s == 0xC2 && (unsigned char)s[1] == 0xB7) { /* · */
            s++;
            continue;
        }
        *o++ = *s >= 'a' && *s <= 'z' ? (char)(*s - 32) : *s;
    }
    *o = 0;
    return *out ? out : NULL;
}

/* The visit for the gate's action, in the caller's transaction: AJ_ENOTFOUND for a
 * visit outside the caller's projects and for anyone but staff. */
static int visitor_load_for(db *c, const actor *who, int64_t id, arena *a, visitor *out,
                            aj_error *err)
{
    int rc = visitor_load(c, id, a, out, err);
    if (!rc) rc = visitor_desk(c, who, out->project_id, err);
    if (rc == AJ_EFORBIDDEN && !actor_is_staff(who))
        rc = aj_fail(err, AJ_ENOTFOUND, NULL, "访客记录不存在");
    return rc;
}

static int visitor_check(db *c, const visitor_input *in, aj_error *err)
{
    if (!in->name || !*in->name) return aj_fail(err, AJ_EINVAL, "name", "缺少必填字段 name");
    if (strlen(in->name) > 40) return aj_fail(err, AJ_EINVAL, "name", "姓名最多 40 字节");
    if (in->phone && *in->phone && !phone_mobile_ok(in->phone))
        return aj_fail(err, AJ_EINVAL, "phone", "手机号须为 11 位中国大陆手机号");
    if (in->purpose && strlen(in->purpose) > 100)
        return aj_fail(err, AJ_EINVAL, "purpose", "来访事由最多 100 字节");
    if (in->plate && strlen(in->plate) > 16)
        return aj_fail(err, AJ_EINVAL, "plate", "车牌号最多 16 字节");
    if (in->room_id) {
        int64_t pid;
        int rc = visitor_room_project(c, in->room_id, &pid, err);
        if (rc && rc != AJ_ENOTFOUND) return rc;
        if (rc || pid != in->project_id)
            return aj_fail(err, AJ_EINVAL, "room_id", "房屋不存在或不属于该项目");
    }
    return 0;
}

static json_t *visitor_change(const visitor *v)
{
    /* the audit keeps who came for whom, never the phone */
    return json_pack("{s:s, s:s, s:o}", "source", v->source, "name", v->name, "room_id",
                     v->room_id ? json_integer(v->room_id) : json_null());
}

/* Inserts the visit; code: a fresh pass code when pre-registering (else NULL). */
static int visitor_insert(db *c, const actor *who, const visitor_input *in, const char *source,
                          int64_t resident_id, int with_code, arena *a, visitor *out, aj_error *err)
{
    int64_t now = clock_now(), id = 0;
    const char *plate = visitor_plate(in->plate, a);
    /* ON CONFLICT DO NOTHING: a clash returns no row (AJ_ENOTFOUND) without failing the
     * statement, which on PostgreSQL would end the transaction */
    int rc = AJ_ENOTFOUND;
    for (int tries = 0; rc == AJ_ENOTFOUND && tries < 5; tries++) {
        char code[8];
        snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
        aj_error e = {0};
        rc = db_scalar(c,
                       "INSERT INTO visitors (project_id, source, name, phone, room_id, purpose,"
                       " plate, expected_at, code, resident_id, registered_by, arrived_at,"
                       " arrived_by, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)"
                       " ON CONFLICT DO NOTHING RETURNING id",
                       DB_ARGS(DB_INT(in->project_id), DB_TEXT(source), DB_TEXT(in->name),
                               DB_TEXT(in->phone && *in->phone ? in->phone : NULL),
                               DB_OPT_INT(in->room_id, in->room_id),
                               DB_TEXT(in->purpose ? in->purpose : ""), DB_TEXT(plate),
                               DB_OPT_INT(with_code, in->expected_at),
                               DB_TEXT(with_code ? code : NULL),
                               DB_OPT_INT(resident_id, resident_id), DB_OPT_INT(who->id, who->id),
                               DB_OPT_INT(!with_code, now), DB_OPT_INT(!with_code && who->id, who->id),
                               DB_INT(now)),
                       &id, &e);
        if (rc && rc != AJ_ENOTFOUND) *err = e;
        if (!with_code) break;
    }
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EDB, NULL, "无法生成通行码，请重试");
    if (rc) return err->rc ? err->rc : rc;
    if (visitor_load(c, id, a, out, err)) return err->rc;
    json_t *ch = visitor_change(out);
    rc = audit_append(c, who, with_code ? "preregister" : "register", "visitor", id, ch, err);
    json_decref(ch);
    return rc;
}

int visitor_register(db *c, const actor *who, const visitor_input *in, arena *a, visitor *out,
                     aj_error *err)
{
    if (!in->project_id) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
    if (visitor_desk(c, who, in->project_id, err) || visitor_check(c, in, err)) return err->rc;
    if (db_begin(c, err)) return err->rc;
    int rc = visitor_insert(c, who, in, "gate", 0, 0, a, out, err);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int visitor_preregister(db *c, const actor *who, const visitor_input *in, arena *a,
                        visitor *out, aj_error *err)
{
    if (who->role != ROLE_RESIDENT || !who->resident_id)
        return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限住户预约访客");
    if (!in->room_id) return aj_fail(err, AJ_EINVAL, "room_id", "缺少必填字段 room_id");
    if (actor_can_see_room(c, who, in->room_id, err)) return err->rc;
    visitor_input v = *in;
    int rc = visitor_room_project(c, in->room_id, &v.project_id, err);
    if (rc) return rc == AJ_ENOTFOUND ? aj_fail(err, AJ_ENOTFOUND, NULL, "房屋不存在") : rc;
    int64_t now = clock_now();
    if (!in->expected_at) return aj_fail(err, AJ_EINVAL, "expected_at", "缺少必填字段 expected_at");
    if (in->expected_at < now - 3600 || in->expected_at > now + 30 * 86400)
        return aj_fail(err, AJ_EINVAL, "expected_at", "来访时间须在一小时前到 30 天内");
    if (visitor_check(c, &v, err)) return err->rc;
    if (db_begin(c, err)) return err->rc;
    rc = visitor_insert(c, who, &v, "resident", who->resident_id, 1, a, out, err);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int visitor_mine(db *c, const actor *who, arena *a, visitor **items, size_t *n, aj_error *err)
{
    *n = 0;
    if (who->role != ROLE_RESIDENT || !who->resident_id)
        return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限住户");
    db_rows *r = db_query(c,
                          "SELECT " VISITOR_COLS " FROM visitors v WHERE v.resident_id = $1"
                          " ORDER BY v.created_at DESC, v.id DESC LIMIT 50",
                          DB_ARGS(DB_INT(who->resident_id)), err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof **items * 50);
    while (db_next(r)) visitor_read(r, a, &(*items)[(*n)++]);
    return db_end(r, err) ? err->rc : 0;
}

int visitor_arrive(db *c, const actor *who, int64_t id, int64_t project_id, const char *code,
                   arena *a, visitor *out, aj_error *err)
{
    if (!code || !*code) return aj_fail(err, AJ_EINVAL, "code", "缺少必填字段 code");
    if (strlen(code) != 6 || strspn(code, "0123456789") != 6)
        return aj_fail(err, AJ_EINVAL, "code", "通行码为 6 位数字");
    if (!id) {
        if (!project_id) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
        if (visitor_desk(c, who, project_id, err)) return err->rc;
        int rc = db_scalar(c, "SELECT id FROM visitors WHERE project_id = $1 AND code = $2",
                           DB_ARGS(DB_INT(project_id), DB_TEXT(code)), &id, err);
        if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "code", "通行码无效或已使用");
        if (rc) return rc;
    }
    if (db_begin(c, err)) return err->rc;
    visitor cur;
    int rc = visitor_load_for(c, who, id, a, &cur, err);
    int64_t now = clock_now();
    if (!rc && cur.arrived_at) rc = aj_fail(err, AJ_ECONFLICT, "state", "该访客已到访");
    else if (!rc && (!cur.code || strcmp(cur.code, code)))
        rc = aj_fail(err, AJ_EINVAL, "code", "通行码不正确");
    else if (!rc && now > cur.expected_at + VISITOR_CODE_VALID)
        rc = aj_fail(err, AJ_EINVAL, "code", "通行码已过期");
    if (!rc) {
        int64_t ch = db_exec(c,
                             "UPDATE visitors SET arrived_at = $2, arrived_by = $3, code = NULL,"
                             " updated_at = $2 WHERE id = $1 AND arrived_at IS NULL",
                             DB_ARGS(DB_INT(id), DB_INT(now), DB_OPT_INT(who->id, who->id)), err);
        rc = ch < 0 ? err->rc : ch == 0 ? aj_fail(err, AJ_ECONFLICT, "state", "该访客已到访") : 0;
    }
    if (!rc) rc = audit_append(c, who, "arrive", "visitor", id, NULL, err);
    if (!rc) rc = visitor_load(c, id, a, out, err);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int visitor_leave(db *c, const actor *who, int64_t id, arena *a, visitor *out, aj_error *err)
{
    if (db_begin(c, err)) return err->rc;
    visitor cur;
    int rc = visitor_load_for(c, who, id, a, &cur, err);
    if (!rc && !cur.arrived_at) rc = aj_fail(err, AJ_ECONFLICT, "state", "该访客尚未到访");
    int64_t now = clock_now();
    if (!rc) {
        int64_t ch = db_exec(c,
                             "UPDATE visitors SET left_at = $2, updated_at = $2 WHERE id = $1"
                             " AND left_at IS NULL",
                             DB_ARGS(DB_INT(id), DB_INT(now)), err);
        rc = ch < 0 ? err->rc : ch == 0 ? aj_fail(err, AJ_ECONFLICT, "state", "该访客已离开") : 0;
    }
    if (!rc) rc = audit_append(c, who, "leave", "visitor", id, NULL, err);
    if (!rc) rc = visitor_load(c, id, a, out, err);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int visitor_day_list(db *c, const actor *who, int64_t project_id, int64_t from, arena *a,
                     visitor **items, size_t *n, visitor_day *sum, aj_error *err)
{
    *n = 0;
    *sum = (visitor_day){0};
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    db_rows *r = db_query(c,
                          "SELECT " VISITOR_COLS " FROM visitors v WHERE v.project_id = $1"
                          " AND COALESCE(v.arrived_at, v.expected_at) >= $2"
                          " AND COALESCE(v.arrived_at, v.expected_at) < $3"
                          " ORDER BY COALESCE(v.arrived_at, v.expected_at), v.id LIMIT $4",
                          DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(from + 86400),
                                  DB_INT(VISITOR_MAX_LIST)),
                          err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof **items * VISITOR_MAX_LIST);
    while (db_next(r)) {
        visitor *v = &(*items)[(*n)++];
        visitor_read(r, a, v);
        v->code = NULL; /* a pass code is its resident's to show, never the register's */
        sum->total++;
        if (v->arrived_at) {
            sum->arrived++;
            if (!v->left_at) sum->inside++;
            if (!strcmp(v->source, "resident")) sum->pre_registered++;
            else sum->at_gate++;
        } else {
            sum->expected++;
        }
    }
    return db_end(r, err) ? err->rc : 0;
}
