/* domain/voice/improvement.h: improvement plans (改进计划, PDCA): a problem with the metric
 * that shows it (a survey dimension, a complaint category, a KPI), its baseline and target;
 * plan (analyse: cause and measures), approval by someone other than its author, do
 * (progress on each measure), check (the metric measured again from live data, the
 * verdict), act (not effective: the next cycle). improvement.c holds the plan and its
 * actions, improvement_check.c the re-measure, the plans a closed survey raises and the
 * escalation of plans not approved in time. */
#ifndef AJ_IMPROVEMENT_H
#define AJ_IMPROVEMENT_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/page.h"
#include "db/db.h"
#include "domain/core/core.h"

#define IMPROVEMENT_MAX_MEASURES 20
#define IMPROVEMENT_TARGET_SCORE 85.0  /* a survey dimension under this raises a plan */
#define IMPROVEMENT_DAYS 15            /* ... due this many days after the survey's close */
#define IMPROVEMENT_CHECK_DAYS 30      /* a complaint category is counted this long after the measures */

extern const char *const improvement_sources[];
extern const char *const improvement_states[];

typedef struct improvement_measure {
    int seq; /* 1-based */
    const char *text, *department;
    int64_t owner_id, due_at, done_at;
    int done;
} improvement_measure;

typedef struct improvement_note {
    int64_t id, by_id, at;
    int seq, done; /* seq 0: about the plan */
    const char *note;
} improvement_note;

typedef struct improvement {
    int64_t id, project_id;
    const char *source, *source_ref, *title, *problem, *cause;
    const char *metric_kind, *metric_key; /* survey_dimension | complaint_category | kpi */
    double baseline, target;              /* baseline: NAN when unknown */
    int64_t due_at;
    int public_;
    const char *state, *reject_note, *cancel_reason;
    int64_t cycle_of, next_cycle, created_by, analysed_by, approved_by, approved_at;
    double check_value; /* NAN before the check */
    int64_t checked_by, checked_at, escalated_at, created_at, updated_at;
    int tz_offset;
    improvement_measure *measures;
    size_t nmeasures;
    improvement_note *notes;
    size_t nnotes;
} improvement;

typedef struct improvement_input {
    int64_t project_id;
    const char *source, *source_ref, *title, *problem;
    const char *metric_kind, *metric_key;
    double baseline, target; /* baseline NAN: measured now where it can be */
    int has_target;
    int64_t due_at;
    int public_;
} improvement_input;

typedef struct improvement_measure_input {
    const char *text, *department;
    int64_t owner_id, due_at;
} improvement_measure_input;

/* Staff who see the project read; admin, quality and managers write. 422 with the field:
 * an unknown source or metric kind, title 1–100 bytes, problem 1–2000, metric_key 1–100,
 * no target, a due time in the past; for a complaint category the baseline, when not
 * given, is its complaints in the 30 days before now; for a survey dimension the latest
 * closed survey's score. */
int improvement_create(db *c, const actor *who, const improvement_input *in, arena *a,
                       improvement *out, aj_error *err);
/* The plan with its measures and notes (no scope check: this context's rooms). */
int improvement_load(db *c, int64_t id, arena *a, improvement *out, aj_error *err);
int improvement_get(db *c, const actor *who, int64_t id, arena *a, improvement *out, aj_error *err);
typedef struct improvement_filter {
    int64_t project_id;
    const char *state, *source;
} improvement_filter;
int improvement_list(db *c, const actor *who, const improvement_filter *f, const page_req *pg,
                     arena *a, improvement **items, size_t *n, int *more, aj_error *err);

/* draft -> analysed: the cause (1–2000 bytes) and 1..IMPROVEMENT_MAX_MEASURES measures
 * (text, owner of the project, department, due). */
int improvement_analyse(db *c, const actor *who, int64_t id, const char *cause,
                        const improvement_measure_input *m, size_t n, arena *a, improvement *out,
                        aj_error *err);
/* analysed -> approved by an admin or manager who neither wrote nor analysed it (403). */
int improvement_approve(db *c, const actor *who, int64_t id, arena *a, improvement *out, aj_error *err);
/* analysed -> draft with the note. */
int improvement_reject(db *c, const actor *who, int64_t id, const char *note, arena *a,
                       improvement *out, aj_error *err);
/* A note on measure seq (0: the plan), done marks it; the last measure done: -> checking. */
int improvement_progress(db *c, const actor *who, int64_t id, int seq, const char *note, int done,
                         arena *a, improvement *out, aj_error *err);
/* checking -> effective | not_effective: the metric measured again (improvement_check.c);
 * has_value: the caller's measurement where live data cannot say. 409 while a measure is
 * open. Not effective opens the next cycle (a draft, cycle_of this one). */
int improvement_check(db *c, const actor *who, int64_t id, double value, int has_value, arena *a,
                      improvement *out, aj_error *err);
int improvement_cancel(db *c, const actor *who, int64_t id, const char *reason, arena *a,
                       improvement *out, aj_error *err);

/* ---- improvement_check.c ---- */
/* The metric's value now, from live data: *found 0 when live data cannot say yet. For a
 * survey dimension: its score in the project's latest survey closed after since; for a
 * complaint category: its complaints in the IMPROVEMENT_CHECK_DAYS after since (found once
 * they have passed). */
int improvement_remeasure(db *c, int64_t project_id, const char *kind, const char *key, int64_t since,
                        int64_t now, double *value, int *found, aj_error *err);
/* The plans a closed survey raises: one per dimension under IMPROVEMENT_TARGET_SCORE, due
 * IMPROVEMENT_DAYS after the close, public; in the caller's transaction. *n: how many. */
int improvement_raise_for_survey(db *c, const actor *who, int64_t survey_id, int64_t now,
                                 int64_t *n, aj_error *err);
/* The job: plans still draft or analysed at their due time told to the project's managers
 * and quality, once. *n: how many. */
int improvement_escalate(db *c, int64_t now, int64_t *n, aj_error *err);
/* The inner write of a plan, in the caller's transaction (the survey's plans, the next
 * cycle). */
int improvement_insert(db *c, const actor *who, const improvement_input *in, int64_t cycle_of,
                       int64_t now, int64_t *id, aj_error *err);
/* ---- improvement_hotspot.c: the month's complaint hot spots ---- */
#define IMPROVEMENT_HOTSPOT_MIN 3 /* complaints in the month for a category to be proposed */
typedef struct improvement_hotspot {
    const char *category; /* its path */
    int64_t count;        /* complaints in the month */
    double before;        /* a month's average over the three before */
    double share, cumulative;
    int vital, grew, proposed; /* in the first 80 %; more than before; a plan proposed */
    int64_t plan_id;           /* a plan already under way for it; 0: none */
} improvement_hotspot;
/* Staff who see the project; month "YYYY-MM" at the project (422 on month). */
int improvement_hotspots(db *c, const actor *who, int64_t project_id, const char *month, arena *a,
                         improvement_hotspot **items, size_t *n, aj_error *err);

/* No login: the public plans of the project with this code, and its latest closed survey. */
int improvement_public(db *c, const char *project_code, arena *a, improvement **items, size_t *n,
                       const char **project_name, int64_t *survey_id, aj_error *err);

#endif
