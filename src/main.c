/* main.c: the command table of `anju` (cgit's cmd.c); the commands are in src/cli/. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "cli/cli.h"

#define ANJU_VERSION "0.1.0"

static int main_version(config *cfg, const char **rest, int n)
{
    (void)cfg;
    (void)rest;
    (void)n;
    printf("anju %s\n", ANJU_VERSION);
    return 0;
}

typedef struct main_cmd {
    const char *name;
    cli_cmd_fn *fn;
    const char *usage; /* its words and flags, one line */
    const char *more;  /* NULL, or a second line under it */
} main_cmd;

static const main_cmd main_cmds[] = {
    {"serve", cmd_serve,
     "[--db URL] [--listen 127.0.0.1:8080] [--data DIR] [--threads N] [--quiet]",
     "[--no-jobs] [--dev]   (no scheduler thread; --dev: SMS codes go to the log)"},
    {"migrate", cmd_migrate, "[--db URL]", NULL},
    {"demo", cmd_demo, "[--db URL] [--seed N] [--scale small|medium|large]", NULL},
    {"user", cmd_user,
     "add --username U --role ROLE [--name N] [--department D] [--project CODE]...",
     "(password on stdin)"},
    {"calendar", cmd_calendar, "import FILE [--id N]  (chinese-days JSON or iCalendar .ics)",
     NULL},
    {"backup", cmd_backup, "[--db URL] --out FILE", NULL},
    {"audit", cmd_audit, "verify|checkpoint [--db URL] [--data DIR]", NULL},
    {"jobs", cmd_jobs, "run NAME [--db URL] [--now RFC3339]   (NAME: sweep, plans, rectifications)", NULL},
    {"version", main_version, "", NULL},
};

#define MAIN_NCMDS (sizeof main_cmds / sizeof main_cmds[0])

/* Flags line up in a column after the command names; a sub-command word
 * ("user add") follows its command after one space. */
static void main_usage(void)
{
    int col = 0;
    for (size_t i = 0; i < MAIN_NCMDS; i++)
        if (main_cmds[i].usage[0] == '[' && (int)strlen(main_cmds[i].name) > col)
            col = (int)strlen(main_cmds[i].name);
    fputs("usage:\n", stderr);
    for (size_t i = 0; i < MAIN_NCMDS; i++) {
        const main_cmd *c = &main_cmds[i];
        int w = c->usage[0] == '[' ? col : 0;
        if (!c->usage[0]) fprintf(stderr, "  anju %s\n", c->name);
        else fprintf(stderr, "  anju %-*s %s\n", w, c->name, c->usage);
        if (c->more) fprintf(stderr, "  %*s %s\n", 5 + col, "", c->more);
    }
    fputs("--db takes sqlite:PATH (default sqlite:var/anju.db) or postgresql://...; ANJU_DB too.\n",
          stderr);
}

int main(int argc, char **argv)
{
    config cfg;
    const char *rest[64];
    int n = 64;
    if (sodium_init() < 0) {
        fprintf(stderr, "anju: libsodium failed to start\n");
        return 1;
    }
    if (argc < 2) {
        main_usage();
        return 2;
    }
    if (config_load(&cfg, argc - 1, argv + 1, rest, &n)) return 2;
    const char *name = n > 0 ? rest[0] : "";
    int rc = CLI_USAGE;
    for (size_t i = 0; i < MAIN_NCMDS; i++)
        if (strcmp(name, main_cmds[i].name) == 0) rc = main_cmds[i].fn(&cfg, rest, n);
    if (rc == CLI_USAGE) {
        main_usage();
        return 2;
    }
    return rc;
}
