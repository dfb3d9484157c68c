/* jobs/sweep.c: the SLA sweep job, once a minute: the steps of
 * domain/tickets/ticket_sweep.c in order, on one time budget. */
#include "jobs/sweep.h"

#include <stdatomic.h>

#include "base/clock.h"
#include "domain/tickets/tickets.h"

/* A run stops taking on new tickets after this long (it finishes the batch or
 * action at hand): a backlog (a first run over old data, a long outage)
 * drains over the following minutes, never in one long run that would make
 * requests queue behind it. */
#define SWEEP_BUDGET_US 800000

static atomic_llong sweep_breaches_total;

int sweep_run(db *c, int64_t now, sweep_stats *st, aj_error *err)
{
    int64_t deadline = clock_mono_us() + SWEEP_BUDGET_US;
    *st = (sweep_stats){0};
    /* Holds first: a resumed ticket's clocks run again and are swept below. */
    int rc = ticket_sweep_holds(c, now, deadline, st, err);
    if (!rc) rc = ticket_sweep_milestones(c, now, deadline, st, err);
    /* Search terms queued by creates since the last run (or search). */
    if (!rc) rc = ticket_search_catch_up(c, err);
    if (!rc) rc = ticket_sweep_closes(c, now, deadline, st, err);
    atomic_fetch_add(&sweep_breaches_total, (long long)st->breached);
    return rc;
}

void sweep_metrics(db *c, int64_t now, buf *b)
{
    int64_t open[TICKET_SWEEP_NOPEN], overdue;
    aj_error err = {0};
    if (ticket_sweep_gauges(c, now, open, &overdue, &err) == 0) {
        buf_puts(b, "# HELP anju_tickets_open Open work orders by status.\n"
                    "# TYPE anju_tickets_open gauge\n");
        for (int i = 0; i < TICKET_SWEEP_NOPEN; i++)
            buf_printf(b, "anju_tickets_open{status=\"%s\"} %lld\n", ticket_sweep_open[i],
                       (long long)open[i]);
        buf_printf(b,
                   "# HELP anju_sla_breached Running milestones past their due time.\n"
                   "# TYPE anju_sla_breached gauge\nanju_sla_breached %lld\n",
                   (long long)overdue);
    }
    buf_printf(b,
               "# HELP anju_sla_breaches_total Milestones this process's sweeps marked breached.\n"
               "# TYPE anju_sla_breaches_total counter\nanju_sla_breaches_total %lld\n",
               (long long)atomic_load(&sweep_breaches_total));
}
