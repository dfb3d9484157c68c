/* jobs/scheduler.h: scheduled jobs: the registry, one run under a lease (so
 * that of several servers sharing one PostgreSQL only one runs a job at a
 * time), the record of runs, and the thread that runs each job every minute. */
#ifndef AJ_SCHEDULER_H
#define AJ_SCHEDULER_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "db/db.h"
#include "domain/core/core.h"

/* One run as job_runs keeps it. */
typedef struct job_run {
    int64_t id;
    const char *name, *holder, *via; /* via: schedule, api or cli */
    int64_t started_at, finished_at; /* finished_at 0: still running */
    int ok;                          /* -1 running, 0 failed, 1 ok */
    const char *stats;               /* JSON object text */
    const char *error;               /* NULL unless it failed */
    int64_t now;                     /* the time the job ran as (runs: this call's) */
} job_run;

/* A job with its last run and its lease. */
typedef struct job_info {
    const char *name, *summary;
    int interval; /* seconds */
    int has_last;
    job_run last;
    const char *lease_holder; /* NULL: nobody holds it now */
    int64_t lease_until;
} job_info;

/* 1 when name is a job. */
int scheduler_known(const char *name);

/* Runs job `name` now, as of `now` (what the job treats as the current time),
 * synchronously, on c. who (NULL for the scheduler) is audited as the one who
 * asked. AJ_ENOTFOUND for an unknown job; AJ_ECONFLICT while the job runs,
 * in this process or on another instance (its lease). A run that starts is
 * recorded in job_runs and returned in *out, failed or not. */
int scheduler_run(db *c, const actor *who, const char *name, const char *via, int64_t now,
                  arena *a, job_run *out, aj_error *err);

/* Every job with its last run (any instance) and current lease. */
int scheduler_list(db *c, arena *a, job_info **items, size_t *n, aj_error *err);

/* The thread: every job once a minute (across instances: a job that ran less
 * than a minute ago anywhere is skipped). Opens its own connection to db_url.
 * start returns -1 if the thread cannot start; stop waits for a run in
 * progress to end. Both are no-ops when repeated. */
int scheduler_start(const char *db_url);
void scheduler_stop(void);

/* Prometheus lines: runs of each job by this process (ok, error, skipped
 * because another instance had it) and the sweep's gauges. */
void scheduler_metrics(db *c, buf *b);

#endif
