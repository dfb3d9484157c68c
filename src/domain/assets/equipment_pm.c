/* domain/assets/equipment_pm.c: where the equipment book meets the plan/task engine (the
 * work context, one floor down): the PM figures of /stats/equipment and the tasks in an
 * equipment's history come from the tasks, and a plan may name only equipment of its
 * project that is not retired. Registered with the hooks when the program loads. */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/assets/assets.h"
#include "domain/work/work.h"

/* PM on time = done by the due time ÷ due; missed counted apart. Every planned occurrence
 * is a task, so "due" is what was planned (skipped ones excepted: retired equipment, a
 * reason on record). */
static int equipment_pm_figures(db *c, int64_t project_id, int64_t from, int64_t to,
                                equipment_pm_each each, void *ctx, aj_error *err)
{
    db_rows *r = db_query(
        c,
        /* driven by the project's equipment through tasks_equipment, which holds kind
         * and state too: no task row is read */
        "SELECT t.equipment_id, COUNT(*),"
        " SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state = 'missed' THEN 1 ELSE 0 END)"
        " FROM equipment e JOIN tasks t ON t.equipment_id = e.id AND t.equipment_id <> 0"
        " WHERE e.project_id = $1 AND t.kind = 'pm' AND t.due_at >= $2 AND t.due_at < $3"
        " AND t.state <> 'skipped' GROUP BY t.equipment_id ORDER BY t.equipment_id",
        DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(to)), err);
    if (!r) return err->rc;
    while (db_next(r)) each(ctx, db_int(r, 0), db_int(r, 1), db_int(r, 2), db_int(r, 3));
    return db_end(r, err) ? err->rc : 0;
}

/* The equipment's tasks, newest due first, with their abnormal results' tickets. */
static int equipment_pm_history(db *c, int64_t equipment_id, int64_t before, int limit,
                                equipment_history_each each, void *ctx, aj_error *err)
{
    db_rows *r = db_query(
        c,
        "SELECT t.id, t.due_at, t.plan_id, t.kind, t.title, t.state, t.assignee_id, t.finished_at,"
        " (SELECT COUNT(*) FROM task_results x WHERE x.task_id = t.id AND x.ok = 0),"
        " (SELECT MIN(x.ticket_id) FROM task_results x WHERE x.task_id = t.id), pr.timezone"
        " FROM tasks t JOIN projects pr ON pr.id = t.project_id"
        " WHERE t.equipment_id = $1 AND ($2 = 0 OR t.due_at < $2) AND t.starts_at <= $4"
        " ORDER BY t.due_at DESC, t.id DESC LIMIT $3",
        DB_ARGS(DB_INT(equipment_id), DB_INT(before), DB_INT(limit), DB_INT(clock_now())), err);
    if (!r) return err->rc;
    while (db_next(r)) {
        int off = clock_tz_offset_or_default(db_text(r, 10));
        char fin[40] = "";
        if (!db_null(r, 7)) clock_format(db_int(r, 7), off, fin, sizeof fin);
        json_t *f = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:I, s:o}", "plan_id",
                              (json_int_t)db_int(r, 2), "kind", db_text(r, 3), "title",
                              db_text(r, 4), "state", db_text(r, 5), "assignee_id",
                              db_null(r, 6) ? json_null() : json_integer(db_int(r, 6)),
                              "finished_at", *fin ? json_string(fin) : json_null(), "abnormal",
                              (json_int_t)db_int(r, 8), "ticket_id",
                              db_null(r, 9) ? json_null() : json_integer(db_int(r, 9)));
        each(ctx, "task", db_int(r, 0), db_int(r, 1), f);
    }
    return db_end(r, err) ? err->rc : 0;
}

static int equipment_pm_check(db *c, int64_t project_id, const int64_t *ids, size_t n,
                              aj_error *err)
{
    for (size_t i = 0; i < n; i++) {
        int64_t one;
        int rc = db_scalar(c,
                           "SELECT 1 FROM equipment WHERE id = $1 AND project_id = $2"
                           " AND status <> 'retired'",
                           DB_ARGS(DB_INT(ids[i]), DB_INT(project_id)), &one, err);
        if (rc == AJ_ENOTFOUND)
            return aj_fail(err, AJ_EINVAL, "equipment_ids", "设备 %lld 不存在、已报废或不属于该项目",
                           (long long)ids[i]);
        if (rc) return rc;
    }
    return 0;
}

__attribute__((constructor)) static void equipment_pm_register(void)
{
    equipment_stats_pm_hook(equipment_pm_figures);
    equipment_history_hook(equipment_pm_history);
    plan_on_equipment_check(equipment_pm_check);
}
