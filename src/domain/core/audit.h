/* domain/core/audit.h: the append-only audit log: an HMAC-SHA256 chain keyed outside the
 * database, with signed checkpoints of its head in an append-only file beside the key. */
#ifndef AJ_AUDIT_H
#define AJ_AUDIT_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/core/actor.h"

/* Rows appended by this process that make a checkpoint due before its minute is up. */
#define AUDIT_CHECKPOINT_ROWS 256

/* Appends one row inside the caller's transaction. change is borrowed (may be NULL).
 * Makes the keys on first use when they are missing (audit_key_open). */
int audit_append(db *c, const actor *who, const char *action, const char *entity,
                 int64_t entity_id, json_t *change, aj_error *err);

/* Walks the chain and compares it with the checkpoints. Returns 0 when intact;
 * otherwise 1 and describes the first row that was altered or removed, or the
 * truncation point, in *bad_seq and msg. Negative when the log or the key cannot be
 * read (msg says why). Never makes a key. */
int audit_verify(db *c, int64_t *rows, int64_t *bad_seq, char *msg, size_t msgsz);

/* audit_key.c. Where audit.key (the HMAC key), audit.sign (the checkpoints' Ed25519 key)
 * and audit.checkpoints live: config data_dir, "var" until set. Set it before the first
 * audit row of the process (it forgets keys loaded from elsewhere). */
void audit_key_dir(const char *data_dir);
/* Loads the keys, making them (mode 0600) when missing; refuses key files others can
 * read. serve calls it at start, so a bad key stops the start rather than every write. */
int audit_key_open(aj_error *err);
/* Signs the committed head and appends it to audit.checkpoints (O_APPEND, one line),
 * unless it is the head this process wrote last. Never inside a write transaction. */
int audit_checkpoint(db *c, aj_error *err);
/* A URL each new checkpoint line is POSTed to as JSON ({"kind", "line", "public_key"}),
 * after it is in the file; NULL or "" for none. Set before the server starts. */
void audit_checkpoint_webhook(const char *url);
/* audit_checkpoint when one is due: AUDIT_CHECKPOINT_ROWS rows appended since the last,
 * or a minute (now, epoch seconds) since it. 0 when none was due. */
int audit_checkpoint_tick(db *c, int64_t now, aj_error *err);

#endif
