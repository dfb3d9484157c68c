/* cli/cmd_migrate.c: anju migrate: brings the schema up to date and prints its version. */
#include <stdio.h>

#include "cli/cli.h"

int cmd_migrate(config *cfg, const char **rest, int n)
{
    (void)rest;
    if (n != 1) return CLI_USAGE;
    db *c = cli_open(cfg, 1);
    if (!c) return 1;
    printf("schema version %d\n", db_schema_version(c));
    db_close(c);
    return 0;
}
