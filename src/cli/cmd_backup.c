/* cli/cmd_backup.c: anju backup: a consistent copy of the database into a file. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_backup(config *cfg, const char **rest, int n)
{
    static const char *const opts[] = {"--out", NULL};
    if (cli_check_opts(rest, n, 1, opts)) return 2;
    const char *out = cli_opt(rest, n, "--out");
    if (!out) {
        fprintf(stderr, "anju backup: --out FILE is required\n");
        return 2;
    }
    db *c = cli_open(cfg, 0);
    if (!c) return 1;
    aj_error err = {0};
    int rc = db_backup(c, cfg->db_url, out, &err);
    db_close(c);
    if (rc) {
        fprintf(stderr, "anju backup: %s\n", err.message);
        return 1;
    }
    printf("backup written to %s\n", out);
    return 0;
}
