/* cli/cli.c: what the commands share: flag lookup and checks, opening the database. */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "domain/calendar/calendar.h"
#include "domain/core/core.h"

const char *cli_opt(const char **rest, int n, const char *name)
{
    for (int i = 0; i + 1 < n; i++)
        if (strcmp(rest[i], name) == 0) return rest[i + 1];
    return NULL;
}

int cli_check_opts(const char **rest, int n, int from, const char *const *allowed)
{
    for (int i = from; i < n; i++) {
        int ok = 0;
        for (const char *const *a = allowed; *a; a++)
            if (strcmp(rest[i], *a) == 0) ok = 1;
        if (!ok || i + 1 >= n) {
            fprintf(stderr, "anju: unexpected argument '%s'\n", rest[i]);
            return -1;
        }
        i++;
    }
    return 0;
}

static void cli_mkdirs_for(const char *url)
{
    /* sqlite:var/anju.db needs var/ */
    if (strncmp(url, "sqlite:", 7) != 0) return;
    char path[1024];
    snprintf(path, sizeof path, "%s", url + 7);
    for (char *p = path + 1; *p; p++) {
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0755);
            *p = '/';
        }
    }
}

db *cli_open(const config *cfg, int migrate)
{
    aj_error err = {0};
    /* Every command that writes audit rows signs them with the data directory's key. */
    audit_key_dir(cfg->data_dir);
    cli_mkdirs_for(cfg->db_url);
    db *c = db_open(cfg->db_url, &err);
    if (!c) {
        fprintf(stderr, "anju: %s\n", err.message);
        return NULL;
    }
    if (migrate && (db_migrate(c, &err) || calendar_seed(c, &err))) {
        fprintf(stderr, "anju: migration failed: %s\n", err.message);
        db_close(c);
        return NULL;
    }
    return c;
}
