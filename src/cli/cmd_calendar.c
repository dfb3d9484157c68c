/* cli/cmd_calendar.c: anju calendar import: an official holiday schedule into a calendar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/calendar/calendar.h"
#include "domain/core/core.h"

/* anju calendar import FILE [--id N]: official days into a calendar (default 1). */
int cmd_calendar(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--id", NULL};
    if (n < 3 || strcmp(rest[1], "import") != 0) return CLI_USAGE;
    if (cli_check_opts(rest, n, 3, opts)) return 2;
    const char *ids = cli_opt(rest, n, "--id");
    char *end = NULL;
    long long id = ids ? strtoll(ids, &end, 10) : 1;
    if (id <= 0 || (ids && *end)) {
        fprintf(stderr, "anju calendar import: --id takes a positive number\n");
        return 2;
    }
    FILE *f = fopen(rest[2], "rb");
    if (!f) {
        perror(rest[2]);
        return 1;
    }
    size_t cap = 1 << 16, len = 0;
    char *data = malloc(cap);
    size_t got;
    while (data && (got = fread(data + len, 1, cap - len, f)) > 0) {
        len += got;
        if (len == cap && cap < (64u << 20)) data = realloc(data, cap *= 2);
        else if (len == cap) break;
    }
    fclose(f);
    if (!data) return 1;
    db *c = cli_open(cfg, 1);
    if (!c) {
        free(data);
        return 1;
    }
    actor sys = actor_system("cli");
    aj_error err = {0};
    int imported = 0;
    int rc = calendar_import(c, &sys, id, data, len, &imported, &err);
    free(data);
    db_close(c);
    if (rc) {
        fprintf(stderr, "anju calendar import: %s\n", err.message);
        return 1;
    }
    printf("calendar %lld: imported %d days\n", id, imported);
    return 0;
}
