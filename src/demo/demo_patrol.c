/* demo/demo_patrol.c: the demo company's patrols: a night route of six checkpoints per
 * project (two of them key areas with a GPS point), an hourly round made by the engine
 * for the last 30 days, and how the rounds went — most walked in full, a checkpoint now
 * and then left out (more in the small hours), a few scans flagged far; the visitors'
 * register of the same days. Set-wise SQL, the
 * same on both backends; the same for a seed (the flags and misses come from the ids). */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/token.h"
#include "demo/demo.h"

#include "domain/core/core.h"
#include "domain/work/work.h"

#define DEMO_PATROL_DAYS 30

static const struct {
    const char *name, *place;
    int key_area;
    double dlat, dlng; /* from the project's gate; 0, 0: no point */
} demo_patrol_points[] = {
    {"东门岗亭", "小区东门", 1, 0.0001, 0.0001},
    {"地下车库B1入口", "地下车库", 1, 0.0008, -0.0004},
    {"配电房门口", "地下一层", 0, 0, 0},
    {"3栋消防通道", "3栋一层", 0, 0, 0},
    {"中心花园", "小区中庭", 0, 0, 0},
    {"西门岗亭", "小区西门", 0, 0, 0},
};
#define DEMO_PATROL_NPOINTS (int)(sizeof demo_patrol_points / sizeof demo_patrol_points[0])

static int demo_patrol_route(db *c, int64_t project_id, int64_t since, int64_t *route_id,
                             char *checklist, size_t cap, aj_error *err)
{
    /* a gate near the People's Square, shifted per project */
    double lat = 31.2304 + 0.01 * (double)(project_id % 7), lng = 121.4737 + 0.01 * (double)(project_id % 5);
    if (db_scalar(c,
                  "INSERT INTO patrol_routes (project_id, name, active, created_at, updated_at)"
                  " VALUES ($1, '夜间巡更路线', 1, $2, $2) RETURNING id",
                  DB_ARGS(DB_INT(project_id), DB_INT(since)), route_id, err))
        return err->rc;
    size_t used = (size_t)snprintf(checklist, cap, "[");
    for (int i = 0; i < DEMO_PATROL_NPOINTS; i++) {
        char token[TOKEN_LEN];
        int64_t id;
        int point = demo_patrol_points[i].dlat != 0;
        if (token_new(token)) return aj_fail(err, AJ_EDB, NULL, "随机数不可用");
        if (db_scalar(c,
                      "INSERT INTO patrol_checkpoints (route_id, project_id, seq, name, place, lat, lng,"
                      " radius_m, key_area, token, active, created_at, updated_at)"
                      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id",
                      DB_ARGS(DB_INT(*route_id), DB_INT(project_id), DB_INT(i + 1),
                              DB_TEXT(demo_patrol_points[i].name), DB_TEXT(demo_patrol_points[i].place),
                              point ? DB_REAL(lat + demo_patrol_points[i].dlat) : DB_NULLV,
                              point ? DB_REAL(lng + demo_patrol_points[i].dlng) : DB_NULLV,
                              point ? DB_INT(50) : DB_NULLV, DB_INT(demo_patrol_points[i].key_area),
                              DB_TEXT(token), DB_INT(since)),
                      &id, err))
            return err->rc;
        used += (size_t)snprintf(checklist + used, cap - used,
                                 "%s{\"key\":\"%lld\",\"label\":\"%s\",\"type\":\"check\",\"min\":null,"
                                 "\"max\":null,\"required\":true,\"standard_id\":null,\"scan\":true,"
                                 "\"key_area\":%s}",
                                 i ? "," : "", (long long)id, demo_patrol_points[i].name,
                                 demo_patrol_points[i].key_area ? "true" : "false");
    }
    snprintf(checklist + used, cap - used, "]");
    return 0;
}

/* Past rounds: a checkpoint is left out when a hash of (round, checkpoint) says so — 1 in
 * 150 by day, 1 in 30 between 01:00 and 05:00 (some 4 % and 18 % of rounds); scans one to
 * four minutes apart; 1 in 40 flagged far. A round with every checkpoint is done, the others missed. */
static int demo_patrol_outcomes(db *c, int64_t plan_id, int64_t now, aj_error *err)
{
    static const char *const sql[] = {
        "INSERT INTO patrol_scans (task_id, checkpoint_id, project_id, user_id, scanned_at,"
        " lat, lng, distance_m, flags, device, note, photos)"
        " SELECT t.id, cp.id, t.project_id, t.assignee_id, t.starts_at + 60 + cp.seq * (60 + (t.id % 3) * 60),"
        " cp.lat, cp.lng, CASE WHEN cp.lat IS NULL THEN NULL WHEN (t.id + cp.id) % 40 = 0 THEN 180 ELSE 6 END,"
        " CASE WHEN cp.lat IS NOT NULL AND (t.id + cp.id) % 40 = 0 THEN '[\"far\"]' ELSE '[]' END,"
        " 'demo', '', '[]'"
        " FROM tasks t JOIN plans p ON p.id = t.plan_id JOIN patrol_checkpoints cp ON cp.route_id = p.route_id"
        " WHERE t.plan_id = $1 AND t.due_at <= $2"
        " AND (t.id * 31 + cp.id * 17) % (CASE WHEN ((t.starts_at + 28800) / 3600) % 24 BETWEEN 1 AND 4"
        " THEN 30 ELSE 150 END) <> 0",
        "INSERT INTO task_results (task_id, key, ok, value, note, measure, photos, answered_by, answered_at)"
        " SELECT s.task_id, CAST(s.checkpoint_id AS TEXT), 1, '{\"demo\":true}', '', '', '[]', s.user_id,"
        " s.scanned_at FROM patrol_scans s JOIN tasks t ON t.id = s.task_id WHERE t.plan_id = $1"
        " AND t.due_at <= $2",
        "UPDATE tasks SET"
        " state = CASE WHEN (SELECT COUNT(*) FROM patrol_scans s WHERE s.task_id = tasks.id) = $3"
        "  THEN 'done' ELSE 'missed' END,"
        " started_at = starts_at + 60,"
        " finished_at = CASE WHEN (SELECT COUNT(*) FROM patrol_scans s WHERE s.task_id = tasks.id) = $3"
        "  THEN (SELECT MAX(s.scanned_at) FROM patrol_scans s WHERE s.task_id = tasks.id) ELSE NULL END,"
        " missed_at = CASE WHEN (SELECT COUNT(*) FROM patrol_scans s WHERE s.task_id = tasks.id) = $3"
        "  THEN NULL ELSE due_at END, updated_at = due_at"
        " WHERE plan_id = $1 AND due_at <= $2",
    };
    for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
        if (db_exec(c, sql[i],
                    i == 2 ? 3 : 2,
                    (db_val[]){DB_INT(plan_id), DB_INT(now), DB_INT(DEMO_PATROL_NPOINTS)}, err) < 0)
            return err->rc;
    return 0;
}

/* The visitors' register of the last 30 days: some twelve visits a day per project, one in
 * three pre-registered by a resident of the project (expected on the hour, arrived within
 * the next twenty minutes, the code spent), the rest registered at the gate (couriers,
 * workmen, guests); nearly all left within three hours. Today's last ones are still
 * inside, and three of tomorrow's are expected with their pass codes. */
static int demo_patrol_visitors(db *c, int64_t project_id, int64_t now, aj_error *err)
{
    static const char sql[] =
        "INSERT INTO visitors (project_id, source, name, phone, room_id, purpose, plate, expected_at,"
        " code, resident_id, arrived_at, left_at, created_at, updated_at)"
        " WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 400),"
        " rr AS (SELECT x.room_id, x.resident_id,"
        "   ROW_NUMBER() OVER (ORDER BY x.resident_id, x.room_id) - 1 AS rn"
        "   FROM resident_rooms x JOIN residents y ON y.id = x.resident_id WHERE y.project_id = $1),"
        " v AS (SELECT n.i AS k, $3 + (n.i / 12) * 86400 + 7 * 3600 + (n.i % 12) * 4500"
        "   + (n.i * 37) % 900 AS at FROM n)"
        " SELECT $1, CASE WHEN v.k % 3 = 0 THEN 'resident' ELSE 'gate' END,"
        " CASE v.k % 6 WHEN 0 THEN '王先生' WHEN 1 THEN '顺丰快递员' WHEN 2 THEN '维修师傅'"
        "  WHEN 3 THEN '李女士' WHEN 4 THEN '外卖骑手' ELSE '装修工人' END,"
        " NULL, CASE WHEN v.k % 3 = 0 THEN rr.room_id END,"
        " CASE v.k % 6 WHEN 0 THEN '探亲访友' WHEN 1 THEN '送快递' WHEN 2 THEN '上门维修'"
        "  WHEN 3 THEN '探亲访友' WHEN 4 THEN '送外卖' ELSE '装修施工' END,"
        " CASE WHEN v.k % 4 = 0 THEN '沪A' || CAST(10000 + v.k * 211 % 89999 AS TEXT) END,"
        " CASE WHEN v.k % 3 = 0 THEN v.at - v.at % 3600 END,"
        /* a future visit's code: distinct per visit (k is), six digits */
        " CASE WHEN v.at > $2 THEN CAST(100000 + v.k * 1117 AS TEXT) END,"
        " CASE WHEN v.k % 3 = 0 THEN rr.resident_id END,"
        " CASE WHEN v.at <= $2 THEN v.at END,"
        " CASE WHEN v.at <= $2 - 3 * 3600 THEN v.at + 1200 + (v.k % 9) * 1200 END,"
        " v.at - 3600, v.at"
        " FROM v JOIN rr ON rr.rn = v.k % NULLIF((SELECT COUNT(*) FROM rr), 0)"
        " WHERE v.k < $4 AND (v.at <= $2 OR (v.k % 3 = 0 AND v.at <= $2 + 86400))";
    int64_t day0 = (now + 28800) / 86400 * 86400 - 28800 - DEMO_PATROL_DAYS * 86400;
    return db_exec(c, sql, DB_ARGS(DB_INT(project_id), DB_INT(now), DB_INT(day0),
                                   DB_INT((DEMO_PATROL_DAYS + 2) * 12)), err) < 0 ? err->rc : 0;
}

int demo_patrol_run(db *c, int64_t now, demo_stats *st, aj_error *err)
{
    int64_t projects[DEMO_MAX_PROJECTS];
    int np;
    if (demo_project_ids(c, projects, &np, err)) return err->rc;
    int64_t start = (now - DEMO_PATROL_DAYS * 86400) / 3600 * 3600;
    for (int p = 0; p < np; p++) {
        int64_t route, plan_id;
        char checklist[2048];
        if (demo_patrol_route(c, projects[p], start, &route, checklist, sizeof checklist, err))
            return err->rc;
        if (db_scalar(c,
                      "INSERT INTO plans (project_id, kind, title, rrule, dtstart, window_minutes,"
                      " workdays_only, assign, equipment_ids, route_id, area, category, checklist, active,"
                      " version, horizon, generated_until, refill_at, created_at, updated_at)"
                      " VALUES ($1, 'patrol', '秩序每小时巡逻', 'FREQ=HOURLY', $2, 45, 0,"
                      " '{\"role\":\"guard\"}', '[]', $3, '', '秩序安全', $4, 1, 1, $5, $2, 0, $2, $2)"
                      " RETURNING id",
                      DB_ARGS(DB_INT(projects[p]), DB_INT(start), DB_INT(route), DB_TEXT(checklist),
                              DB_INT(plan_rule_horizon("FREQ=HOURLY"))),
                      &plan_id, err) ||
            db_exec(c,
                    "INSERT INTO plan_versions (plan_id, version, checklist, created_at)"
                    " VALUES ($1, 1, $2, $3)",
                    DB_ARGS(DB_INT(plan_id), DB_TEXT(checklist), DB_INT(start)), err) < 0)
            return err->rc;
        plan_gen_stats gs = {0};
        if (plan_gen_fill(c, plan_id, now, &gs, err) || demo_patrol_outcomes(c, plan_id, now, err) ||
            demo_patrol_visitors(c, projects[p], now, err))
            return err->rc;
        st->plans++;
        st->tasks += (int)gs.tasks;
    }
    return 0;
}
