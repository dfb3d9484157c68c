/* domain/core/audit.c: every mutation appends who, what, when, from where and the
 * change; each row's HMAC-SHA256, keyed by audit.key outside the database, covers the
 * previous row's, so editing or removing a row breaks the chain from there on and
 * nobody without the key can rechain it; signed checkpoints (audit_key.c) show rows
 * removed from the end.
 *
 * Rows written before the key keep their plain SHA-256 ("h1:" marks an HMAC row): they
 * are checked the old way up to the first HMAC row, never rechained, so an upgrade does
 * not rewrite history (nor bless an edit made before it); the first HMAC row covers the
 * last plain hash and the first checkpoint pins it (ASVS 4.0 V7.3.3). */
#include "domain/core/audit.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/core/audit_key.h"

#define AUDIT_H1 "h1:"

/* SHA-256 for rows from before the key, HMAC-SHA256 under it for the others. */
typedef struct audit_md {
    const crypto_auth_hmacsha256_state *key;
    crypto_hash_sha256_state sha;
    crypto_auth_hmacsha256_state mac;
} audit_md;

static void audit_md_put(audit_md *m, const char *p, size_t n)
{
    if (m->key) crypto_auth_hmacsha256_update(&m->mac, (const unsigned char *)p, n);
    else crypto_hash_sha256_update(&m->sha, (const unsigned char *)p, n);
}

/* key NULL: the plain hash of the rows before the key. out holds AUDIT_HASH_MAX. */
static void audit_hash(const crypto_auth_hmacsha256_state *key, const char *prev, int64_t seq, int64_t at,
                       int64_t actor_id, const char *action, const char *entity,
                       int64_t entity_id, const char *ip, const char *request_id,
                       const char *change, char out[AUDIT_HASH_MAX])
{
    /* Fields are length-prefixed so no two different rows hash the same text. */
    audit_md m = {.key = key};
    char num[96];
    const char *parts[] = {prev, action, entity, ip, request_id, change};
    if (key) m.mac = *key;
    else crypto_hash_sha256_init(&m.sha);
    snprintf(num, sizeof num, "%" PRId64 "|%" PRId64 "|%" PRId64 "|%" PRId64 "|", seq, at,
             actor_id, entity_id);
    audit_md_put(&m, num, strlen(num));
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        snprintf(num, sizeof num, "%zu:", strlen(parts[i]));
        audit_md_put(&m, num, strlen(num));
        audit_md_put(&m, parts[i], strlen(parts[i]));
    }
    unsigned char h[crypto_hash_sha256_BYTES];
    if (key) crypto_auth_hmacsha256_final(&m.mac, h);
    else crypto_hash_sha256_final(&m.sha, h);
    size_t off = 0;
    if (key) {
        memcpy(out, AUDIT_H1, sizeof AUDIT_H1 - 1);
        off = sizeof AUDIT_H1 - 1;
    }
    sodium_bin2hex(out + off, AUDIT_HASH_MAX - off, h, sizeof h);
    sodium_memzero(&m, sizeof m);
}

int audit_append(db *c, const actor *who, const char *action, const char *entity,
                 int64_t entity_id, json_t *change, aj_error *err)
{
    const crypto_auth_hmacsha256_state *key = audit_key_hmac(1, err);
    if (!key) return err->rc;
    /* The UPDATE takes the head row's lock (PostgreSQL) or runs under the
     * write lock (SQLite): concurrent writers queue here and the chain stays a line. */
    db_rows *r = db_query(c, "UPDATE audit_head SET seq = seq + 1 WHERE id = 1"
                             " RETURNING seq, last_hash",
                          DB_NOARGS, err);
    if (!r) return err->rc;
    int64_t seq = 0;
    char prev[AUDIT_HASH_MAX] = "";
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
    char hash[AUDIT_HASH_MAX];
    audit_hash(key, prev, seq, at, who->id, action, entity, entity_id, ip, rid, chs, hash);
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
    if (rc < 0) return (int)rc;
    audit_key_count();
    return 0;
}


/* What the walk carries from row to row: the key (read when the first HMAC row needs
 * it) and the next checkpoint not yet compared. */
typedef struct audit_walk {
    const crypto_auth_hmacsha256_state *key;
    audit_cp_reader rd;
    audit_cp cp;
    int have_cp;
    int64_t first_cp, last_cp;
    char *msg;
    size_t msgsz;
} audit_walk;

/* Reads the next checkpoint into w->cp: 0 ok (have_cp says whether there was one),
 * 1 when the file is not this server's checkpoints in order (msg says which line). */
static int audit_walk_next_cp(audit_walk *w)
{
    int rc = audit_cp_next(&w->rd, &w->cp, w->msg, w->msgsz);
    w->have_cp = rc == 1;
    if (rc < 0) return 1;
    if (!w->have_cp) return 0;
    if (w->cp.seq < w->last_cp) {
        snprintf(w->msg, w->msgsz, "checkpoint line %" PRId64 " goes back to row %" PRId64
                 " after row %" PRId64, w->cp.line, w->cp.seq, w->last_cp);
        return 1;
    }
    if (w->first_cp < 0) w->first_cp = w->cp.seq;
    w->last_cp = w->cp.seq;
    return 0;
}

/* Compares every checkpoint of row seq with the row's hash: 1 (msg) on a difference. */
static int audit_walk_cps_at(audit_walk *w, int64_t seq, const char *hash, int64_t *bad_seq)
{
    while (w->have_cp && w->cp.seq == seq) {
        if (strcmp(w->cp.head, hash) != 0) {
            *bad_seq = seq;
            snprintf(w->msg, w->msgsz, "row %" PRId64 " was altered: checkpoint line %" PRId64
                     " says otherwise", seq, w->cp.line);
            return 1;
        }
        if (audit_walk_next_cp(w)) return 1;
    }
    return 0;
}

/* Checks one row against the one before: 0 intact, 1 bad (msg), -1 no key (msg). */
static int audit_walk_row(audit_walk *w, db_rows *r, const char *prev, int seen_h1,
                          char h[AUDIT_HASH_MAX])
{
    int64_t seq = db_int(r, 0);
    const char *stored = db_text(r, 10);
    int h1 = strncmp(stored, AUDIT_H1, sizeof AUDIT_H1 - 1) == 0;
    if (h1 && !w->key) {
        aj_error err = {0};
        if (!(w->key = audit_key_hmac(0, &err))) {
            snprintf(w->msg, w->msgsz, "cannot check the HMAC rows: %s", err.message);
            return -1;
        }
    }
    /* A plain hash after an HMAC row, or after the first checkpoint (made with the
     * key), is a row rewritten by someone without the key. */
    if (!h1 && (seen_h1 || (w->first_cp >= 0 && seq > w->first_cp))) {
        snprintf(w->msg, w->msgsz, "row %" PRId64 " was altered (a plain hash where an HMAC"
                 " belongs)", seq);
        return 1;
    }
    audit_hash(h1 ? w->key : NULL, prev, seq, db_int(r, 1), db_int(r, 2), db_text(r, 3),
               db_text(r, 4), db_int(r, 5), db_text(r, 6), db_text(r, 7), db_text(r, 8), h);
    if (strcmp(db_text(r, 9), prev) != 0 || strcmp(stored, h) != 0) {
        snprintf(w->msg, w->msgsz, "row %" PRId64 " was altered", seq);
        return 1;
    }
    return 0;
}

int audit_verify(db *c, int64_t *rows, int64_t *bad_seq, char *msg, size_t msgsz)
{
    aj_error err;
    char prev[AUDIT_HASH_MAX] = "";
    int64_t expect = 1;
    audit_walk w = {.first_cp = -1, .last_cp = 0, .msg = msg, .msgsz = msgsz};
    *rows = 0;
    *bad_seq = 0;
    *msg = 0;
    if (audit_cp_open(&w.rd, msg, msgsz)) return -1;
    int bad = audit_walk_next_cp(&w) || audit_walk_cps_at(&w, 0, "", bad_seq);
    db_rows *r = bad ? NULL
                     : db_query(c,
                                "SELECT seq, at, COALESCE(actor_id, 0), action, entity,"
                                " COALESCE(entity_id, 0), ip, request_id, change, prev_hash, hash"
                                " FROM audit_log ORDER BY seq",
                                DB_NOARGS, &err);
    if (!bad && !r) {
        audit_cp_close(&w.rd);
        snprintf(msg, msgsz, "cannot read the audit log: %s", err.message);
        return -1;
    }
    int seen_h1 = 0;
    while (!bad && db_next(r)) {
        int64_t seq = db_int(r, 0);
        char h[AUDIT_HASH_MAX];
        if (seq != expect) {
            *bad_seq = expect;
            snprintf(msg, msgsz, "row %" PRId64 " was removed", expect);
            bad = 1;
            break;
        }
        bad = audit_walk_row(&w, r, prev, seen_h1, h);
        if (bad) *bad_seq = seq;
        if (bad || (bad = audit_walk_cps_at(&w, seq, h, bad_seq))) break;
        seen_h1 |= strncmp(h, AUDIT_H1, sizeof AUDIT_H1 - 1) == 0;
        memcpy(prev, h, sizeof prev);
        expect++;
        (*rows)++;
    }
    if (r && bad) db_done(r);
    else if (r && db_end(r, &err)) {
        snprintf(msg, msgsz, "cannot read the audit log: %s", err.message);
        bad = -1;
    }
    if (bad) {
        audit_cp_close(&w.rd);
        return bad;
    }
    /* Rows removed from the end show against the head when it was left as it was... */
    r = db_query(c, "SELECT seq, last_hash FROM audit_head WHERE id = 1", DB_NOARGS, &err);
    if (r && db_next(r) && (db_int(r, 0) != expect - 1 || strcmp(db_text(r, 1), prev) != 0)) {
        *bad_seq = expect;
        snprintf(msg, msgsz, "row %" PRId64 " was removed", expect);
        bad = 1;
    }
    if (!r || db_end(r, &err)) {
        audit_cp_close(&w.rd);
        snprintf(msg, msgsz, "cannot read the audit head: %s", err.message);
        return -1;
    }
    /* ...and against the checkpoints when the head was rewritten to match. */
    while (!bad && w.have_cp) bad = audit_walk_next_cp(&w);
    audit_cp_close(&w.rd);
    if (!bad && w.last_cp > expect - 1) {
        *bad_seq = expect;
        snprintf(msg, msgsz, "rows after %" PRId64 " were removed: the last checkpoint says %" PRId64,
                 expect - 1, w.last_cp);
        bad = 1;
    }
    if (!bad && w.first_cp < 0)
        snprintf(msg, msgsz, "%" PRId64 " rows intact (no checkpoint yet)", *rows);
    else if (!bad)
        snprintf(msg, msgsz, "%" PRId64 " rows intact (last checkpoint at row %" PRId64 ")", *rows,
                 w.last_cp);
    return bad;
}
