/* cli/cmd_jobs.c: anju jobs run NAME [--now T]: one run of a scheduled job now, for ops and tests. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "jobs/scheduler.h"

/* --now runs the whole process as of T (the clock's ANJU_FAKE_NOW hook), so
 * what the job does through ticket actions is stamped with T too. Prints the
 * run as JSON; exit 0 ok, 1 failed, 3 when the job is running elsewhere. */
int cmd_jobs(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--now", NULL};
    if (n < 3 || strcmp(rest[1], "run") != 0) return CLI_USAGE;
    if (cli_check_opts(rest, n, 3, opts)) return 2;
    const char *at = cli_opt(rest, n, "--now");
    if (at) {
        int64_t t;
        char v[32];
        if (clock_parse_rfc3339(at, &t) || t <= 0) {
            fprintf(stderr, "anju jobs run: --now takes an RFC 3339 time with an offset\n");
            return 2;
        }
        snprintf(v, sizeof v, "%lld", (long long)t);
        setenv("ANJU_FAKE_NOW", v, 1); /* before anything reads the clock */
    }
    if (!scheduler_known(rest[2])) {
        fprintf(stderr, "anju jobs run: no job named %s (jobs: sweep, plans, rectifications)\n", rest[2]);
        return 2;
    }
    db *c = cli_open(cfg, 1);
    if (!c) return 1;
    arena a;
    arena_init(&a, 4096);
    job_run run;
    aj_error err = {0};
    int rc = scheduler_run(c, NULL, rest[2], "cli", clock_now(), &a, &run, &err), code = 0;
    if (rc) {
        fprintf(stderr, "anju jobs run: %s\n", err.message);
        code = rc == AJ_ECONFLICT ? 3 : 1;
    } else {
        char now[40];
        clock_format(run.now, CLOCK_TZ_DEFAULT, now, sizeof now);
        json_t *stats = json_loads(run.stats, 0, NULL);
        json_t *o = json_pack("{s:I, s:s, s:b, s:s, s:o, s:o}", "id", (json_int_t)run.id, "name",
                              run.name, "ok", run.ok == 1, "now", now, "stats",
                              stats ? stats : json_object(), "error",
                              run.error ? json_string(run.error) : json_null());
        char *text = json_dumps(o, JSON_COMPACT);
        printf("%s\n", text);
        free(text);
        json_decref(o);
        code = run.ok == 1 ? 0 : 1;
    }
    arena_free(&a);
    db_close(c);
    return code;
}
