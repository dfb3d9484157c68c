/* cli/cmd_serve.c: anju serve: the first admin, then the HTTP server and the scheduler beside it
 * until SIGTERM or SIGINT. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "base/log.h"
#include "cli/cli.h"
#include "domain/core/core.h"
#include "domain/identity/identity.h"
#include "domain/org/org.h"
#include "http/server.h"
#include "http/sse.h"
#include "jobs/scheduler.h"

/* Set by the signal handler; the only thing it may touch. */
static volatile sig_atomic_t cmd_serve_stop_requested;

static void cmd_serve_on_signal(int sig)
{
    (void)sig;
    cmd_serve_stop_requested = 1;
}

/* The first admin: from ANJU_ADMIN_PASSWORD when no admin exists yet. */
static void cmd_serve_bootstrap_admin(db *c)
{
    aj_error err = {0};
    int64_t n = 0;
    if (staff_count_admins(c, &n, &err) || n > 0) return;
    const char *pw = getenv("ANJU_ADMIN_PASSWORD");
    if (!pw || !*pw) {
        log_info("no admin user yet: set ANJU_ADMIN_PASSWORD and restart, or run "
                 "`anju user add --username admin --role admin` with the password on stdin");
        return;
    }
    actor sys = actor_system("bootstrap");
    staff_input in = {.username = "admin", .password = pw, .name = "系统管理员", .role = "admin",
                      .department = "管理"};
    staff out;
    arena a;
    arena_init(&a, 4096);
    if (staff_create(c, &sys, &in, &a, &out, &err))
        log_error("cannot create admin: %s", err.message);
    else
        log_info("created user admin (role admin)");
    arena_free(&a);
}

/* A signed checkpoint of the audit head when one is due (or now). A failure is logged,
 * not fatal: the rows themselves are still chained under the key. */
static void cmd_serve_checkpoint(db *c, int now)
{
    aj_error err = {0};
    if (!c) return;
    int rc = now ? audit_checkpoint(c, &err) : audit_checkpoint_tick(c, (int64_t)time(NULL), &err);
    if (rc) log_error("audit checkpoint: %s", err.message);
}

/* The SMS channel from the settings; a gateway missing a setting stops the start. */
static int cmd_serve_sms(const config *cfg)
{
    sms_config sc = {.driver = cfg->sms_driver, .endpoint = cfg->sms_endpoint,
                     .key_id = cfg->sms_key_id, .key_secret = cfg->sms_key_secret,
                     .sign = cfg->sms_sign, .template_login = cfg->sms_template,
                     .template_reset = cfg->sms_template_reset, .app_id = cfg->sms_app_id,
                     .region = cfg->sms_region};
    aj_error err = {0};
    if (sms_configure(&sc, &err)) {
        log_error("SMS: %s", err.message);
        return 1;
    }
    if (strcmp(sc.driver, "log") == 0)
        log_info("SMS: the log driver: one-time codes are written to this log (%s)",
                 cfg->dev ? "--dev" : "ANJU_SMS=log");
    else if (strcmp(sc.driver, "none") == 0)
        log_info("SMS: no channel configured (ANJU_SMS=aliyun|tencent): one-time codes cannot "
                 "be sent; --dev writes them to this log");
    else
        log_info("SMS: %s gateway", sc.driver);
    return 0;
}

/* Serves until SIGTERM or SIGINT. The scheduler thread runs beside the server
 * unless disabled (--no-jobs, ANJU_JOBS=0), and stops before it (waiting for a
 * run in progress). */
static int cmd_serve_run(const config *cfg)
{
    struct sigaction act = {0};
    act.sa_handler = cmd_serve_on_signal;
    sigaction(SIGTERM, &act, NULL);
    sigaction(SIGINT, &act, NULL);
    int nroutes;
    const route *routes = api_routes(&nroutes);
    router_use(routes, nroutes); /* http/ matches; the api layer owns the table */
    struct MHD_Daemon *d = server_start(cfg);
    if (!d) return 1;
    sse_subscribe();
    log_info("anju serving http://%s with %d threads, database %s", cfg->listen, cfg->threads,
             strncmp(cfg->db_url, "sqlite:", 7) == 0 ? cfg->db_url : "postgresql");
    if (cfg->jobs) scheduler_start(cfg->db_url);
    db *cp = cli_open(cfg, 0); /* the audit checkpoints' own connection, outside any write */
    while (!cmd_serve_stop_requested) {
        usleep(100 * 1000);
        cmd_serve_checkpoint(cp, 0);
    }
    scheduler_stop();
    server_stop(d);
    cmd_serve_checkpoint(cp, 1); /* the head as the server leaves it */
    if (cp) db_close(cp);
    log_info("stopped");
    return 0;
}

int cmd_serve(config *cfg, const char **rest, int n)
{
    (void)rest;
    if (n != 1) return CLI_USAGE;
    db *c = cli_open(cfg, 1);
    if (!c) return 1;
    aj_error err = {0};
    /* The audit keys before the first write: a key file others can read stops the start. */
    if (audit_key_open(&err)) {
        log_error("audit key: %s", err.message);
        db_close(c);
        return 1;
    }
    audit_checkpoint_webhook(cfg->audit_webhook);
    cmd_serve_bootstrap_admin(c);
    /* The head as found: pins what was there before this run (and the last plain hash of
     * a database from before the key). */
    if (audit_checkpoint(c, &err)) {
        log_error("audit checkpoint: %s", err.message);
        db_close(c);
        return 1;
    }
    db_close(c);
    log_set_quiet(cfg->quiet);
    if (cmd_serve_sms(cfg)) return 1;
    return cmd_serve_run(cfg);
}
