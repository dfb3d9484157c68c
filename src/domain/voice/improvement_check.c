/* domain/voice/improvement_check.c: where improvement plans meet live data — the metric
 * measured (again), the plans a closed survey raises for each dimension under 85, the
 * escalation of plans not approved by their due time, and the public list of a project's
 * plans for its disclosure board. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/voice/voice.h"

/* A dimension's score in survey s; *found 0 when it has no answers. */
static int improvement_check_score(db *c, const survey *s, const char *key, double *value, int *found,
                                   aj_error *err)
{
    arena a;
    arena_init(&a, 8192);
    survey_results res;
    int rc = survey_results_of(c, s, &a, &res, err);
    for (size_t i = 0; !rc && i < res.ndims; i++)
        if (!strcmp(res.dims[i].key, key) && res.dims[i].score >= 0) {
            *value = res.dims[i].score;
            *found = 1;
        }
    arena_free(&a);
    return rc;
}

int improvement_remeasure(db *c, int64_t project_id, const char *kind, const char *key, int64_t since,
                        int64_t now, double *value, int *found, aj_error *err)
{
    *found = 0;
    if (!strcmp(kind, "survey_dimension")) {
        int64_t sid;
        int rc = db_scalar(c,
                           "SELECT id FROM surveys WHERE project_id = $1 AND state = 'closed' AND closed_at > $2"
                           " ORDER BY closed_at DESC, id DESC LIMIT 1",
                           DB_ARGS(DB_INT(project_id), DB_INT(since)), &sid, err);
        if (rc == AJ_ENOTFOUND) return 0;
        if (rc) return rc;
        arena a;
        arena_init(&a, 4096);
        survey s;
        rc = survey_load(c, sid, &a, &s, err);
        if (!rc) rc = improvement_check_score(c, &s, key, value, found, err);
        arena_free(&a);
        return rc;
    }
    if (!strcmp(kind, "complaint_category")) {
        int64_t until = since + IMPROVEMENT_CHECK_DAYS * 86400, n = 0;
        if (until > now) return 0; /* the month after the measures has not passed yet */
        int rc = db_scalar(c,
                           "SELECT COUNT(*) FROM tickets t JOIN categories g ON g.id = t.category_id"
                           " WHERE t.project_id = $1 AND t.kind = 'complaint' AND t.reported_at >= $2"
                           " AND t.reported_at < $3 AND (g.path = CAST($4 AS TEXT)"
                           " OR SUBSTR(g.path, 1, LENGTH(CAST($4 AS TEXT)) + 1) = CAST($4 AS TEXT) || '/')",
                           DB_ARGS(DB_INT(project_id), DB_INT(since), DB_INT(until), DB_TEXT(key)), &n, err);
        if (rc) return rc;
        *value = (double)n;
        *found = 1;
    }
    return 0; /* a KPI: its engine is the KPI issue's; the caller measures */
}

int improvement_raise_for_survey(db *c, const actor *who, int64_t survey_id, int64_t now,
                                 int64_t *n, aj_error *err)
{
    *n = 0;
    arena a;
    arena_init(&a, 8192);
    survey s;
    survey_results res;
    int rc = survey_load(c, survey_id, &a, &s, err);
    if (!rc) rc = survey_results_of(c, &s, &a, &res, err);
    for (size_t i = 0; !rc && i < res.ndims; i++) {
        const survey_dim_result *d = &res.dims[i];
        if (d->score < 0 || d->score >= IMPROVEMENT_TARGET_SCORE) continue;
        char title[160], problem[600], ref[64];
        snprintf(title, sizeof title, "满意度提升：%s", arena_strcut(&a, d->label, 100));
        snprintf(problem, sizeof problem,
                 "%s「%s」得分 %.1f 分（%lld 份答卷，满意率 %.0f%%），低于 %.0f 分，须在 %d 日内制定整改方案并公示。",
                 arena_strcut(&a, *s.period ? s.period : s.title, 60), arena_strcut(&a, d->label, 60), d->score, (long long)d->n,
                 d->satisfied_rate * 100, IMPROVEMENT_TARGET_SCORE, IMPROVEMENT_DAYS);
        snprintf(ref, sizeof ref, "survey:%lld:%.30s", (long long)survey_id, d->key);
        improvement_input in = {.project_id = s.project_id, .source = "survey", .source_ref = ref,
                                .title = title, .problem = problem, .metric_kind = "survey_dimension",
                                .metric_key = d->key, .baseline = d->score,
                                .target = IMPROVEMENT_TARGET_SCORE, .has_target = 1,
                                .due_at = now + IMPROVEMENT_DAYS * 86400, .public_ = 1};
        int64_t id;
        rc = improvement_insert(c, who, &in, 0, now, &id, err);
        if (!rc) (*n)++;
    }
    arena_free(&a);
    return rc;
}

int improvement_escalate(db *c, int64_t now, int64_t *n, aj_error *err)
{
    *n = 0;
    arena a;
    arena_init(&a, 8192);
    int64_t ids[200], projects[200];
    const char *titles[200];
    size_t k = 0;
    db_rows *r = db_query(c,
                          "SELECT id, project_id, title FROM improvements WHERE state IN ('draft', 'analysed')"
                          " AND escalated_at IS NULL AND due_at < $1 ORDER BY due_at, id LIMIT 200",
                          DB_ARGS(DB_INT(now)), err);
    int rc = r ? 0 : err->rc;
    while (!rc && db_next(r) && k < 200) {
        ids[k] = db_int(r, 0);
        projects[k] = db_int(r, 1);
        titles[k++] = arena_strcut(&a, arena_strdup(&a, db_text(r, 2)), 120);
    }
    if (r && db_end(r, err)) rc = err->rc;
    actor sys = actor_system("job:improvements");
    for (size_t i = 0; !rc && i < k; i++) {
        if ((rc = db_begin(c, err))) break;
        int64_t ch = db_exec(c,
                             "UPDATE improvements SET escalated_at = $2 WHERE id = $1 AND escalated_at IS NULL"
                             " AND state IN ('draft', 'analysed')",
                             DB_ARGS(DB_INT(ids[i]), DB_INT(now)), err);
        rc = ch < 0 ? err->rc : 0;
        char title[200];
        snprintf(title, sizeof title, "改进计划逾期未批准：%s", titles[i]);
        static const char *const to_roles[] = {"manager", "quality"};
        for (size_t t = 0; !rc && ch && t < 2; t++) {
            int64_t to[NOTIFY_MAX_RECIPIENTS];
            size_t nto = 0;
            rc = notify_recipients(c, projects[i], 0, to_roles[t], to, NOTIFY_MAX_RECIPIENTS, &nto, err);
            for (size_t j = 0; !rc && j < nto; j++)
                rc = notify_create(c, to[j], projects[i], 0, NOTIFY_ESCALATION, title,
                                   "改进计划已到期仍未完成分析和审批，请督办", now, err);
        }
        if (!rc && ch) rc = audit_append(c, &sys, "escalate", "improvement", ids[i], NULL, err);
        if (!rc) rc = db_commit(c, err);
        if (rc) db_rollback(c);
        else if (ch) (*n)++;
    }
    arena_free(&a);
    return rc;
}

int improvement_public(db *c, const char *project_code, arena *a, improvement **items, size_t *n,
                       const char **project_name, int64_t *survey_id, aj_error *err)
{
    *n = 0;
    *survey_id = 0;
    int64_t pid = 0;
    db_rows *r = db_query(c, "SELECT id, name FROM projects WHERE code = $1 AND active = 1",
                          DB_ARGS(DB_TEXT(project_code)), err);
    if (!r) return err->rc;
    if (db_next(r)) {
        pid = db_int(r, 0);
        *project_name = arena_strdup(a, db_text(r, 1));
    }
    if (db_end(r, err)) return err->rc;
    if (!pid) return aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
    int rc = db_scalar(c,
                       "SELECT id FROM surveys WHERE project_id = $1 AND state = 'closed'"
                       " ORDER BY closed_at DESC, id DESC LIMIT 1",
                       DB_ARGS(DB_INT(pid)), survey_id, err);
    if (rc == AJ_ENOTFOUND) *survey_id = 0, rc = 0;
    if (rc) return rc;
    /* the public plans, open ones first, newest first; never a person */
    r = db_query(c,
                 "SELECT id FROM improvements WHERE project_id = $1 AND public = 1 AND state <> 'cancelled'"
                 " ORDER BY CASE WHEN state IN ('effective', 'not_effective') THEN 1 ELSE 0 END, id DESC LIMIT 50",
                 DB_ARGS(DB_INT(pid)), err);
    if (!r) return err->rc;
    int64_t ids[50];
    size_t k = 0;
    while (db_next(r) && k < 50) ids[k++] = db_int(r, 0);
    if (db_end(r, err)) return err->rc;
    *items = arena_alloc(a, sizeof **items * (k ? k : 1));
    for (size_t i = 0; i < k; i++) {
        memset(&(*items)[i], 0, sizeof **items);
        if ((rc = improvement_load(c, ids[i], a, &(*items)[i], err))) return rc;
    }
    *n = k;
    return 0;
}
