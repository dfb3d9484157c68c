/* domain/assets/equipment_downtime.c: downtime periods (停机): opening one puts the
 * equipment down, restoring ends it; at most one open at a time, none overlapping. */
#include "domain/assets/equipment_sql.h"

#include <string.h>

#include "base/clock.h"
#include "domain/tickets/tickets.h"

/* A time given as now may run ahead of the server's clock by this much. */
#define EQUIPMENT_DOWNTIME_SKEW 60

static int equipment_downtime_read_open(db *c, int64_t equipment_id, arena *a,
                                        equipment_downtime *out, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT id, equipment_id, started_at, cause, COALESCE(ticket_id, 0),"
                          " COALESCE(created_by, 0) FROM equipment_downtime"
                          " WHERE equipment_id = $1 AND ended_at IS NULL",
                          DB_ARGS(DB_INT(equipment_id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) {
        *out = (equipment_downtime){.id = db_int(r, 0), .equipment_id = db_int(r, 1),
                                    .started_at = db_int(r, 2),
                                    .cause = arena_strdup(a, db_text(r, 3)),
                                    .ticket_id = db_int(r, 4), .created_by = db_int(r, 5)};
    }
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ECONFLICT, NULL, "设备未处于停机状态");
}

/* A time in the past or now (0: now), for field. */
static int equipment_downtime_when(int64_t *t, int64_t now, const char *field, aj_error *err)
{
    if (!*t) *t = now;
    if (*t > now + EQUIPMENT_DOWNTIME_SKEW)
        return aj_fail(err, AJ_EINVAL, field, "%s 不能晚于当前时间", field);
    if (*t > now) *t = now;
    return 0;
}

/* The ticket a period names must be one of the equipment's project that who sees. */
static int equipment_downtime_ticket(db *c, const actor *who, int64_t ticket_id,
                                     int64_t project_id, arena *a, aj_error *err)
{
    ticket t;
    int rc = ticket_get(c, who, ticket_id, a, &t, err);
    if (rc && rc != AJ_ENOTFOUND) return rc;
    if (rc || t.project_id != project_id)
        return aj_fail(err, AJ_EINVAL, "ticket_id", "工单不存在或不属于该设备的项目");
    return 0;
}

int equipment_downtime_open(db *c, const actor *who, int64_t equipment_id, int64_t started_at,
                            const char *cause, int64_t ticket_id, arena *a,
                            equipment_downtime *out, aj_error *err)
{
    equipment e;
    int64_t now = clock_now(), id, later;
    if (equipment_get(c, who, equipment_id, a, &e, err) ||
        equipment_writer(who, err) ||
        equipment_downtime_when(&started_at, now, "started_at", err) ||
        (ticket_id && equipment_downtime_ticket(c, who, ticket_id, e.project_id, a, err)))
        return err->rc;
    if (db_begin(c, err)) return err->rc;
    if (equipment_load(c, equipment_id, a, &e, err)) goto fail;
    if (!strcmp(e.status, "retired")) {
        aj_fail(err, AJ_ECONFLICT, "status", "设备已报废");
        goto fail;
    }
    if (!strcmp(e.status, "down")) {
        aj_fail(err, AJ_ECONFLICT, "status", "设备已处于停机状态");
        goto fail;
    }
    /* Periods never overlap: the new one starts after every earlier one ended. */
    int rc = db_scalar(c,
                       "SELECT COUNT(*) FROM equipment_downtime WHERE equipment_id = $1"
                       " AND (ended_at IS NULL OR ended_at > $2)",
                       DB_ARGS(DB_INT(equipment_id), DB_INT(started_at)), &later, err);
    if (rc) goto fail;
    if (later) {
        aj_fail(err, AJ_EINVAL, "started_at", "停机开始时间与已有停机时段重叠");
        goto fail;
    }
    rc = db_scalar(c,
                   "INSERT INTO equipment_downtime (equipment_id, started_at, cause, ticket_id,"
                   " created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                   DB_ARGS(DB_INT(equipment_id), DB_INT(started_at), DB_TEXT(cause ? cause : ""),
                           DB_OPT_INT(ticket_id, ticket_id), DB_OPT_INT(who->id, who->id),
                           DB_INT(now)),
                   &id, err);
    if (rc == AJ_ECONFLICT) aj_fail(err, AJ_ECONFLICT, "status", "设备已处于停机状态");
    if (rc) goto fail;
    if (db_exec(c, "UPDATE equipment SET status = 'down', updated_at = $2 WHERE id = $1",
                DB_ARGS(DB_INT(equipment_id), DB_INT(now)), err) < 0)
        goto fail;
    json_t *ch = json_pack("{s:I, s:I, s:s}", "downtime_id", (json_int_t)id, "started_at",
                           (json_int_t)started_at, "cause", cause ? cause : "");
    if (ticket_id) json_object_set_new(ch, "ticket_id", json_integer(ticket_id));
    rc = audit_append(c, who, "downtime", "equipment", equipment_id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    *out = (equipment_downtime){.id = id, .equipment_id = equipment_id, .started_at = started_at,
                                .cause = cause ? cause : "", .ticket_id = ticket_id,
                                .created_by = who->id};
    return 0;
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

int equipment_downtime_restore(db *c, const actor *who, int64_t equipment_id, int64_t ended_at,
                               arena *a, equipment_downtime *out, aj_error *err)
{
    equipment e;
    int64_t now = clock_now();
    if (equipment_get(c, who, equipment_id, a, &e, err) ||
        equipment_writer(who, err) ||
        equipment_downtime_when(&ended_at, now, "ended_at", err))
        return err->rc;
    if (db_begin(c, err)) return err->rc;
    if (equipment_downtime_read_open(c, equipment_id, a, out, err)) goto fail;
    if (ended_at < out->started_at) {
        aj_fail(err, AJ_EINVAL, "ended_at", "恢复时间不能早于停机开始时间");
        goto fail;
    }
    if (db_exec(c, "UPDATE equipment_downtime SET ended_at = $2, ended_by = $3 WHERE id = $1",
                DB_ARGS(DB_INT(out->id), DB_INT(ended_at), DB_OPT_INT(who->id, who->id)),
                err) < 0 ||
        db_exec(c, "UPDATE equipment SET status = 'in_service', updated_at = $2 WHERE id = $1",
                DB_ARGS(DB_INT(equipment_id), DB_INT(now)), err) < 0)
        goto fail;
    json_t *ch = json_pack("{s:I, s:I, s:I}", "downtime_id", (json_int_t)out->id, "started_at",
                           (json_int_t)out->started_at, "ended_at", (json_int_t)ended_at);
    int rc = audit_append(c, who, "restore", "equipment", equipment_id, ch, err);
    json_decref(ch);
    if (rc || db_commit(c, err)) goto fail;
    out->ended_at = ended_at;
    return 0;
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}
