/* domain/quality/quality_stats.c: a project's quality figures of a month (GET
 * /stats/quality): the average inspection score per inspected department and level, and
 * the rectifications raised, still open, overdue, passed and passed at the first round. */
#include "base/clock.h"
#include "domain/quality/quality.h"

int quality_stats_get(db *c, const actor *who, int64_t project_id, int64_t from, int64_t to,
                      arena *a, quality_stats *out, aj_error *err)
{
    *out = (quality_stats){0};
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    db_rows *r = db_query(c,
                          "SELECT COALESCE(d.function, ''), COALESCE(p.level, ''), COUNT(*), AVG(t.score)"
                          " FROM tasks t JOIN plans p ON p.id = t.plan_id"
                          " LEFT JOIN departments d ON d.id = p.inspected_department_id"
                          " WHERE t.project_id = $1 AND t.kind = 'inspection' AND t.score IS NOT NULL"
                          " AND t.finished_at >= $2 AND t.finished_at < $3"
                          " GROUP BY COALESCE(d.function, ''), COALESCE(p.level, '')"
                          " ORDER BY 1, 2 LIMIT 64",
                          DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(to)), err);
    if (!r) return err->rc;
    out->scores = arena_alloc(a, sizeof *out->scores * 64);
    while (db_next(r))
        out->scores[out->nscores++] = (quality_score){.department = arena_strdup(a, db_text(r, 0)),
                                                      .level = arena_strdup(a, db_text(r, 1)),
                                                      .inspections = db_int(r, 2),
                                                      .average = db_real(r, 3)};
    if (db_end(r, err)) return err->rc;
    int64_t now = clock_now();
    r = db_query(c,
                 "SELECT SUM(CASE WHEN created_at >= $2 AND created_at < $3 THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN state IN ('open', 'submitted') THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN state IN ('open', 'submitted') AND due_at < $4 THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN state = 'passed' AND checked_at >= $2 AND checked_at < $3 THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN state = 'passed' AND rounds = 1 AND checked_at >= $2 AND checked_at < $3"
                 "  THEN 1 ELSE 0 END)"
                 " FROM rectifications WHERE project_id = $1",
                 DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(to), DB_INT(now)), err);
    if (!r) return err->rc;
    if (db_next(r)) {
        out->raised = db_null(r, 0) ? 0 : db_int(r, 0);
        out->open = db_null(r, 1) ? 0 : db_int(r, 1);
        out->overdue = db_null(r, 2) ? 0 : db_int(r, 2);
        out->passed = db_null(r, 3) ? 0 : db_int(r, 3);
        out->passed_first_time = db_null(r, 4) ? 0 : db_int(r, 4);
    }
    return db_end(r, err) ? err->rc : 0;
}
