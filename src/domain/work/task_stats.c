/* domain/work/task_stats.c: scheduled work done against planned, per plan, for a span of
 * days (保洁 "电梯轿厢每周消毒3次" is a fact that can be counted: three planned this week, how
 * many done, on time, with what missed). One grouped query over the tasks' (project, due)
 * index; the plans' titles and areas joined in. */
#include <string.h>

#include "base/strlist.h"
#include "domain/work/task.h"
#include "domain/work/work.h"

int task_stats_by_plan(db *c, const actor *who, int64_t project_id, const char *kind,
                       int64_t from, int64_t to, arena *a, task_plan_stats **rows, size_t *n,
                       aj_error *err)
{
    *n = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (kind && !strlist_has(plan_kinds, kind)) return aj_fail(err, AJ_EINVAL, "kind", "未知的计划类型");
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    db_rows *r = db_query(
        c,
        "SELECT t.plan_id, p.title, p.area, p.kind, COUNT(*),"
        " SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state = 'late' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state = 'missed' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state = 'skipped' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state IN ('scheduled', 'in_progress') THEN 1 ELSE 0 END)"
        " FROM tasks t JOIN plans p ON p.id = t.plan_id"
        " WHERE t.project_id = $1 AND t.due_at >= $2 AND t.due_at < $3"
        " AND (CAST($4 AS TEXT) IS NULL OR t.kind = $4)"
        " GROUP BY t.plan_id, p.title, p.area, p.kind ORDER BY p.kind, p.title, t.plan_id LIMIT $5",
        DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(to), DB_TEXT(kind), DB_INT(TASK_STATS_MAX)),
        err);
    if (!r) return err->rc;
    *rows = arena_alloc(a, sizeof **rows * TASK_STATS_MAX);
    while (db_next(r))
        (*rows)[(*n)++] = (task_plan_stats){
            .plan_id = db_int(r, 0), .title = arena_strdup(a, db_text(r, 1)),
            .area = arena_strdup(a, db_text(r, 2)), .kind = arena_strdup(a, db_text(r, 3)),
            .planned = db_int(r, 4), .done = db_int(r, 5), .late = db_int(r, 6),
            .missed = db_int(r, 7), .skipped = db_int(r, 8), .open = db_int(r, 9)};
    return db_end(r, err) ? err->rc : 0;
}
