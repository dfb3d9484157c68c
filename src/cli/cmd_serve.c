/* cli/cmd_serve.c: anju serve: the first admin, then the HTTP server until SIGTERM or SIGINT. */
#include <stdlib.h>

#include "base/log.h"
#include "cli/cli.h"
#include "domain/core/core.h"
#include "domain/identity/identity.h"
#include "domain/org/org.h"
#include "http/server.h"

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

int cmd_serve(config *cfg, const char **rest, int n)
{
    (void)rest;
    if (n != 1) return CLI_USAGE;
    db *c = cli_open(cfg, 1);
    if (!c) return 1;
    cmd_serve_bootstrap_admin(c);
    db_close(c);
    log_set_quiet(cfg->quiet);
    sms_set_driver(cfg->sms_driver);
    return server_run(cfg);
}
