/* domain/core/audit_key.h: the audit log's secrets and checkpoint file, as the chain
 * (audit.c) uses them (internal to core; the public part is in audit.h). */
#ifndef AJ_AUDIT_KEY_H
#define AJ_AUDIT_KEY_H
#include <stddef.h>
#include <stdint.h>
#include <sodium.h>
#include <stdio.h>

#include "base/error.h"

#define AUDIT_KEY_BYTES 32
/* "h1:" and 64 hex digits, or a row from before the key: 64 hex digits. */
#define AUDIT_HASH_MAX 72

/* The HMAC state keyed by audit.key (copy it, then update and finish the copy), loaded
 * (and with create, made when missing) on first use. NULL when it cannot be: err says
 * why (AJ_ENOTFOUND: no key file and create off). */
const crypto_auth_hmacsha256_state *audit_key_hmac(int create, aj_error *err);

/* A row was appended (in some transaction): counts towards the next checkpoint. */
void audit_key_count(void);

/* One checkpoint line of data_dir/audit.checkpoints, read back. */
typedef struct audit_cp {
    int64_t seq, at;
    char head[AUDIT_HASH_MAX];
    int64_t line;
} audit_cp;

typedef struct audit_cp_reader {
    FILE *f;
    int64_t line;
    unsigned char pk[32];
} audit_cp_reader;

/* Opens the checkpoint file for reading. 0 (r->f NULL when there is none yet),
 * or AJ_ENOTFOUND / AJ_EDB with msg saying why (no signing key, unreadable). */
int audit_cp_open(audit_cp_reader *r, char *msg, size_t msgsz);
/* The next checkpoint: 1 and *cp, 0 at the end, -1 when a line is not one of this
 * server's signed checkpoints (msg says which). A last line without its newline (a
 * write cut short by a crash) ends the file. */
int audit_cp_next(audit_cp_reader *r, audit_cp *cp, char *msg, size_t msgsz);
void audit_cp_close(audit_cp_reader *r);

#endif
