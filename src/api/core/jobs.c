/* api/core/jobs.c: HTTP face of scheduled jobs for operators (admin only): each
 * job with its last run, and running one now. */
#include <string.h>

#include "api/core/core_api.h"
#include "api/jv.h"
#include "api/out.h"
#include "base/clock.h"
#include "jobs/scheduler.h"

/* Runs belong to no project: times in the default zone. */
static json_t *jobs_run_json(const job_run *run)
{
    json_t *stats = json_loads(run->stats ? run->stats : "{}", 0, NULL);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "id",
                          (json_int_t)run->id, "name", run->name, "via", run->via, "holder",
                          run->holder, "started_at", out_time(run->started_at, CLOCK_TZ_DEFAULT),
                          "finished_at", out_time(run->finished_at, CLOCK_TZ_DEFAULT), "ok",
                          run->ok < 0 ? json_null() : json_boolean(run->ok), "stats",
                          stats ? stats : json_object(), "error", out_str(run->error));
    return o;
}

static int jobs_admin_or_reply(req *r)
{
    if (actor_require(&r->who, &r->err, ROLE_ADMIN, 0)) {
        reply_error(r);
        return 0;
    }
    return 1;
}

void api_jobs_list(req *r)
{
    job_info *items;
    size_t n;
    if (!jobs_admin_or_reply(r)) return;
    if (scheduler_list(r->db, &r->a, &items, &n, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const job_info *j = &items[i];
        json_t *o = json_pack("{s:s, s:s, s:i}", "name", j->name, "summary", j->summary,
                              "interval_seconds", j->interval);
        json_object_set_new(o, "last_run", j->has_last ? jobs_run_json(&j->last) : json_null());
        json_object_set_new(
            o, "lease",
            j->lease_holder ? json_pack("{s:s, s:o}", "holder", j->lease_holder, "until",
                                        out_time(j->lease_until, CLOCK_TZ_DEFAULT))
                            : json_null());
        json_array_append_new(arr, o);
    }
    reply_json(r, 200, json_pack("{s:o, s:n}", "items", arr, "next_cursor"));
}

void api_jobs_run(req *r)
{
    static const char *const none[] = {NULL};
    const char *name = req_param(r, "name");
    json_t *b;
    job_run run;
    if (!jobs_admin_or_reply(r)) return;
    if (!scheduler_known(name)) return reply_fail(r, AJ_ENOTFOUND, NULL, "任务不存在");
    if (r->body_len || r->too_large) {
        if (!(b = req_json_or_reply(r))) return;
        if (jv_only(b, none, &r->err)) return reply_error(r);
    }
    /* Synchronous: the reply is the finished run. The job runs as of the
     * server's clock; other times are for `anju jobs run --now` (tests, ops). */
    if (scheduler_run(r->db, &r->who, name, "api", clock_now(), &r->a, &run, &r->err))
        return reply_error(r);
    reply_json(r, 200, jobs_run_json(&run));
}
