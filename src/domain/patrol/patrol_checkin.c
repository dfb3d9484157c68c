/* domain/patrol/patrol_checkin.c: the scans of a patrol round (巡更打卡) and the month's
 * figures. A scan is one durable write: the scan row, the round's item answered (through
 * the plan engine, which finishes the round on its last checkpoint) and an audit row, in
 * one transaction, so a phone that loses the network loses no scan it was told was kept.
 * Proof of presence is checked here and flagged, never refused: a guard in a basement
 * with no GPS fix must still be able to scan. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/patrol/patrol.h"

#define PATROL_SPEED_MAX 8.0 /* m/s: faster than a guard can run between checkpoints */
#define PATROL_BURST_S 10    /* two different checkpoints within 10 s: labels carried away */
#define PATROL_NOTE_MAX 1000

/* Great-circle distance in metres (haversine; the error is far below a GPS fix's). */
static double patrol_checkin_distance(double lat1, double lng1, double lat2, double lng2)
{
    const double rad = M_PI / 180.0, earth = 6371000.0;
    double dlat = (lat2 - lat1) * rad, dlng = (lng2 - lng1) * rad;
    double h = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlng / 2) * sin(dlng / 2);
    return 2 * earth * asin(sqrt(h < 1 ? h : 1));
}

/* The round's previous scan: where its checkpoint is, when, from which device. */
typedef struct patrol_checkin_prev {
    int have;
    int64_t at;
    double lat, lng;
    int has_point;
    const char *first_device;
} patrol_checkin_prev;

static int patrol_checkin_previous(db *c, int64_t task_id, arena *a, patrol_checkin_prev *p,
                                   aj_error *err)
{
    *p = (patrol_checkin_prev){0};
    db_rows *r = db_query(c,
                          "SELECT s.scanned_at, cp.lat, cp.lng, s.device FROM patrol_scans s"
                          " JOIN patrol_checkpoints cp ON cp.id = s.checkpoint_id"
                          " WHERE s.task_id = $1 ORDER BY s.scanned_at, s.id",
                          DB_ARGS(DB_INT(task_id)), err);
    if (!r) return err->rc;
    while (db_next(r)) {
        if (!p->have) p->first_device = arena_strdup(a, db_text(r, 3));
        p->have = 1;
        p->at = db_int(r, 0);
        p->has_point = !db_null(r, 1) && !db_null(r, 2);
        p->lat = p->has_point ? db_real(r, 1) : 0;
        p->lng = p->has_point ? db_real(r, 2) : 0;
    }
    return db_end(r, err) ? err->rc : 0;
}

static void patrol_checkin_flags(const patrol_checkpoint *cp, const patrol_scan_input *in,
                                 const patrol_checkin_prev *prev, int64_t now, patrol_scan *out,
                                 buf *flags)
{
    int n = 0;
    buf_putc(flags, '[');
#define PATROL_FLAG(s) buf_printf(flags, "%s\"%s\"", n++ ? "," : "", s)
    out->distance_m = -1;
    if (in->has_point && cp->has_point) {
        out->distance_m = (int64_t)llround(patrol_checkin_distance(cp->lat, cp->lng, in->lat, in->lng));
        out->far = cp->radius_m > 0 && out->distance_m > cp->radius_m;
        if (out->far) PATROL_FLAG("far");
    }
    if (prev->have) {
        int64_t dt = now - prev->at;
        if (prev->has_point && cp->has_point) {
            double d = patrol_checkin_distance(prev->lat, prev->lng, cp->lat, cp->lng);
            if (d > 50 && (dt <= 0 || d / (double)dt > PATROL_SPEED_MAX)) PATROL_FLAG("speed");
        }
        if (in->device && prev->first_device && *prev->first_device &&
            strcmp(in->device, prev->first_device))
            PATROL_FLAG("device");
        if (dt < PATROL_BURST_S) PATROL_FLAG("burst");
    }
#undef PATROL_FLAG
    buf_putc(flags, ']');
}

int patrol_checkin(db *c, const actor *who, int64_t task_id, const patrol_scan_input *in,
                   arena *a, patrol_scan *out, aj_error *err)
{
    task t;
    patrol_checkpoint cp;
    if (!in->token || !*in->token) return aj_fail(err, AJ_EINVAL, "token", "缺少必填字段 token");
    if (in->note && strlen(in->note) > PATROL_NOTE_MAX)
        return aj_fail(err, AJ_EINVAL, "note", "备注最长 %d 字节", PATROL_NOTE_MAX);
    if (in->has_point && (!isfinite(in->lat) || !isfinite(in->lng) || fabs(in->lat) > 90 ||
                          fabs(in->lng) > 180))
        return aj_fail(err, AJ_EINVAL, "lat", "经纬度无效");
    if (in->nphotos > TASK_MAX_PHOTOS)
        return aj_fail(err, AJ_EINVAL, "photos", "照片最多 %d 张", TASK_MAX_PHOTOS);
    if (task_load(c, who, task_id, a, &t, err)) return err->rc;
    if (strcmp(t.kind, "patrol")) return aj_fail(err, AJ_EINVAL, "token", "该任务不是巡更任务");
    if (patrol_checkpoint_by_token(c, who, in->token, a, &cp, err)) return err->rc;
    if (cp.project_id != t.project_id) return aj_fail(err, AJ_ENOTFOUND, NULL, "巡更点不存在");
    for (size_t i = 0; i < in->nphotos; i++) {
        int rc = file_can_see(c, who, in->photos[i], err);
        if (rc == AJ_ENOTFOUND)
            return aj_fail(err, AJ_EINVAL, "photos", "文件 %lld 不存在", (long long)in->photos[i]);
        if (rc) return rc;
    }
    buf ph;
    buf_init(&ph, a);
    buf_putc(&ph, '[');
    for (size_t i = 0; i < in->nphotos; i++)
        buf_printf(&ph, "%s%lld", i ? "," : "", (long long)in->photos[i]);
    buf_putc(&ph, ']');
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)cp.id);
    int64_t now = clock_now();
    if (now < t.starts_at - PATROL_EARLY_S) {
        char at[32];
        clock_format(t.starts_at, t.tz_offset, at, sizeof at); /* …THH:MM:SS+08:00 */
        return aj_fail(err, AJ_ETRANSITION, "starts_at", "本轮巡更 %.5s 开始，最早可提前 %d 分钟打卡",
                       at + 11, PATROL_EARLY_S / 60);
    }
    *out = (patrol_scan){.task_id = task_id, .checkpoint_id = cp.id, .project_id = t.project_id,
                         .scanned_at = now};
    live_hold();
    if (db_begin(c, err)) {
        live_release(0);
        return err->rc;
    }
    patrol_checkin_prev prev;
    buf flags;
    buf_init(&flags, a);
    int rc = patrol_checkin_previous(c, task_id, a, &prev, err);
    if (!rc) {
        patrol_checkin_flags(&cp, in, &prev, now, out, &flags);
        out->flags = flags.s;
        rc = db_scalar(c,
                       "INSERT INTO patrol_scans (task_id, checkpoint_id, project_id, user_id,"
                       " scanned_at, lat, lng, distance_m, flags, device, note, photos)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
                       DB_ARGS(DB_INT(task_id), DB_INT(cp.id), DB_INT(t.project_id),
                               DB_OPT_INT(who->id, who->id), DB_INT(now),
                               in->has_point ? DB_REAL(in->lat) : DB_NULLV,
                               in->has_point ? DB_REAL(in->lng) : DB_NULLV,
                               DB_OPT_INT(out->distance_m >= 0, out->distance_m), DB_TEXT(flags.s),
                               DB_TEXT(in->device ? in->device : ""),
                               DB_TEXT(in->note ? in->note : ""), DB_TEXT(ph.s)),
                       &out->id, err);
        if (rc == AJ_ECONFLICT) rc = aj_fail(err, AJ_ECONFLICT, "token", "该巡更点本轮已打卡");
    }
    if (!rc) {
        const char *value = arena_printf(a, "{\"scan_id\":%lld,\"far\":%s,\"flags\":%s}",
                                         (long long)out->id, out->far ? "true" : "false", flags.s);
        rc = task_checkin_in(c, who, &t, key, value, in->note, ph.s, now, &out->finished, err);
        /* a checkpoint of the project that this round does not walk */
        if (rc == AJ_EINVAL && !strcmp(err->field, "key"))
            rc = aj_fail(err, AJ_ENOTFOUND, NULL, "该巡更点不在本轮路线上");
        if (rc == AJ_ETRANSITION) rc = aj_fail(err, AJ_ECONFLICT, "state", "本轮巡更已结束，不能再打卡");
    }
    if (!rc) {
        json_t *ch = json_pack("{s:I, s:I, s:o}", "checkpoint_id", (json_int_t)cp.id, "scan_id",
                               (json_int_t)out->id, "flags", json_loads(flags.s, 0, NULL));
        rc = audit_append(c, who, "checkin", "task", task_id, ch, err);
        json_decref(ch);
    }
    if (!rc) {
        json_t *d = json_pack("{s:I, s:I, s:I, s:s, s:b}", "task_id", (json_int_t)task_id,
                              "project_id", (json_int_t)t.project_id, "checkpoint_id",
                              (json_int_t)cp.id, "flags", flags.s, "finished", out->finished);
        live_target to = {.project_id = t.project_id};
        live_publish(&to, "patrol", d);
        json_decref(d);
        rc = db_commit(c, err);
    }
    if (rc) db_rollback(c);
    live_release(rc == 0);
    return rc ? (err->rc ? err->rc : AJ_EDB) : 0;
}

int patrol_open_round(db *c, const actor *who, const patrol_checkpoint *cp, int64_t *task_id,
                      aj_error *err)
{
    int64_t now = clock_now();
    int any = who->role == ROLE_ADMIN || who->role == ROLE_MANAGER || who->role == ROLE_QUALITY;
    *task_id = 0;
    int rc = db_scalar(c,
                       "SELECT t.id FROM tasks t JOIN plans p ON p.id = t.plan_id"
                       " WHERE p.route_id = $1 AND t.project_id = $2 AND t.kind = 'patrol'"
                       " AND t.state IN ('scheduled', 'in_progress') AND t.starts_at <= CAST($3 AS BIGINT) + CAST($7 AS BIGINT)"
                       " AND t.due_at > $3 AND ($5 = 1 OR t.assignee_id = $4 OR t.assignee_id IS NULL)"
                       " AND NOT EXISTS (SELECT 1 FROM patrol_scans s WHERE s.task_id = t.id"
                       " AND s.checkpoint_id = $6)"
                       " ORDER BY t.due_at, t.id LIMIT 1",
                       DB_ARGS(DB_INT(cp->route_id), DB_INT(cp->project_id), DB_INT(now),
                               DB_INT(who->id), DB_INT(any), DB_INT(cp->id), DB_INT(PATROL_EARLY_S)),
                       task_id, err);
    return rc == AJ_ENOTFOUND ? 0 : rc;
}

int patrol_scans_of(db *c, const actor *who, int64_t task_id, arena *a, patrol_scan **items,
                    size_t *n, aj_error *err)
{
    task t;
    if (task_load(c, who, task_id, a, &t, err)) return err->rc;
    db_rows *r = db_query(c,
                          "SELECT id, checkpoint_id, scanned_at, distance_m, flags FROM patrol_scans"
                          " WHERE task_id = $1 ORDER BY scanned_at, id",
                          DB_ARGS(DB_INT(task_id)), err);
    if (!r) return err->rc;
    size_t cap = 0;
    *items = NULL;
    *n = 0;
    while (db_next(r)) {
        *items = arena_grow(a, *items, *n, &cap, sizeof **items);
        patrol_scan *s = &(*items)[(*n)++];
        *s = (patrol_scan){.id = db_int(r, 0), .task_id = task_id, .checkpoint_id = db_int(r, 1),
                           .project_id = t.project_id,
                           .scanned_at = db_int(r, 2),
                           .distance_m = db_null(r, 3) ? -1 : db_int(r, 3),
                           .flags = arena_strdup(a, db_text(r, 4))};
        s->far = strstr(s->flags, "\"far\"") != NULL;
    }
    return db_end(r, err) ? err->rc : 0;
}

int patrol_stats_get(db *c, const actor *who, int64_t project_id, int64_t from, int64_t to,
                     patrol_stats *out, aj_error *err)
{
    *out = (patrol_stats){0};
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    int64_t now = clock_now();
    /* rounds by plan version: a version's checklist says how many checkpoints a round has */
    db_rows *r = db_query(
        c,
        "SELECT t.plan_id, t.plan_version, COUNT(*),"
        " SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state = 'late' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state = 'missed' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state IN ('scheduled', 'in_progress') THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state IN ('done', 'late', 'missed') OR (t.due_at <= $4 AND t.state <> 'skipped')"
        " THEN 1 ELSE 0 END),"
        " (SELECT v.checklist FROM plan_versions v WHERE v.plan_id = t.plan_id"
        "  AND v.version = t.plan_version)"
        " FROM tasks t WHERE t.project_id = $1 AND t.kind = 'patrol' AND t.due_at >= $2"
        " AND t.due_at < $3 GROUP BY t.plan_id, t.plan_version",
        DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(to), DB_INT(now)), err);
    if (!r) return err->rc;
    int64_t past_points = 0;
    while (db_next(r)) {
        json_t *list = json_loads(db_text(r, 8), 0, NULL);
        int64_t points = (int64_t)json_array_size(list);
        json_decref(list);
        out->rounds_due += db_int(r, 2);
        out->done += db_int(r, 3);
        out->late += db_int(r, 4);
        out->missed += db_int(r, 5);
        out->open += db_int(r, 6);
        out->checkpoints_due += db_int(r, 2) * points;
        past_points += db_int(r, 7) * points;
    }
    if (db_end(r, err)) return err->rc;
    r = db_query(c,
                 "SELECT COUNT(*), SUM(CASE WHEN t.state IN ('done', 'late', 'missed') OR t.due_at <= $4"
                 " THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN s.flags LIKE '%\"far\"%' THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN s.flags LIKE '%\"speed\"%' THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN s.flags LIKE '%\"device\"%' THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN s.flags LIKE '%\"burst\"%' THEN 1 ELSE 0 END)"
                 " FROM patrol_scans s JOIN tasks t ON t.id = s.task_id"
                 " WHERE t.project_id = $1 AND t.kind = 'patrol' AND t.due_at >= $2 AND t.due_at < $3"
                 " AND t.state <> 'skipped'",
                 DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(to), DB_INT(now)), err);
    if (!r) return err->rc;
    int64_t past_scans = 0;
    if (db_next(r)) {
        out->checkpoints_scanned = db_int(r, 0);
        past_scans = db_null(r, 1) ? 0 : db_int(r, 1);
        out->far = db_null(r, 2) ? 0 : db_int(r, 2);
        out->speed = db_null(r, 3) ? 0 : db_int(r, 3);
        out->device = db_null(r, 4) ? 0 : db_int(r, 4);
        out->burst = db_null(r, 5) ? 0 : db_int(r, 5);
    }
    if (db_end(r, err)) return err->rc;
    /* a checkpoint of a round that is over (finished, missed, or past its due time),
     * never scanned */
    out->checkpoints_missed = past_points > past_scans ? past_points - past_scans : 0;
    return 0;
}
