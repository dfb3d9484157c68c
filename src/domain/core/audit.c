/* domain/core/audit.c: every mutation appends who, what, when, from where and the
 * change; each row's hash covers the previous row's hash, so removing or
 * editing any row breaks the chain from that row on. */
#include "domain/core/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"

static void audit_hash(const char *prev, int64_t seq, int64_t at, int64_t actor_id,
                       const char *action, const char *entity, int64_t entity_id,
                       const char *ip, const char *request_id, const char *change,
                       char out[65])
{
    /* Fields are length-prefixed so no two different rows hash the same text. */
    crypto_hash_sha256_state st;
    char num[96];
    const char *parts[] = {prev, action, entity, ip, request_id, change};
    crypto_hash_sha256_init(&st);
    snprintf(num, sizeof num, "%" PRId64 "|%" PRId64 "|%" PRId64 "|%" PRId64 "|", seq, at,
             actor_id, entity_id);
    crypto_hash_sha256_update(&st, (const unsigned char *)num, strlen(num));
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        snprintf(num, sizeof num, "%zu:", strlen(parts[i]));
        crypto_hash_sha256_update(&st, (const unsigned char *)num, strlen(num));
        crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int audit_append(db *c, const actor *who, const char *action, const char *entity,
                 int64_t entity_id, json_t *change, aj_error *err)
{
    /* The UPDATE takes the head row's lock (PostgreSQL) or runs under the
     * write lock (SQLite): concurrent writers queue here and the chain stays a line. */
    db_rows *r = db_query(c, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1"
                             " RETURNING seq, last_hash",
                          DB_NOARGS, err);
    if (!r) return err->rc;
    int64_t seq = 0;
    char prev[65] = "";
    int found = db_next(r);
    if (found) {
        seq = db_int(r, 0);
        snprintf(prev, sizeof prev, "%s", db_text(r, 1));
    }
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_EDB, NULL, "audit head missing");

    char *ch = change ? json_dumps(change, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    const char *chs = ch ? ch : "{}";
    const char *ip = who->ip ? who->ip : "";
    const char *rid = who->request_id ? who->request_id : "";
    int64_t at = clock_now();
    char hash[65];
    audit_hash(prev, seq, at, who->id, action, entity, entity_id, ip, rid, chs, hash);
    int64_t rc = db_exec(c,
                         "INSERT INTO audit_log (seq, at, actor_id, action, entity, entity_id,"
                         " ip, request_id, change, prev_hash, hash)"
                         " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                         DB_ARGS(DB_INT(seq), DB_INT(at), DB_OPT_INT(who->id, who->id),
                                 DB_TEXT(action), DB_TEXT(entity),
                                 DB_OPT_INT(entity_id, entity_id), DB_TEXT(ip), DB_TEXT(rid),
                                 DB_TEXT(chs), DB_TEXT(prev), DB_TEXT(hash)),
                         err);
    free(ch);
    if (rc < 0) return (int)rc;
    rc = db_exec(c, "UPDATE audit_head SET last_hash = $1 WHERE id = 1", DB_ARGS(DB_TEXT(hash)),
                 err);
    return rc < 0 ? (int)rc : 0;
}

int audit_verify(db *c, int64_t *rows, int64_t *bad_seq, char *msg, size_t msgsz)
{
    aj_error err;
    char prev[65] = "";
    int64_t expect = 1;
    *rows = 0;
    *bad_seq = 0;
    db_rows *r = db_query(c,
                          "SELECT seq, at, COALESCE(actor_id, 0), action, entity,"
                          " COALESCE(entity_id, 0), ip, request_id, change, prev_hash, hash"
                          " FROM audit_log ORDER BY seq",
                          DB_NOARGS, &err);
    if (!r) return -1;
    int bad = 0;
    while (!bad && db_next(r)) {
        int64_t seq = db_int(r, 0);
        char h[65];
        if (seq != expect) {
            *bad_seq = expect;
            snprintf(msg, msgsz, "row %" PRId64 " was removed", expect);
            bad = 1;
            break;
        }
        audit_hash(prev, seq, db_int(r, 1), db_int(r, 2), db_text(r, 3), db_text(r, 4),
                   db_int(r, 5), db_text(r, 6), db_text(r, 7), db_text(r, 8), h);
        if (strcmp(db_text(r, 9), prev) != 0 || strcmp(db_text(r, 10), h) != 0) {
            *bad_seq = seq;
            snprintf(msg, msgsz, "row %" PRId64 " was altered", seq);
            bad = 1;
            break;
        }
        memcpy(prev, h, sizeof prev);
        expect++;
        (*rows)++;
    }
    if (bad) {
        db_done(r);
        return 1;
    }
    if (db_end(r, &err)) return -1;
    /* Rows removed from the end show only against the head. */
    r = db_query(c, "SELECT seq, last_hash FROM audit_head WHERE id = 1", DB_NOARGS, &err);
    if (!r) return -1;
    if (db_next(r) && (db_int(r, 0) != expect - 1 || strcmp(db_text(r, 1), prev) != 0)) {
        *bad_seq = expect;
        snprintf(msg, msgsz, "row %" PRId64 " was removed", expect);
        bad = 1;
    }
    if (db_end(r, &err)) return -1;
    if (!bad) snprintf(msg, msgsz, "%" PRId64 " rows intact", *rows);
    return bad;
}
