/* domain/quality/quality_stats.c: a project's quality figures of a month (GET
 * /stats/quality): the average inspection score per inspected department and level, each
 * department's score from them, and the rectifications raised, still open, overdue,
 * passed and passed at the first round; the weekly self-check report. */
#include <string.h>

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

size_t quality_stats_departments(const quality_stats *s, arena *a, quality_dept_score **out)
{
    size_t n = 0;
    double *weight = arena_alloc(a, sizeof *weight * (s->nscores ? s->nscores : 1));
    *out = arena_alloc(a, sizeof **out * (s->nscores ? s->nscores : 1));
    for (size_t i = 0; i < s->nscores; i++) {
        const quality_score *q = &s->scores[i];
        double w = !strcmp(q->level, "cross") ? 2 : !strcmp(q->level, "self") ? 1 : 0;
        if (!*q->department || w == 0 || q->inspections == 0) continue;
        size_t k = 0;
        while (k < n && strcmp((*out)[k].department, q->department)) k++;
        if (k == n) (*out)[n] = (quality_dept_score){.department = q->department}, weight[n++] = 0;
        /* a running weighted mean */
        (*out)[k].score = ((*out)[k].score * weight[k] + q->average * w) / (weight[k] + w);
        weight[k] += w;
        (*out)[k].inspections += q->inspections;
    }
    return n;
}

int quality_selfcheck_week(db *c, const actor *who, int64_t project_id, int64_t from, int64_t to,
                           arena *a, quality_selfcheck **rows, size_t *n, aj_error *err)
{
    *n = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    /* the week's self-checks (部门自查) per inspected department */
    db_rows *r = db_query(
        c,
        "SELECT COALESCE(d.function, ''), COUNT(*),"
        " SUM(CASE WHEN t.state = 'done' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state = 'late' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state = 'missed' THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN t.state IN ('scheduled', 'in_progress') THEN 1 ELSE 0 END),"
        " AVG(t.score), COUNT(t.score),"
        " SUM((SELECT COUNT(*) FROM rectifications x WHERE x.task_id = t.id))"
        " FROM tasks t JOIN plans p ON p.id = t.plan_id"
        " LEFT JOIN departments d ON d.id = p.inspected_department_id"
        " WHERE t.project_id = $1 AND t.kind = 'inspection' AND p.level = 'self'"
        " AND t.due_at >= $2 AND t.due_at < $3"
        " GROUP BY COALESCE(d.function, ''), p.inspected_department_id ORDER BY 1 LIMIT 32",
        DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(to)), err);
    if (!r) return err->rc;
    *rows = arena_alloc(a, sizeof **rows * 32);
    while (db_next(r))
        (*rows)[(*n)++] = (quality_selfcheck){
            .department = arena_strdup(a, db_text(r, 0)), .planned = db_int(r, 1),
            .done = db_int(r, 2), .late = db_int(r, 3), .missed = db_int(r, 4), .open = db_int(r, 5),
            .average = db_null(r, 6) ? -1 : db_real(r, 6), .scored = db_int(r, 7),
            .findings = db_int(r, 8)};
    return db_end(r, err) ? err->rc : 0;
}
