/* demo/demo_quality.c: a year of the demo company's three-level inspections (三级检查)
 * and what they found: per project the daily self-checks of 保洁部, 秩序部 and 工程部 on
 * their own standards, the monthly cross-checks (客服部 checks 工程部, 秩序部 checks 保洁部,
 * 品质部 supervises 客服部), and the project manager's monthly spot check over the three
 * buildings the engine draws. Their tasks are the engine's own (plan_gen_fill from a year
 * ago, the spot draws audited); each item passes or fails by a hash of (task, standard)
 * against a failure rate that falls over the year — more so for the outsiders' checks —,
 * so scores improve month by month; the task's score is the standards' weights as
 * inspection.c computes it. Each failed item is a rectification in the state its age gives
 * it: most passed at the first re-check, some at the second, a few cancelled, a few overdue,
 * the recent ones open or submitted. Set-wise SQL, the same on both backends and for a seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "demo/demo.h"

#include "domain/core/core.h"
#include "domain/work/work.h"

#define DEMO_QUALITY_DAY 86400
#define DEMO_QUALITY_YEAR (365 * DEMO_QUALITY_DAY)

typedef struct demo_quality_plan {
    const char *level, *title, *rrule, *assign, *inspected; /* inspected: a department's name */
    int window_minutes;
    int fail_start, fail_end; /* items failed per mille a year ago and now */
    const char *codes;        /* the standards it checks, by code */
} demo_quality_plan;

static const demo_quality_plan demo_quality_plans[] = {
    {"self", "保洁部日常自查", "FREQ=DAILY;BYHOUR=10;BYMINUTE=0", "{\"department\":\"保洁部\"}", "保洁部",
     480, 110, 45, "BJ-01 BJ-02 BJ-03 BJ-05 BJ-06"},
    {"self", "秩序部日常自查", "FREQ=DAILY;BYHOUR=20;BYMINUTE=0", "{\"department\":\"秩序部\"}", "秩序部",
     240, 80, 35, "ZX-01 ZX-02 ZX-03 ZX-07 ZX-11"},
    {"self", "工程部日常自查", "FREQ=DAILY;BYHOUR=16;BYMINUTE=0", "{\"department\":\"工程部\"}", "工程部",
     300, 90, 40, "GC-03 GC-04 GC-05 GC-07 GC-09"},
    {"cross", "交叉互检：客服部检查工程部", "FREQ=MONTHLY;BYMONTHDAY=12;BYHOUR=9;BYMINUTE=0",
     "{\"department\":\"客服部\"}", "工程部", 7 * 1440, 260, 110,
     "GC-01 GC-02 GC-03 GC-04 GC-05 GC-06 GC-07 GC-08"},
    {"cross", "交叉互检：秩序部检查保洁部", "FREQ=MONTHLY;BYMONTHDAY=18;BYHOUR=9;BYMINUTE=0",
     "{\"department\":\"秩序部\"}", "保洁部", 7 * 1440, 300, 120,
     "BJ-01 BJ-02 BJ-03 BJ-04 BJ-05 BJ-06 BJ-07 BJ-08"},
    {"cross", "品质部月度巡查：客服中心", "FREQ=MONTHLY;BYMONTHDAY=8;BYHOUR=14;BYMINUTE=0",
     "{\"department\":\"品质部\"}", "客服部", 7 * 1440, 240, 90,
     "KF-01 KF-02 KF-03 KF-04 KF-05 KF-06 KF-07 KF-08"},
    {"spot", "项目经理月度巡检（随机抽取3栋）", "FREQ=MONTHLY;BYMONTHDAY=25;BYHOUR=9;BYMINUTE=0",
     "{\"role\":\"manager\"}", NULL, 5 * 1440, 320, 130,
     "KF-08 GC-07 ZX-01 ZX-08 BJ-01 BJ-05 LH-01 LH-05"},
};
#define DEMO_QUALITY_NPLANS (int)(sizeof demo_quality_plans / sizeof demo_quality_plans[0])

/* The checklist of a plan: one pass/fail item per standard, keyed by its code. */
static const char *demo_quality_checklist(db *c, const char *codes, arena *a, aj_error *err)
{
    buf b;
    buf_init(&b, a);
    buf_putc(&b, '[');
    char code[16];
    int n = 0;
    for (const char *p = codes; *p;) {
        size_t len = strcspn(p, " ");
        snprintf(code, sizeof code, "%.*s", (int)len, p);
        p += len + (p[len] == ' ');
        db_rows *r = db_query(c, "SELECT id, item FROM standards WHERE code = $1",
                              DB_ARGS(DB_TEXT(code)), err);
        if (!r) return NULL;
        if (db_next(r)) {
            json_t *label = json_string(db_text(r, 1));
            char *l = json_dumps(label, JSON_ENCODE_ANY);
            buf_printf(&b,
                       "%s{\"key\":\"%s\",\"label\":%s,\"type\":\"check\",\"min\":null,\"max\":null,"
                       "\"required\":true,\"standard_id\":%lld}",
                       n++ ? "," : "", code, l, (long long)db_int(r, 0));
            free(l);
            json_decref(label);
        }
        if (db_end(r, err)) return NULL;
    }
    buf_putc(&b, ']');
    return b.s;
}

static int demo_quality_plan_insert(db *c, int64_t project_id, const demo_quality_plan *d,
                                    int64_t dtstart, arena *a, int64_t *id, aj_error *err)
{
    const char *checklist = demo_quality_checklist(c, d->codes, a, err);
    if (!checklist) return err->rc;
    if (db_scalar(c,
                  "INSERT INTO plans (project_id, kind, title, rrule, dtstart, window_minutes,"
                  " workdays_only, assign, equipment_ids, area, level, category, checklist, active,"
                  " version, horizon, generated_until, refill_at, inspected_department_id,"
                  " created_at, updated_at)"
                  " VALUES ($1, 'inspection', $2, $3, $4, $5, 0, $6, '[]', '', $7, '', $8, 1, 1, $9,"
                  " $4, 0, (SELECT id FROM departments WHERE name = CAST($10 AS TEXT) AND active = 1),"
                  " $4, $4) RETURNING id",
                  DB_ARGS(DB_INT(project_id), DB_TEXT(d->title), DB_TEXT(d->rrule), DB_INT(dtstart),
                          DB_INT(d->window_minutes), DB_TEXT(d->assign), DB_TEXT(d->level),
                          DB_TEXT(checklist), DB_INT(plan_rule_horizon(d->rrule)),
                          d->inspected ? DB_TEXT(d->inspected) : DB_NULLV),
                  id, err))
        return err->rc;
    return db_exec(c,
                   "INSERT INTO plan_versions (plan_id, version, checklist, created_at)"
                   " VALUES ($1, 1, $2, $3)",
                   DB_ARGS(DB_INT(*id), DB_TEXT(checklist), DB_INT(dtstart)), err) < 0
               ? err->rc
               : 0;
}

/* A hash of (task, standard) in 0..999, and the failure rate of the task's day: fail_start
 * a year ago falling linearly to fail_end now. */
#define DEMO_QUALITY_HASH "((t.id * 7919 + s.id * 104729 + t.id * s.id * 31) % 1000)"
#define DEMO_QUALITY_RATE                                                                   \
    "(CAST($3 AS BIGINT) - (CAST($3 AS BIGINT) - CAST($4 AS BIGINT)) * (t.starts_at - CAST($5 AS"  \
    " BIGINT)) / CAST($6 AS BIGINT))"

/* The past tasks of a plan: self-checks 2 in 100 missed and 4 late, the outsiders' checks
 * all done (one in 25 late); each item answered, failed when the hash falls under the
 * day's rate; the score from the standards' weights. */
static int demo_quality_outcomes(db *c, int64_t plan_id, const demo_quality_plan *d, int64_t start,
                                 int64_t now, aj_error *err)
{
    int self = !strcmp(d->level, "self");
    static const char *const sql[] = {
        "UPDATE tasks SET"
        " state = CASE WHEN $3 = 1 AND (id * 7919) % 100 < 2 THEN 'missed'"
        "              WHEN (id * 7919) % 100 < CASE WHEN $3 = 1 THEN 6 ELSE 4 END THEN 'late'"
        "              ELSE 'done' END,"
        " missed_at = CASE WHEN $3 = 1 AND (id * 7919) % 100 < 2 THEN due_at ELSE NULL END,"
        " started_at = CASE WHEN $3 = 1 AND (id * 7919) % 100 < 2 THEN NULL"
        "                   ELSE starts_at + (due_at - starts_at) * ((id * 31) % 30) / 100 END,"
        " finished_at = CASE WHEN $3 = 1 AND (id * 7919) % 100 < 2 THEN NULL"
        "                    WHEN (id * 7919) % 100 < CASE WHEN $3 = 1 THEN 6 ELSE 4 END"
        "                    THEN due_at + 1800 * (1 + id % 12)"
        "                    ELSE starts_at + (due_at - starts_at) * (35 + (id * 31) % 50) / 100 END,"
        " updated_at = due_at"
        " WHERE plan_id = $1 AND due_at <= $2",
        "INSERT INTO task_results (task_id, key, ok, value, note, measure, photos, answered_by,"
        " answered_at)"
        " SELECT t.id, s.code, CASE WHEN " DEMO_QUALITY_HASH " < " DEMO_QUALITY_RATE " THEN 0 ELSE 1 END,"
        " CASE WHEN " DEMO_QUALITY_HASH " < " DEMO_QUALITY_RATE " THEN 'false' ELSE 'true' END,"
        " CASE WHEN " DEMO_QUALITY_HASH " < " DEMO_QUALITY_RATE " THEN"
        "  CASE (t.id + s.id) % 5 WHEN 0 THEN '现场抽查有不符合项，已拍照留存'"
        "   WHEN 1 THEN '记录不完整，缺少签字'"
        "   WHEN 2 THEN '未按规定频次执行'"
        "   WHEN 3 THEN '个别点位未达标准要求'"
        "   ELSE '业主反映问题未及时处理' END"
        "  ELSE '' END,"
        " CASE WHEN " DEMO_QUALITY_HASH " < " DEMO_QUALITY_RATE " THEN '已通知责任部门限期整改' ELSE '' END,"
        " '[]', t.assignee_id, t.finished_at"
        " FROM tasks t JOIN plans p ON p.id = t.plan_id"
        " JOIN standards s ON p.checklist LIKE '%\"key\":\"' || s.code || '\"%'"
        " WHERE t.plan_id = $1 AND t.due_at <= $2 AND t.state IN ('done', 'late')",
        "UPDATE tasks SET score = (SELECT CAST(ROUND(100.0 * SUM(CASE WHEN r.ok = 1 THEN s.weight"
        " ELSE 0 END) / SUM(s.weight)) AS INTEGER) FROM task_results r JOIN standards s ON s.code = r.key"
        " WHERE r.task_id = tasks.id)"
        " WHERE plan_id = $1 AND due_at <= $2 AND state IN ('done', 'late')",
    };
    db_val args[] = {DB_INT(plan_id), DB_INT(now), DB_INT(self), DB_INT(d->fail_start),
                     DB_INT(d->fail_end), DB_INT(start), DB_INT(DEMO_QUALITY_YEAR)};
    /* the outcome's $3 is "self"; the results' $3–$6 are the rate's */
    if (db_exec(c, sql[0], 3, args, err) < 0) return err->rc;
    db_val rate[] = {DB_INT(plan_id), DB_INT(now), DB_INT(d->fail_start), DB_INT(d->fail_end),
                     DB_INT(start), DB_INT(DEMO_QUALITY_YEAR)};
    if (db_exec(c, sql[1], 6, rate, err) < 0) return err->rc;
    return db_exec(c, sql[2], 2, args, err) < 0 ? err->rc : 0;
}

/* Each failed item of the plan's tasks as a rectification on the inspected department (the
 * standard's for a spot check), to its first member in the project, due three days after
 * (two when major, one in ten); its state by age and a hash: a day past due, 80 in 100 passed at
 * the first re-check, 11 at the second, 2 cancelled and — raised in the last 45 days — 4
 * still open and 3 submitted but not re-checked (overdue, already told to the managers);
 * younger, 55 open and 45 submitted (the rectifications job tells the overdue ones among
 * them at its first run).
 * The re-checker is 品质部's first inspector. */
static int demo_quality_rectifications(db *c, int64_t plan_id, int64_t now, aj_error *err)
{
    static const char ins[] =
        "INSERT INTO rectifications (project_id, task_id, standard_id, standard_version, department,"
        " assignee_id, problem, location, photos, severity, due_at, state, rounds, submitted_by,"
        " submitted_at, submit_note, submit_photos, checked_by, checked_at, check_note,"
        " cancel_reason, escalated_at, created_by, created_at, updated_at)"
        " SELECT f.project_id, f.task_id, f.standard_id, f.version, f.dept, f.member, f.problem, '',"
        "  '[]', CASE WHEN f.h % 10 = 0 THEN 'major' ELSE 'minor' END, f.due, f.st,"
        "  CASE WHEN f.st = 'passed' AND f.h < 20 THEN 2 ELSE 1 END,"
        /* submitted by the responsible person, a day or so after */
        "  CASE WHEN f.st IN ('submitted', 'passed') THEN f.member END,"
        "  CASE WHEN f.st = 'submitted' AND f.due + 86400 > $2 THEN f.at + ($2 - f.at) / 2"
        "   WHEN f.st = 'submitted' THEN f.due + 3600"
        "   WHEN f.st = 'passed' THEN f.at + 86400 + f.h * 600 END,"
        "  CASE WHEN f.st IN ('submitted', 'passed') THEN '已按要求整改完毕，附整改后照片' ELSE '' END, '[]',"
        /* re-checked by quality */
        "  CASE WHEN f.st = 'passed' THEN (SELECT MIN(u.id) FROM users u WHERE u.role = 'quality') END,"
        "  CASE WHEN f.st = 'passed' THEN f.at + 2 * 86400 + f.h * 600 END,"
        "  CASE WHEN f.st = 'passed' AND f.h < 20 THEN '第二轮复检合格（首轮复检：整改不彻底）'"
        "   WHEN f.st = 'passed' THEN '复检合格' ELSE '' END,"
        "  CASE WHEN f.st = 'cancelled' THEN '与本周另一整改单为同一问题，合并处理' ELSE '' END,"
        "  CASE WHEN f.st IN ('open', 'submitted') AND f.due + 86400 <= $2 THEN f.due + 600 END,"
        "  f.inspector, f.at,"
        "  CASE WHEN f.st = 'passed' THEN f.at + 2 * 86400 + f.h * 600 ELSE f.at END"
        " FROM (SELECT b.*,"
        "   CASE WHEN b.due + 86400 > $2 THEN CASE WHEN b.h < 55 THEN 'open' ELSE 'submitted' END"
        "    WHEN b.h < 4 AND b.at > $2 - 45 * 86400 THEN 'open'"
        "    WHEN b.h < 7 AND b.at > $2 - 45 * 86400 THEN 'submitted'"
        "    WHEN b.h >= 7 AND b.h < 9 THEN 'cancelled' ELSE 'passed' END AS st,"
        "   (SELECT MIN(u.id) FROM users u JOIN staff_projects sp ON sp.user_id = u.id"
        "    JOIN departments dd ON dd.id = u.department_id"
        "    WHERE sp.project_id = b.project_id AND dd.function = b.dept AND u.active = 1) AS member"
        "  FROM (SELECT t.project_id, t.id AS task_id, s.id AS standard_id, s.version,"
        "    CASE WHEN d.function IN ('desk', 'engineering', 'security', 'cleaning', 'greening',"
        "     'quality') THEN d.function ELSE s.department END AS dept,"
        "    s.item || '：' || r.note AS problem, r.answered_at AS at, t.assignee_id AS inspector,"
        "    r.answered_at + CASE WHEN (t.id * 7 + s.id) % 10 = 0 THEN 2 ELSE 3 END * 86400 AS due,"
        "    (t.id * 7 + s.id) % 100 AS h"
        "   FROM task_results r JOIN tasks t ON t.id = r.task_id JOIN plans p ON p.id = t.plan_id"
        "   JOIN standards s ON s.code = r.key LEFT JOIN departments d ON d.id = p.inspected_department_id"
        "   WHERE t.plan_id = $1 AND r.ok = 0) b) f";
    static const char link[] =
        "UPDATE task_results SET rectification_id = (SELECT x.id FROM rectifications x"
        " JOIN standards s ON s.id = x.standard_id WHERE x.task_id = task_results.task_id"
        " AND s.code = task_results.key)"
        " WHERE ok = 0 AND task_id IN (SELECT id FROM tasks WHERE plan_id = $1)";
    if (db_exec(c, ins, DB_ARGS(DB_INT(plan_id), DB_INT(now)), err) < 0) return err->rc;
    return db_exec(c, link, DB_ARGS(DB_INT(plan_id)), err) < 0 ? err->rc : 0;
}

int demo_quality_run(db *c, int64_t now, demo_stats *st, aj_error *err)
{
    int64_t projects[DEMO_MAX_PROJECTS];
    int np;
    if (demo_project_ids(c, projects, &np, err)) return err->rc;
    arena a;
    arena_init(&a, 16384);
    int rc = 0;
    int64_t start = (now - DEMO_QUALITY_YEAR) / 3600 * 3600;
    for (int p = 0; p < np && !rc; p++) {
        for (int k = 0; k < DEMO_QUALITY_NPLANS && !rc; k++) {
            const demo_quality_plan *d = &demo_quality_plans[k];
            int64_t id;
            plan_gen_stats gs = {0};
            if ((rc = demo_quality_plan_insert(c, projects[p], d, start, &a, &id, err))) break;
            if ((rc = plan_gen_fill(c, id, now, &gs, err))) break;
            if ((rc = demo_quality_outcomes(c, id, d, start, now, err))) break;
            if ((rc = demo_quality_rectifications(c, id, now, err))) break;
            st->plans++;
            st->tasks += (int)gs.tasks;
        }
        arena_reset(&a);
    }
    if (!rc) {
        int64_t n = 0;
        rc = db_scalar(c, "SELECT COUNT(*) FROM rectifications", DB_NOARGS, &n, err);
        st->rectifications = (int)n;
    }
    arena_free(&a);
    return rc;
}
