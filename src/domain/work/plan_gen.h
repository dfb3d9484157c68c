/* domain/work/plan_gen.h: making tasks from plans. Every planned occurrence becomes a
 * task row — on time, late, missed or unassigned — so compliance is done ÷ planned. */
#ifndef AJ_PLAN_GEN_H
#define AJ_PLAN_GEN_H
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

/* At most this many tasks per plan per pass (a dense rule after a long outage catches
 * up over several runs, a minute apart). */
#define PLAN_GEN_MAX 5000
/* At most this many plans per run of the job: the rest are the next minute's. */
#define PLAN_GEN_PLANS 10000
/* Plans filled per transaction by the job: each commit rewrites the index pages it
 * dirtied into the WAL, so fewer commits write less (200 → 1000 plans: 2.2 s → 1.6 s for
 * 6,000 plans beside 10 M tasks); a batch holds the write lock for ~0.3 s. */
#define PLAN_GEN_BATCH 1000

typedef struct plan_gen_stats {
    int64_t plans, tasks, missed, unassigned, alerted; /* alerted: rounds not started */
} plan_gen_stats;

/* The tasks of plan id from where it stands (generated_until) to now + its horizon,
 * inside the caller's write transaction. Idempotent: one task per (plan, start,
 * equipment); an occurrence whose window has already ended is made `missed`. */
int plan_gen_fill(db *c, int64_t plan_id, int64_t now, plan_gen_stats *st, aj_error *err);

/* Removes the plan's tasks that start after now and were not begun (a changed plan makes
 * them again). */
int plan_gen_drop_future(db *c, int64_t plan_id, int64_t now, int64_t *n, aj_error *err);

/* The `plans` job: fills every active plan that is due (refill_at ≤ now), each in its own
 * transaction, then marks tasks whose window ended unfinished `missed` and alerts the
 * rounds not started on time (task_alert_unstarted). */
int plan_gen_run(db *c, int64_t now, plan_gen_stats *st, aj_error *err);

#endif
