/* domain/assets/equipment.c: the equipment book's records (设施设备台账): who may see and
 * change them, their rules, the QR token, and the check tickets ask of equipment_id. */
#include "domain/assets/equipment_sql.h"

#include <string.h>

#include "base/clock.h"
#include "base/token.h"
#include "base/strlist.h"
#include "domain/tickets/tickets.h"

const char *const equipment_classes[] = {"elevator", "fire",   "water", "power", "hvac",
                                         "lighting", "access", "cctv",  "other", NULL};
const char *const equipment_criticalities[] = {"major", "normal", NULL};
const char *const equipment_statuses[] = {"in_service", "down", "retired", NULL};

static const char *equipment_text_or_null(db_rows *r, int col, arena *a)
{
    return db_null(r, col) ? NULL : arena_strdup(a, db_text(r, col));
}

void equipment_read(db_rows *r, arena *a, equipment *e)
{
    e->id = db_int(r, 0);
    e->project_id = db_int(r, 1);
    e->code = arena_strdup(a, db_text(r, 2));
    e->name = arena_strdup(a, db_text(r, 3));
    e->cls = arena_strdup(a, db_text(r, 4));
    e->location = arena_strdup(a, db_text(r, 5));
    e->building_id = db_int(r, 6);
    e->model = equipment_text_or_null(r, 7, a);
    e->maker = equipment_text_or_null(r, 8, a);
    e->serial = equipment_text_or_null(r, 9, a);
    e->installed_on = equipment_text_or_null(r, 10, a);
    e->warranty_until = equipment_text_or_null(r, 11, a);
    e->vendor = equipment_text_or_null(r, 12, a);
    e->criticality = arena_strdup(a, db_text(r, 13));
    e->status = arena_strdup(a, db_text(r, 14));
    e->qr_token = arena_strdup(a, db_text(r, 15));
    e->retired_at = db_int(r, 16);
    e->created_at = db_int(r, 17);
    e->updated_at = db_int(r, 18);
    e->tz_offset = clock_tz_offset_or_default(db_text(r, 19));
}

int equipment_scope(db *c, const actor *who, int64_t project_id, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_ENOTFOUND, NULL, "设备不存在");
    return actor_can_see_project(c, who, project_id, err);
}

int equipment_writer(const actor *who, aj_error *err)
{
    return actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_TECHNICIAN, 0);
}

int equipment_scope_write(db *c, const actor *who, int64_t project_id, aj_error *err)
{
    if (equipment_scope(c, who, project_id, err)) return err->rc;
    return equipment_writer(who, err);
}

int equipment_load(db *c, int64_t id, arena *a, equipment *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT " EQUIPMENT_COLS " FROM equipment e WHERE e.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) equipment_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "设备不存在");
}

int equipment_get(db *c, const actor *who, int64_t id, arena *a, equipment *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_ENOTFOUND, NULL, "设备不存在");
    if (equipment_load(c, id, a, out, err)) return err->rc;
    int rc = equipment_scope(c, who, out->project_id, err);
    return rc == AJ_ENOTFOUND ? aj_fail(err, AJ_ENOTFOUND, NULL, "设备不存在") : rc;
}

/* ---- the rules of a record ---- */

static int equipment_check_date(const char *s, const char *field, int64_t *days, aj_error *err)
{
    if (s && clock_parse_date(s, days))
        return aj_fail(err, AJ_EINVAL, field, "%s 须为 YYYY-MM-DD 格式的日期", field);
    return 0;
}

/* The record as it will be: cur (or the defaults) with what in gives. */
static void equipment_merge(equipment *e, const equipment_input *in)
{
    if (in->code) e->code = in->code;
    if (in->name) e->name = in->name;
    if (in->cls) e->cls = in->cls;
    if (in->criticality) e->criticality = in->criticality;
    if (in->status) e->status = in->status;
    if (in->has_location) e->location = in->location ? in->location : "";
    if (in->has_model) e->model = in->model;
    if (in->has_maker) e->maker = in->maker;
    if (in->has_serial) e->serial = in->serial;
    if (in->has_installed_on) e->installed_on = in->installed_on;
    if (in->has_warranty_until) e->warranty_until = in->warranty_until;
    if (in->has_vendor) e->vendor = in->vendor;
    if (in->has_building) e->building_id = in->building_id;
}

/* cur: the record before the change (NULL when creating). */
static int equipment_check(db *c, const equipment *cur, const equipment_input *in,
                           const equipment *e, aj_error *err)
{
    if (!e->code || !*e->code) return aj_fail(err, AJ_EINVAL, "code", "缺少必填字段 code");
    if (!e->name || !*e->name) return aj_fail(err, AJ_EINVAL, "name", "缺少必填字段 name");
    if (!e->cls) return aj_fail(err, AJ_EINVAL, "class", "缺少必填字段 class");
    if (!strlist_has(equipment_classes, e->cls))
        return aj_fail(err, AJ_EINVAL, "class",
                       "class 须为 elevator、fire、water、power、hvac、lighting、access、cctv 或 other");
    if (!strlist_has(equipment_criticalities, e->criticality))
        return aj_fail(err, AJ_EINVAL, "criticality", "criticality 须为 major 或 normal");
    if (in->status && (!cur || strcmp(in->status, cur->status) != 0)) {
        if (strcmp(in->status, "in_service") && strcmp(in->status, "retired"))
            return aj_fail(err, AJ_EINVAL, "status",
                           strcmp(in->status, "down") == 0
                               ? "停机须登记停机时段（POST /equipment/{id}/downtime）"
                               : "status 须为 in_service 或 retired");
        if (cur && !strcmp(cur->status, "down"))
            return aj_fail(err, AJ_EINVAL, "status",
                           "设备停机中，请先恢复运行（POST /equipment/{id}/actions/restore）");
    }
    int64_t installed = 0, warranty = 0;
    if (equipment_check_date(e->installed_on, "installed_on", &installed, err) ||
        equipment_check_date(e->warranty_until, "warranty_until", &warranty, err))
        return err->rc;
    if (e->installed_on && e->warranty_until && warranty < installed)
        return aj_fail(err, AJ_EINVAL, "warranty_until", "保修截止日期不能早于安装日期");
    if (e->building_id && (!cur || cur->building_id != e->building_id)) {
        int64_t pid;
        int rc = db_scalar(c, "SELECT project_id FROM buildings WHERE id = $1",
                           DB_ARGS(DB_INT(e->building_id)), &pid, err);
        if (rc && rc != AJ_ENOTFOUND) return rc;
        if (rc || pid != e->project_id)
            return aj_fail(err, AJ_EINVAL, "building_id", "楼栋不存在或不属于该项目");
    }
    return 0;
}

static json_t *equipment_change(const equipment_input *in)
{
    json_t *ch = json_object();
    if (in->has_project) json_object_set_new(ch, "project_id", json_integer(in->project_id));
    const struct {
        const char *key, *val;
        int has;
    } f[] = {
        {"code", in->code, in->code != NULL},
        {"name", in->name, in->name != NULL},
        {"class", in->cls, in->cls != NULL},
        {"criticality", in->criticality, in->criticality != NULL},
        {"status", in->status, in->status != NULL},
        {"location", in->location, in->has_location},
        {"model", in->model, in->has_model},
        {"maker", in->maker, in->has_maker},
        {"serial", in->serial, in->has_serial},
        {"installed_on", in->installed_on, in->has_installed_on},
        {"warranty_until", in->warranty_until, in->has_warranty_until},
        {"vendor", in->vendor, in->has_vendor},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (f[i].has) json_object_set_new(ch, f[i].key, f[i].val ? json_string(f[i].val) : json_null());
    if (in->has_building)
        json_object_set_new(ch, "building_id",
                            in->building_id ? json_integer(in->building_id) : json_null());
    return ch;
}

static int equipment_conflict(int rc, aj_error *err)
{
    if (rc == AJ_ECONFLICT) return aj_fail(err, AJ_ECONFLICT, "code", "该项目中已有相同编号的设备");
    return rc;
}

static int equipment_new_token(char out[TOKEN_LEN], aj_error *err)
{
    return token_new(out) ? aj_fail(err, AJ_EDB, NULL, "随机数不可用") : 0;
}

int equipment_create(db *c, const actor *who, const equipment_input *in, arena *a,
                     equipment *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (!in->has_project) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
    if (equipment_scope_write(c, who, in->project_id, err)) return err->rc;
    equipment e = {.project_id = in->project_id, .location = "", .criticality = "normal",
                   .status = "in_service"};
    equipment_merge(&e, in);
    char token[TOKEN_LEN];
    if (equipment_check(c, NULL, in, &e, err) || equipment_new_token(token, err)) return err->rc;
    int64_t now = clock_now(), id;
    int retired = !strcmp(e.status, "retired");
    if (db_begin(c, err)) return err->rc;
    int rc = db_scalar(
        c,
        "INSERT INTO equipment (project_id, code, name, class, location, building_id, model,"
        " maker, serial, installed_on, warranty_until, vendor, criticality, status, retired_at,"
        " qr_token, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8,"
        " $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) RETURNING id",
        DB_ARGS(DB_INT(e.project_id), DB_TEXT(e.code), DB_TEXT(e.name), DB_TEXT(e.cls),
                DB_TEXT(e.location), DB_OPT_INT(e.building_id, e.building_id), DB_TEXT(e.model),
                DB_TEXT(e.maker), DB_TEXT(e.serial), DB_TEXT(e.installed_on),
                DB_TEXT(e.warranty_until), DB_TEXT(e.vendor), DB_TEXT(e.criticality),
                DB_TEXT(e.status), DB_OPT_INT(retired, now), DB_TEXT(token),
                DB_OPT_INT(who->id, who->id), DB_INT(now)),
        &id, err);
    if (rc) {
        equipment_conflict(rc, err);
        goto fail;
    }
    json_t *ch = equipment_change(in);
    rc = audit_append(c, who, "create", "equipment", id, ch, err);
    json_decref(ch);
    if (rc || equipment_load(c, id, a, out, err) || db_commit(c, err)) goto fail;
    return 0;
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

int equipment_update(db *c, const actor *who, int64_t id, const equipment_input *in, arena *a,
                     equipment *out, aj_error *err)
{
    equipment cur;
    if (equipment_get(c, who, id, a, &cur, err) || equipment_writer(who, err)) return err->rc;
    if (in->has_project && in->project_id != cur.project_id)
        return aj_fail(err, AJ_EINVAL, "project_id", "设备不能转到其他项目");
    if (db_begin(c, err)) return err->rc;
    /* Read again inside the write: a downtime opened meanwhile must be seen. */
    if (equipment_load(c, id, a, &cur, err)) goto fail;
    equipment e = cur;
    equipment_merge(&e, in);
    if (equipment_check(c, &cur, in, &e, err)) goto fail;
    int64_t now = clock_now();
    int retiring = !strcmp(e.status, "retired") && strcmp(cur.status, "retired") != 0;
    int64_t retired_at = !strcmp(e.status, "retired") ? (retiring ? now : cur.retired_at) : 0;
    int64_t n = db_exec(
        c,
        "UPDATE equipment SET code = $2, name = $3, class = $4, location = $5, building_id = $6,"
        " model = $7, maker = $8, serial = $9, installed_on = $10, warranty_until = $11,"
        " vendor = $12, criticality = $13, status = $14, retired_at = $15, updated_at = $16"
        " WHERE id = $1",
        DB_ARGS(DB_INT(id), DB_TEXT(e.code), DB_TEXT(e.name), DB_TEXT(e.cls), DB_TEXT(e.location),
                DB_OPT_INT(e.building_id, e.building_id), DB_TEXT(e.model), DB_TEXT(e.maker),
                DB_TEXT(e.serial), DB_TEXT(e.installed_on), DB_TEXT(e.warranty_until),
                DB_TEXT(e.vendor), DB_TEXT(e.criticality), DB_TEXT(e.status),
                DB_OPT_INT(retired_at, retired_at), DB_INT(now)),
        err);
    if (n < 0) {
        equipment_conflict((int)n, err);
        goto fail;
    }
    json_t *ch = equipment_change(in);
    int rc = audit_append(c, who, retiring ? "retire" : "update", "equipment", id, ch, err);
    json_decref(ch);
    if (rc || equipment_load(c, id, a, out, err) || db_commit(c, err)) goto fail;
    return 0;
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

/* $1 company-wide, $2 the staff user; $3 project, $4 class, $5 status, $6 building, $7 q. */
#define EQUIPMENT_FILTER                                                                       \
    " WHERE ($1 = 1 OR e.project_id IN"                                                        \
    "   (SELECT sp.project_id FROM staff_projects sp WHERE sp.user_id = $2))"                  \
    " AND (CAST($3 AS BIGINT) = 0 OR e.project_id = $3)"                                       \
    " AND (CAST($4 AS TEXT) IS NULL OR e.class = $4)"                                          \
    " AND (CAST($5 AS TEXT) IS NULL OR e.status = $5)"                                         \
    " AND (CAST($6 AS BIGINT) = 0 OR e.building_id = $6)"                                      \
    " AND (CAST($7 AS TEXT) IS NULL OR e.code LIKE $7 ESCAPE '\\' OR e.name LIKE $7 ESCAPE '\\')"

int equipment_list(db *c, const actor *who, const equipment_filter *f, const page_req *pg,
                   arena *a, equipment **items, size_t *n, int *more, int64_t *total,
                   aj_error *err)
{
    *n = 0;
    *more = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (f->cls && !strlist_has(equipment_classes, f->cls))
        return aj_fail(err, AJ_EINVAL, "class", "未知的设备类别");
    if (f->status && !strlist_has(equipment_statuses, f->status))
        return aj_fail(err, AJ_EINVAL, "status", "未知的设备状态");
    if (f->q && strlen(f->q) > 100) return aj_fail(err, AJ_EINVAL, "q", "q 最多 100 字节");
    if (f->project_id && actor_can_see_project(c, who, f->project_id, err)) return err->rc;
    db_val args[] = {DB_INT(actor_is_company_wide(who)),
                     DB_INT(who->id),
                     DB_INT(f->project_id),
                     DB_TEXT(f->cls),
                     DB_TEXT(f->status),
                     DB_INT(f->building_id),
                     DB_TEXT(f->q ? db_like(a, f->q) : NULL),
                     DB_INT(pg->after),
                     DB_INT(pg->limit + 1)};
    db_rows *r = db_query(c,
                          "SELECT " EQUIPMENT_COLS " FROM equipment e" EQUIPMENT_FILTER
                          " AND e.id > $8 ORDER BY e.id LIMIT $9",
                          9, args, err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof(equipment) * (size_t)(pg->limit + 1));
    while (db_next(r)) equipment_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    if (pg->want_total &&
        db_scalar(c, "SELECT COUNT(*) FROM equipment e" EQUIPMENT_FILTER, 7, args, total, err))
        return err->rc;
    return 0;
}

int equipment_by_token(db *c, const actor *who, const char *token, arena *a, equipment_qr *out,
                       aj_error *err)
{
    memset(out, 0, sizeof *out);
    size_t len = token ? strlen(token) : 0;
    if (len < 1 || len > 64 || strspn(token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                             "0123456789-_") != len)
        return aj_fail(err, AJ_ENOTFOUND, NULL, "设备不存在");
    db_rows *r = db_query(c, "SELECT " EQUIPMENT_COLS " FROM equipment e WHERE e.qr_token = $1",
                          DB_ARGS(DB_TEXT(token)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) equipment_read(r, a, &out->e);
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "设备不存在");
    int rc = equipment_scope(c, who, out->e.project_id, err);
    if (rc && rc != AJ_ENOTFOUND) return rc;
    memset(err, 0, sizeof *err);
    out->full = rc == 0;
    /* A label left on equipment taken out of service takes no fault reports. */
    if (!out->full && !strcmp(out->e.status, "retired"))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "设备不存在");
    return 0;
}

/* ---- the tickets context's hook ---- */

/* A ticket may name equipment of its own project that is not retired. */
static int equipment_ticket_check(db *c, int64_t project_id, int64_t equipment_id, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT project_id, status FROM equipment WHERE id = $1",
                          DB_ARGS(DB_INT(equipment_id)), err);
    if (!r) return err->rc;
    int found = db_next(r), mine = 0, retired = 0;
    if (found) {
        mine = db_int(r, 0) == project_id;
        retired = !strcmp(db_text(r, 1), "retired");
    }
    if (db_end(r, err)) return err->rc;
    if (!mine) return aj_fail(err, AJ_EINVAL, "equipment_id", "设备不存在或不属于该项目");
    if (retired) return aj_fail(err, AJ_EINVAL, "equipment_id", "设备已报废");
    return 0;
}

/* Tickets sit below the equipment book and know nothing of it: the check is
 * registered when the program loads, as sla_replan registers with the calendar,
 * so no entry point (server, CLI, demo, tests) can miss it. */
__attribute__((constructor)) static void equipment_register(void)
{
    ticket_equipment_check(equipment_ticket_check);
}
