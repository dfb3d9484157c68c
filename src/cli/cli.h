/* cli/cli.h: the commands of `anju` (one file each, main.c's table) and what they share. */
#ifndef AJ_CLI_H
#define AJ_CLI_H
#include "base/config.h"
#include "db/db.h"

/* Returned by a command whose words are wrong: main prints the usage, exit 2. */
#define CLI_USAGE (-1)

/* A command: rest[0] is its name, rest[1..n-1] its words and flags (config_load
 * has taken the global ones). Returns the exit status, or CLI_USAGE. */
typedef int cli_cmd_fn(config *cfg, const char **rest, int n);

cli_cmd_fn cmd_serve, cmd_migrate, cmd_demo, cmd_user, cmd_calendar, cmd_backup, cmd_audit,
    cmd_jobs;

/* Value of "--name V" among rest[], or NULL. */
const char *cli_opt(const char **rest, int n, const char *name);

/* Every flag in rest[] (from index from) must be one of allowed (NULL-ended)
 * and have a value; -1 after saying which one is not. */
int cli_check_opts(const char **rest, int n, int from, const char *const *allowed);

/* Opens cfg's database (making a SQLite file's folders), with migrate also
 * migrating it and seeding calendar 1. NULL after saying why on stderr. */
db *cli_open(const config *cfg, int migrate);

#endif
