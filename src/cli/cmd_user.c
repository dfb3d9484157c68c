/* cli/cmd_user.c: anju user add: a staff account, its password read from stdin. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/core/core.h"
#include "domain/org/org.h"

static int cmd_user_read_password(char *out, size_t n)
{
    if (!fgets(out, (int)n, stdin)) return -1;
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

int cmd_user(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--username", "--role", "--name", "--department",
                                       "--project", "--phone", NULL};
    if (n < 2 || strcmp(rest[1], "add") != 0) return CLI_USAGE;
    if (cli_check_opts(rest, n, 2, opts)) return 2;
    const char *user = cli_opt(rest, n, "--username"), *role = cli_opt(rest, n, "--role");
    if (!user || !role) {
        fprintf(stderr, "anju user add: --username and --role are required\n");
        return 2;
    }
    char pw[256];
    if (cmd_user_read_password(pw, sizeof pw)) {
        fprintf(stderr, "anju user add: give the password on stdin\n");
        return 2;
    }
    db *c = cli_open(cfg, 1);
    if (!c) return 1;
    arena a;
    arena_init(&a, 4096);
    aj_error err = {0};
    int64_t ids[64];
    size_t nids = 0;
    int rc = 0;
    for (int i = 2; i + 1 < n && !rc; i++) {
        if (strcmp(rest[i], "--project") != 0) continue;
        if (nids >= 64 || project_id_by_code(c, rest[i + 1], &ids[nids++], &err)) {
            fprintf(stderr, "anju user add: unknown project %s\n", rest[i + 1]);
            rc = 1;
        }
    }
    actor sys = actor_system("cli");
    const char *name = cli_opt(rest, n, "--name");
    staff_input in = {.username = user, .password = pw, .name = name ? name : user, .role = role,
                      .department = cli_opt(rest, n, "--department"),
                      .phone = cli_opt(rest, n, "--phone"), .project_ids = ids,
                      .nprojects = nids, .has_projects = nids > 0};
    staff out;
    if (!rc && staff_create(c, &sys, &in, &a, &out, &err)) {
        fprintf(stderr, "anju user add: %s%s%s\n", err.message, err.field[0] ? " — field " : "",
                err.field);
        rc = 1;
    }
    if (!rc) printf("created user %s (id %lld, role %s)\n", user, (long long)out.id, role);
    sodium_memzero(pw, sizeof pw);
    arena_free(&a);
    db_close(c);
    return rc;
}
