/* domain/tickets/ticket_sweep.h: what the SLA sweep does to tickets, step by
 * step; jobs/sweep.c runs the steps once a minute, in order, on one budget. */
#ifndef AJ_TICKET_SWEEP_H
#define AJ_TICKET_SWEEP_H
#include <stdint.h>

#include "db/db.h"

/* A resolved ticket nobody disputed (reopened) closes by itself after this. */
#define TICKET_SWEEP_CLOSE_AFTER (7 * 86400)

typedef struct ticket_sweep_stats {
    int64_t scanned;       /* running milestones looked at */
    int64_t breached;      /* milestones newly marked breached */
    int64_t escalations;   /* escalation steps fired */
    int64_t notifications; /* notifications written for them */
    int64_t closed;        /* resolved tickets closed after the window */
    int64_t resumed;       /* holds resumed at hold_until */
    int64_t skipped;       /* left for a later run (a race with an action, a cap) */
    int64_t errors;        /* tickets that failed (logged; retried next run) */
} ticket_sweep_stats;

/* Each step adds to *st, writes in short transactions of a bounded number of
 * tickets, and takes on no new ticket once clock_mono_us() passes deadline
 * (it still does its first batch or first few actions, so a busy step cannot
 * starve the next): a backlog drains over the following runs, counted in
 * skipped. A ticket that fails is counted in errors, logged and left for the
 * next run. They read only open work (the running-milestone index, partial
 * indexes of 005_jobs), so their cost follows open work, not the archive.
 * Each returns 0, or an error when the database could not be read at all. */

/* Holds whose hold_until has come are resumed (ticket_act "resume" by the system). */
int ticket_sweep_holds(db *c, int64_t now, int64_t deadline, ticket_sweep_stats *st,
                       aj_error *err);
/* Running milestones newly past due are marked breached (an event); due
 * escalation steps fire once each (notifications and an event). */
int ticket_sweep_milestones(db *c, int64_t now, int64_t deadline, ticket_sweep_stats *st,
                            aj_error *err);
/* Tickets resolved before now - TICKET_SWEEP_CLOSE_AFTER are closed, complaints
 * only after their return visit. */
int ticket_sweep_closes(db *c, int64_t now, int64_t deadline, ticket_sweep_stats *st,
                        aj_error *err);

/* Gauges for the metrics page (both from indexes, cheap enough for every
 * scrape): open tickets by status, in the order of ticket_sweep_open, and
 * running milestones past their due time. */
#define TICKET_SWEEP_NOPEN 5
extern const char *const ticket_sweep_open[TICKET_SWEEP_NOPEN];
int ticket_sweep_gauges(db *c, int64_t now, int64_t open[TICKET_SWEEP_NOPEN], int64_t *overdue,
                        aj_error *err);

#endif
