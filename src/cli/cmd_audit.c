/* cli/cmd_audit.c: anju audit verify: checks the audit log's HMAC chain against its key and
 * its signed checkpoints (exit 3 if broken); anju audit checkpoint: signs the head now. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/core/core.h"

static int cmd_audit_checkpoint(db *c)
{
    aj_error err = {0};
    if (audit_checkpoint(c, &err)) {
        fprintf(stderr, "anju audit checkpoint: %s\n", err.message);
        return 1;
    }
    printf("audit log: checkpoint written\n");
    return 0;
}

int cmd_audit(config *cfg, const char **rest, int n)
{
    if (n != 2 || (strcmp(rest[1], "verify") != 0 && strcmp(rest[1], "checkpoint") != 0))
        return CLI_USAGE;
    db *c = cli_open(cfg, 0);
    if (!c) return 1;
    if (strcmp(rest[1], "checkpoint") == 0) {
        int rc = cmd_audit_checkpoint(c);
        db_close(c);
        return rc;
    }
    int64_t rows, bad;
    char msg[256];
    int rc = audit_verify(c, &rows, &bad, msg, sizeof msg);
    db_close(c);
    if (rc < 0) {
        fprintf(stderr, "anju audit verify: %s\n", *msg ? msg : "cannot read the audit log");
        return 1;
    }
    printf("audit log: %s\n", msg);
    return rc ? 3 : 0;
}
