/* jobs/sweep.h: the SLA sweep job: breaches, escalations, auto-close after
 * the dispute window, holds that reach their time. */
#ifndef AJ_SWEEP_H
#define AJ_SWEEP_H
#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"

/* A resolved ticket nobody disputed (reopened) closes by itself after this. */
#define SWEEP_CLOSE_AFTER (7 * 86400)

typedef struct sweep_stats {
    int64_t scanned;       /* running milestones looked at */
    int64_t breached;      /* milestones newly marked breached */
    int64_t escalations;   /* escalation steps fired */
    int64_t notifications; /* notifications written for them */
    int64_t closed;        /* resolved tickets closed after the window */
    int64_t resumed;       /* holds resumed at hold_until */
    int64_t skipped;       /* left for a later run (a race with an action, a cap) */
    int64_t errors;        /* tickets that failed (logged; retried next run) */
} sweep_stats;

/* One run as of `now`. Each step writes in short transactions of a bounded
 * number of tickets, so requests wait for a sweep only briefly; a run takes
 * on no new work after about 0.8 s, leaving a backlog (counted in skipped) to
 * the next minutes; a ticket that fails is counted in errors and left for the
 * next run. Reads only running
 * milestones (the ticket_sla_running index), resolved tickets past the
 * window and holds past their time (partial indexes of 005_jobs): the cost
 * follows open work, not the size of the archive. Returns 0, or an error when
 * the database could not be read at all. */
int sweep_run(db *c, int64_t now, sweep_stats *st, aj_error *err);

/* Prometheus lines: open tickets by status and running milestones past due
 * (both from indexes, cheap enough for every scrape), and the milestones this
 * process's sweeps marked breached. */
void sweep_metrics(db *c, int64_t now, buf *b);

#endif
