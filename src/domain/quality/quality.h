/* domain/quality/quality.h: the quality context's public header: the service-standards
 * catalogue (standard.h), rectifications (rectification.h); the three-level inspections to
 * come. Other contexts include this header, never the rooms'. */
#ifndef AJ_QUALITY_CTX_H
#define AJ_QUALITY_CTX_H
#include "domain/quality/rectification.h"
#include "domain/quality/standard.h"

/* ---- a month's figures (quality_stats.c) ---- */

typedef struct quality_score {
    const char *department; /* the inspected department's function; "" when none */
    const char *level;      /* self | cross | spot; "" when none */
    int64_t inspections;
    double average; /* 0–100 */
} quality_score;

typedef struct quality_stats {
    quality_score *scores;
    size_t nscores;
    int64_t raised, open, overdue, passed, passed_first_time; /* rectifications */
} quality_stats;

/* The inspections finished in [from, to) of the project, averaged per inspected department
 * and level, and the rectifications: raised in the span, open and overdue now, passed in
 * the span and of those at the first round. Staff who see the project. */
int quality_stats_get(db *c, const actor *who, int64_t project_id, int64_t from, int64_t to,
                      arena *a, quality_stats *out, aj_error *err);

/* A department's score of the span (部门得分, what the performance work of the KPI issue
 * reads): the mean of its self-check and cross-check averages, a cross-check weighing
 * twice a self-check — another department's eyes count more than one's own; spot checks
 * name no department and are not in it. Computed from the stats' scores (no query): *out
 * one row per inspected department, in the scores' order. */
typedef struct quality_dept_score {
    const char *department; /* function */
    int64_t inspections;    /* self- and cross-checks counted */
    double score;           /* 0–100 */
} quality_dept_score;
size_t quality_stats_departments(const quality_stats *s, arena *a, quality_dept_score **out);

/* The weekly self-check report (部门自查周报): per inspected department, the self-checks
 * due in [from, to) — planned, done, late, missed, still open, the average score of the
 * scored ones, and the findings they raised as rectifications. */
typedef struct quality_selfcheck {
    const char *department; /* function; "" when the plans name none */
    int64_t planned, done, late, missed, open, scored, findings;
    double average; /* -1: none scored */
} quality_selfcheck;
int quality_selfcheck_week(db *c, const actor *who, int64_t project_id, int64_t from, int64_t to,
                           arena *a, quality_selfcheck **rows, size_t *n, aj_error *err);

#endif
