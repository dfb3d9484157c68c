/* jobs/sweep.h: the SLA sweep job: breaches, escalations, auto-close after
 * the dispute window, holds that reach their time. */
#ifndef AJ_SWEEP_H
#define AJ_SWEEP_H
#include <stdint.h>

#include "base/buf.h"
#include "db/db.h"
#include "domain/tickets/tickets.h"

/* The counts of one run (domain/tickets/ticket_sweep.h). */
typedef ticket_sweep_stats sweep_stats;

/* One run as of `now`: resume due holds, mark breaches and fire escalations,
 * index queued search terms, close resolved tickets past the dispute window
 * (domain/tickets/ticket_sweep.h); on a budget of about 0.8 s, a backlog left
 * to the next minutes. Returns 0, or an error when the database could not be
 * read at all. */
int sweep_run(db *c, int64_t now, sweep_stats *st, aj_error *err);

/* Prometheus lines: open tickets by status and running milestones past due
 * (both from indexes, cheap enough for every scrape), and the milestones this
 * process's sweeps marked breached. */
void sweep_metrics(db *c, int64_t now, buf *b);

#endif
