/* jobs/scheduler.c: the job registry, runs under a lease row with their record
 * in job_runs, and the scheduler thread of `anju serve`. */
#include "jobs/scheduler.h"

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "domain/core/core.h"
#include "domain/quality/quality.h"
#include "domain/voice/voice.h"
#include "domain/work/work.h"
#include "jobs/sweep.h"

/* A run holds its job's lease at most this long: an instance that dies in
 * the middle of a run keeps the others from the job no longer than this. */
#define SCHEDULER_LEASE 300
/* Runs are kept a month: enough for ops to see a pattern, small to query. */
#define SCHEDULER_KEEP (30 * 86400)
/* The first scheduled run waits a little after start (migrations, warm-up). */
#define SCHEDULER_FIRST_DELAY 10
/* Instances tick at their own phase: a run less than interval minus this ago,
 * on any instance, counts as this interval's. */
#define SCHEDULER_SLACK 5

/* A job: runs as of now on c, writes its counts as a JSON object into *stats
 * and sets *changed when it wrote anything (worth a log line). */
typedef int (*scheduler_fn)(db *c, int64_t now, arena *a, const char **stats, int *changed,
                            aj_error *err);

typedef struct scheduler_job {
    const char *name, *summary;
    int interval;
    scheduler_fn run;
    pthread_mutex_t lock; /* one run per process at a time; the lease covers the others */
    atomic_llong ok, failed, skipped;
} scheduler_job;

static int scheduler_sweep(db *c, int64_t now, arena *a, const char **stats, int *changed,
                           aj_error *err)
{
    sweep_stats st;
    int rc = sweep_run(c, now, &st, err);
    *stats = arena_printf(a,
                          "{\"scanned\":%lld,\"breached\":%lld,\"escalations\":%lld,"
                          "\"notifications\":%lld,\"closed\":%lld,\"resumed\":%lld,"
                          "\"skipped\":%lld,\"errors\":%lld}",
                          (long long)st.scanned, (long long)st.breached,
                          (long long)st.escalations, (long long)st.notifications,
                          (long long)st.closed, (long long)st.resumed, (long long)st.skipped,
                          (long long)st.errors);
    *changed = st.breached || st.escalations || st.closed || st.resumed || st.errors;
    return rc;
}

/* The plan/task engine: tasks ahead for every plan due a refill, then the misses. */
static int scheduler_plans(db *c, int64_t now, arena *a, const char **stats, int *changed,
                           aj_error *err)
{
    plan_gen_stats st;
    int rc = plan_gen_run(c, now, &st, err);
    *stats = arena_printf(a,
                          "{\"plans\":%lld,\"tasks\":%lld,\"missed\":%lld,\"unassigned\":%lld,"
                          "\"alerted\":%lld}",
                          (long long)st.plans, (long long)st.tasks, (long long)st.missed,
                          (long long)st.unassigned, (long long)st.alerted);
    *changed = st.tasks || st.missed || st.alerted;
    return rc;
}

/* The quality loop: overdue rectifications told to the project's managers, once a round;
 * improvement plans not analysed and approved by their due time told to managers and
 * quality, once. */
static int scheduler_rectifications(db *c, int64_t now, arena *a, const char **stats, int *changed,
                                    aj_error *err)
{
    int64_t n = 0, plans = 0;
    int rc = rectification_escalate(c, now, &n, err);
    if (!rc) rc = improvement_escalate(c, now, &plans, err);
    *stats = arena_printf(a, "{\"escalated\":%lld,\"improvements\":%lld}", (long long)n,
                          (long long)plans);
    *changed = n > 0 || plans > 0;
    return rc;
}

static scheduler_job scheduler_jobs[] = {
    {.name = "sweep",
     .summary = "SLA 巡检：标记超时、逐级升级提醒、7 天无异议自动关闭、挂起到期自动恢复",
     .interval = 60,
     .run = scheduler_sweep,
     .lock = PTHREAD_MUTEX_INITIALIZER},
    {.name = "plans",
     .summary = "计划任务：按重复规则提前生成任务（每次一条、不重复），窗口结束未完成的标记为漏检",
     .interval = 60,
     .run = scheduler_plans,
     .lock = PTHREAD_MUTEX_INITIALIZER},
    {.name = "rectifications",
     .summary = "整改督办：超过期限仍未完成的整改单提醒项目经理（每轮一次）；到期仍未批准的改进计划提醒经理和品质",
     .interval = 300,
     .run = scheduler_rectifications,
     .lock = PTHREAD_MUTEX_INITIALIZER},
};
#define SCHEDULER_NJOBS (sizeof scheduler_jobs / sizeof scheduler_jobs[0])

static scheduler_job *scheduler_find(const char *name)
{
    for (size_t i = 0; name && i < SCHEDULER_NJOBS; i++)
        if (!strcmp(scheduler_jobs[i].name, name)) return &scheduler_jobs[i];
    return NULL;
}

int scheduler_known(const char *name) { return scheduler_find(name) != NULL; }

/* Who holds a lease: this process, by host and pid (a restarted server is a
 * new holder). */
static pthread_once_t scheduler_holder_once = PTHREAD_ONCE_INIT;
static char scheduler_holder[128];

static void scheduler_holder_init(void)
{
    char host[64] = "";
    if (gethostname(host, sizeof host - 1)) snprintf(host, sizeof host, "localhost");
    snprintf(scheduler_holder, sizeof scheduler_holder, "%s:%ld:%llx", host, (long)getpid(),
             (unsigned long long)(clock_mono_us() & 0xffffff));
}

static const char *scheduler_me(void)
{
    pthread_once(&scheduler_holder_once, scheduler_holder_init);
    return scheduler_holder;
}

/* Leases and the record of runs use the machine's clock: `now` may be a test's
 * or an operator's other time (anju jobs run --now), leases must not. */
static int64_t scheduler_wall(void) { return (int64_t)time(NULL); }

/* Takes the job's lease and opens its job_runs row, in one transaction. 1:
 * skipped (a scheduled tick that finds the job held, or run this interval). */
static int scheduler_begin(db *c, scheduler_job *j, const char *via, int scheduled,
                           int64_t wall, int64_t *run_id, aj_error *err)
{
    if (db_begin(c, err)) return err->rc;
    /* Free (expired or released) or already ours: one statement, atomic on
     * both backends even when two instances try at the same moment. */
    int64_t got = db_exec(c,
                          "INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, $3)"
                          " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder,"
                          " expires_at = excluded.expires_at WHERE job_leases.expires_at <= $4"
                          " OR job_leases.holder = excluded.holder",
                          DB_ARGS(DB_TEXT(j->name), DB_TEXT(scheduler_me()),
                                  DB_INT(wall + SCHEDULER_LEASE), DB_INT(wall)),
                          err);
    if (got < 0) goto fail;
    if (got == 0) {
        db_rollback(c);
        if (scheduled) return 1;
        return aj_fail(err, AJ_ECONFLICT, NULL, "任务 %s 正在另一实例上运行，请稍后再试", j->name);
    }
    if (scheduled) {
        int64_t last = 0;
        int rc = db_scalar(c,
                           "SELECT started_at FROM job_runs WHERE name = $1"
                           " ORDER BY started_at DESC LIMIT 1",
                           DB_ARGS(DB_TEXT(j->name)), &last, err);
        if (rc && rc != AJ_ENOTFOUND) goto fail;
        if (!rc && wall - last < j->interval - SCHEDULER_SLACK) {
            db_rollback(c); /* the lease too: nothing was taken */
            return 1;
        }
    }
    if (db_scalar(c,
                  "INSERT INTO job_runs (name, holder, via, started_at) VALUES ($1, $2, $3, $4)"
                  " RETURNING id",
                  DB_ARGS(DB_TEXT(j->name), DB_TEXT(scheduler_me()), DB_TEXT(via), DB_INT(wall)),
                  run_id, err) ||
        db_commit(c, err))
        goto fail;
    return 0;
fail:
    if (db_in_tx(c)) db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

/* Records the outcome and releases the lease; audits a run someone asked for. */
static int scheduler_finish(db *c, scheduler_job *j, const actor *who, const job_run *run,
                            int scheduled, aj_error *err)
{
    if (db_begin(c, err)) return err->rc;
    if (db_exec(c,
                "UPDATE job_runs SET finished_at = $2, ok = $3, stats = $4, error = $5"
                " WHERE id = $1",
                DB_ARGS(DB_INT(run->id), DB_INT(run->finished_at), DB_INT(run->ok),
                        DB_TEXT(run->stats), DB_TEXT(run->error)),
                err) < 0 ||
        db_exec(c, "UPDATE job_leases SET expires_at = 0 WHERE name = $1 AND holder = $2",
                DB_ARGS(DB_TEXT(j->name), DB_TEXT(scheduler_me())), err) < 0)
        goto fail;
    if (scheduled && db_exec(c, "DELETE FROM job_runs WHERE name = $1 AND started_at < $2",
                             DB_ARGS(DB_TEXT(j->name), DB_INT(run->started_at - SCHEDULER_KEEP)),
                             err) < 0)
        goto fail;
    if (who && who->id) {
        json_t *stats = json_loads(run->stats, 0, NULL);
        json_t *ch = json_pack("{s:s, s:s, s:b, s:o}", "name", j->name, "via", run->via, "ok",
                               run->ok == 1, "stats", stats ? stats : json_object());
        int rc = audit_append(c, who, "run", "job", run->id, ch, err);
        json_decref(ch);
        if (rc) goto fail;
    }
    if (db_commit(c, err)) goto fail;
    return 0;
fail:
    if (db_in_tx(c)) db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

/* 0: ran (out filled, ok or not); 1: skipped; < 0: could not start. */
static int scheduler_run_job(db *c, scheduler_job *j, const actor *who, const char *via,
                             int64_t now, int scheduled, arena *a, job_run *out, aj_error *err)
{
    if (pthread_mutex_trylock(&j->lock)) {
        if (scheduled) return 1;
        return aj_fail(err, AJ_ECONFLICT, NULL, "任务 %s 正在运行，请稍后再试", j->name);
    }
    int64_t wall = scheduler_wall(), id = 0;
    int rc = scheduler_begin(c, j, via, scheduled, wall, &id, err);
    if (rc) {
        if (rc == 1 || rc == AJ_ECONFLICT) atomic_fetch_add(&j->skipped, 1);
        pthread_mutex_unlock(&j->lock);
        return rc;
    }
    *out = (job_run){.id = id, .name = j->name, .holder = scheduler_me(), .via = via,
                     .started_at = wall, .ok = -1, .now = now};
    const char *stats = NULL;
    int changed = 0;
    aj_error jerr = {0};
    int64_t t0 = clock_mono_us();
    int jrc = j->run(c, now, a, &stats, &changed, &jerr);
    out->finished_at = scheduler_wall();
    out->ok = jrc == 0;
    out->stats = stats ? stats : "{}";
    out->error = jrc ? arena_strdup(a, jerr.message[0] ? jerr.message : "failed") : NULL;
    double ms = (double)(clock_mono_us() - t0) / 1000.0;
    atomic_fetch_add(jrc ? &j->failed : &j->ok, 1);
    if (jrc)
        log_error("job %s failed after %.1f ms: %s", j->name, ms, out->error);
    else if (changed || !scheduled)
        log_info("job %s (%s) done in %.1f ms: %s", j->name, via, ms, out->stats);
    aj_error ferr = {0};
    if (scheduler_finish(c, j, who, out, scheduled, &ferr))
        log_error("job %s: cannot record run %lld: %s", j->name, (long long)id, ferr.message);
    pthread_mutex_unlock(&j->lock);
    return 0;
}

int scheduler_run(db *c, const actor *who, const char *name, const char *via, int64_t now,
                  arena *a, job_run *out, aj_error *err)
{
    scheduler_job *j = scheduler_find(name);
    if (!j) return aj_fail(err, AJ_ENOTFOUND, NULL, "任务 %.40s 不存在", name ? name : "");
    return scheduler_run_job(c, j, who, via, now, 0, a, out, err);
}

int scheduler_list(db *c, arena *a, job_info **items, size_t *n, aj_error *err)
{
    *items = arena_alloc(a, SCHEDULER_NJOBS * sizeof **items);
    *n = 0;
    for (size_t i = 0; i < SCHEDULER_NJOBS; i++) {
        scheduler_job *j = &scheduler_jobs[i];
        job_info *ji = &(*items)[(*n)++];
        *ji = (job_info){.name = j->name, .summary = j->summary, .interval = j->interval};
        db_rows *r = db_query(c,
                              "SELECT id, holder, via, started_at, COALESCE(finished_at, 0),"
                              " COALESCE(ok, -1), stats, error FROM job_runs WHERE name = $1"
                              " ORDER BY started_at DESC, id DESC LIMIT 1",
                              DB_ARGS(DB_TEXT(j->name)), err);
        if (!r) return err->rc;
        if (db_next(r)) {
            ji->has_last = 1;
            ji->last = (job_run){.id = db_int(r, 0),
                                 .name = j->name,
                                 .holder = arena_strdup(a, db_text(r, 1)),
                                 .via = arena_strdup(a, db_text(r, 2)),
                                 .started_at = db_int(r, 3),
                                 .finished_at = db_int(r, 4),
                                 .ok = (int)db_int(r, 5),
                                 .stats = arena_strdup(a, db_text(r, 6)),
                                 .error = db_null(r, 7) ? NULL : arena_strdup(a, db_text(r, 7))};
        }
        if (db_end(r, err)) return err->rc;
        r = db_query(c,
                     "SELECT holder, expires_at FROM job_leases"
                     " WHERE name = $1 AND expires_at > $2",
                     DB_ARGS(DB_TEXT(j->name), DB_INT(scheduler_wall())), err);
        if (!r) return err->rc;
        if (db_next(r)) {
            ji->lease_holder = arena_strdup(a, db_text(r, 0));
            ji->lease_until = db_int(r, 1);
        }
        if (db_end(r, err)) return err->rc;
    }
    return 0;
}

/* ---- the thread ---- */

static pthread_t scheduler_thread;
static int scheduler_started;
static atomic_int scheduler_stopping;
static char scheduler_url[1024];

static void *scheduler_main(void *arg)
{
    (void)arg;
    db *c = NULL;
    int64_t next[SCHEDULER_NJOBS];
    for (size_t i = 0; i < SCHEDULER_NJOBS; i++)
        next[i] = clock_mono_us() + (int64_t)SCHEDULER_FIRST_DELAY * 1000000;
    while (!atomic_load(&scheduler_stopping)) {
        int64_t t = clock_mono_us();
        for (size_t i = 0; i < SCHEDULER_NJOBS && !atomic_load(&scheduler_stopping); i++) {
            if (t < next[i]) continue;
            int64_t step = (int64_t)scheduler_jobs[i].interval * 1000000;
            next[i] = next[i] + step > t ? next[i] + step : t + step;
            aj_error err = {0};
            if (!c && !(c = db_open(scheduler_url, &err))) {
                log_error("scheduler: cannot open the database: %s", err.message);
                continue;
            }
            arena a;
            arena_init(&a, 4096);
            job_run run;
            int rc = scheduler_run_job(c, &scheduler_jobs[i], NULL, "schedule", clock_now(), 1,
                                       &a, &run, &err);
            arena_free(&a);
            if (rc < 0) log_error("scheduler: %s: %s", scheduler_jobs[i].name, err.message);
            /* A broken connection (a restarted PostgreSQL) is opened again next time. */
            if ((rc < 0 || (rc == 0 && !run.ok)) && db_ping(c)) {
                db_close(c);
                c = NULL;
            }
        }
        usleep(200 * 1000);
    }
    db_close(c);
    return NULL;
}

int scheduler_start(const char *db_url)
{
    if (scheduler_started) return 0;
    snprintf(scheduler_url, sizeof scheduler_url, "%s", db_url);
    atomic_store(&scheduler_stopping, 0);
    if (pthread_create(&scheduler_thread, NULL, scheduler_main, NULL)) {
        log_error("scheduler: cannot start its thread");
        return -1;
    }
    scheduler_started = 1;
    log_info("scheduler started: %zu job(s), holder %s", SCHEDULER_NJOBS, scheduler_me());
    return 0;
}

void scheduler_stop(void)
{
    if (!scheduler_started) return;
    atomic_store(&scheduler_stopping, 1);
    pthread_join(scheduler_thread, NULL);
    scheduler_started = 0;
}

void scheduler_metrics(db *c, buf *b)
{
    buf_puts(b, "# HELP anju_job_runs_total Scheduled and manual job runs of this process.\n"
                "# TYPE anju_job_runs_total counter\n");
    for (size_t i = 0; i < SCHEDULER_NJOBS; i++) {
        scheduler_job *j = &scheduler_jobs[i];
        buf_printf(b, "anju_job_runs_total{job=\"%s\",result=\"ok\"} %lld\n", j->name,
                   (long long)atomic_load(&j->ok));
        buf_printf(b, "anju_job_runs_total{job=\"%s\",result=\"error\"} %lld\n", j->name,
                   (long long)atomic_load(&j->failed));
        buf_printf(b, "anju_job_runs_total{job=\"%s\",result=\"skipped\"} %lld\n", j->name,
                   (long long)atomic_load(&j->skipped));
    }
    if (c) sweep_metrics(c, clock_now(), b);
}
