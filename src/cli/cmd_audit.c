/* cli/cmd_audit.c: anju audit verify: checks the audit log's hash chain (exit 3 if broken). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/core/core.h"

int cmd_audit(config *cfg, const char **rest, int n)
{
    if (n < 2 || strcmp(rest[1], "verify") != 0) return CLI_USAGE;
    db *c = cli_open(cfg, 0);
    if (!c) return 1;
    int64_t rows, bad;
    char msg[256];
    int rc = audit_verify(c, &rows, &bad, msg, sizeof msg);
    db_close(c);
    if (rc < 0) {
        fprintf(stderr, "anju audit verify: cannot read the audit log\n");
        return 1;
    }
    printf("audit log: %s\n", msg);
    return rc ? 3 : 0;
}
