/* cli/cmd_calendar.c: anju calendar import: an official holiday schedule into a calendar. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "domain/calendar/calendar.h"
#include "domain/core/core.h"

/* The largest file import takes. A year's schedule is a few KiB (chinese-days
 * for 2004-2026 is 37 KiB); this only keeps a wrong file from filling memory. */
#define CMD_CALENDAR_MAX (64u << 20)

static int cmd_calendar_too_big(const char *path)
{
    fprintf(stderr, "anju calendar import: %s is over the %u MiB limit; nothing imported\n",
            path, CMD_CALENDAR_MAX >> 20);
    return -1;
}

/* All of path into *out (malloc'd, *len bytes), refusing more than
 * CMD_CALENDAR_MAX bytes. Regular files are sized by fstat; anything else
 * (a pipe, /dev/stdin) is read until one byte past the limit at most.
 * -1 after saying why on stderr. */
static int cmd_calendar_read(const char *path, char **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
        if ((unsigned long long)st.st_size > CMD_CALENDAR_MAX) {
            fclose(f);
            return cmd_calendar_too_big(path);
        }
        /* one byte more, so that the end is seen without growing */
        if ((size_t)st.st_size + 1 > cap) cap = (size_t)st.st_size + 1;
    }
    char *data = malloc(cap);
    int rc = data ? 0 : -1;
    while (!rc && n <= CMD_CALENDAR_MAX) {
        if (n == cap) {
            size_t grown = cap * 2 > CMD_CALENDAR_MAX + 1 ? CMD_CALENDAR_MAX + 1 : cap * 2;
            char *p = realloc(data, grown);
            if (!p) {
                rc = -1;
                break;
            }
            data = p;
            cap = grown;
        }
        size_t want = cap - n, got = fread(data + n, 1, want, f);
        n += got;
        if (got < want) break; /* the end, or an error */
    }
    if (rc) fprintf(stderr, "anju calendar import: out of memory reading %s\n", path);
    else if (ferror(f)) {
        perror(path);
        rc = -1;
    } else if (n > CMD_CALENDAR_MAX) rc = cmd_calendar_too_big(path);
    fclose(f);
    if (rc) {
        free(data);
        return -1;
    }
    *out = data;
    *len = n;
    return 0;
}

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
    char *data;
    size_t len;
    if (cmd_calendar_read(rest[2], &data, &len)) return 1;
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
