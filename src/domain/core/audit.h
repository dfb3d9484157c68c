/* domain/core/audit.h: the append-only, hash-chained audit log. */
#ifndef AJ_AUDIT_H
#define AJ_AUDIT_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "domain/core/actor.h"

/* Appends one row inside the caller's transaction. change is borrowed (may be NULL). */
int audit_append(db *c, const actor *who, const char *action, const char *entity,
                 int64_t entity_id, json_t *change, aj_error *err);

/* Walks the chain. Returns 0 when intact; otherwise 1 and describes the first
 * row that was altered or removed in *bad_seq and msg. Negative on db error. */
int audit_verify(db *c, int64_t *rows, int64_t *bad_seq, char *msg, size_t msgsz);

#endif
