/* domain/identity/throttle.c: attempts per key with growing delays (see throttle.h), in
 * login_failures. OWASP ASVS 4.0 V2.2.1: anti-automation by ever increasing delays, never a
 * lockout an attacker can use against the account's owner. */
#include "domain/identity/throttle.h"

#include <sodium.h>

#define THROTTLE_SLOW 5       /* from the 5th failure of a pair on, the next one waits */
#define THROTTLE_SLOW_ADDR 20 /* from the 20th of an address */
#define THROTTLE_CAP 900      /* 15 minutes */
#define THROTTLE_ACCOUNT 100  /* failures of one account from all addresses before each waits */
#define THROTTLE_FORGET 3600  /* a key quiet for an hour starts again from zero */
#define THROTTLE_SWEEP 64     /* about one admitted attempt in 64 sweeps forgotten keys */

const throttle_rule throttle_pair = {THROTTLE_SLOW, 1, THROTTLE_CAP};
const throttle_rule throttle_address = {THROTTLE_SLOW_ADDR, 1, THROTTLE_CAP};
const throttle_rule throttle_code = {1, 60, 60};
const throttle_rule throttle_account = {THROTTLE_ACCOUNT, 36, THROTTLE_CAP};

int throttle_delay(const throttle_rule *rule, int64_t n)
{
    if (n < rule->free) return 0;
    int64_t d = rule->first;
    for (int64_t i = rule->free; i < n && d < rule->cap; i++) d *= 2;
    return d < rule->cap ? (int)d : rule->cap;
}

/* One key: 1 admitted (its new count in *count), 0 refused (*retry_after set), or an error.
 * The upsert's WHERE is the check: a key still waiting is not updated and returns no row,
 * so two racing attempts cannot both pass one check (the row is locked by the first). */
static int throttle_one(db *c, const char *key, int64_t now, int64_t *count, int *retry_after,
                        aj_error *err)
{
    db_rows *r = db_query(c,
            "INSERT INTO login_failures (key, count, first_at, last_at, next_at)"
            " VALUES ($1, 1, $2, $2, $2) ON CONFLICT (key) DO UPDATE SET"
            " count = CASE WHEN login_failures.last_at <= $3 THEN 1"
            "              ELSE login_failures.count + 1 END,"
            " first_at = CASE WHEN login_failures.last_at <= $3 THEN $2"
            "                 ELSE login_failures.first_at END,"
            " last_at = $2"
            " WHERE login_failures.next_at <= $2 OR login_failures.last_at <= $3"
            " RETURNING count",
            DB_ARGS(DB_TEXT(key), DB_INT(now), DB_INT(now - THROTTLE_FORGET)), err);
    if (!r) return err->rc;
    int admitted = db_next(r);
    if (admitted) *count = db_int(r, 0);
    if (db_end(r, err)) return err->rc;
    if (admitted) return 1;
    int64_t next = now + 1;
    int rc = db_scalar(c, "SELECT next_at FROM login_failures WHERE key = $1",
                       DB_ARGS(DB_TEXT(key)), &next, err);
    if (rc && rc != AJ_ENOTFOUND) return rc; /* gone: swept meanwhile, try in a second */
    *retry_after = next - now > 1 ? (int)(next - now) : 1;
    return 0;
}

int throttle_claim(db *c, const char *const *keys, const throttle_rule *const *rules, int n,
                   int64_t now, int *retry_after, aj_error *err)
{
    if (db_begin(c, err)) return err->rc;
    int rc = 0;
    for (int i = 0; i < n && !rc; i++) {
        int64_t count = 0;
        int ok = throttle_one(c, keys[i], now, &count, retry_after, err);
        if (ok < 0) rc = ok;
        else if (ok == 0) rc = AJ_ERATE;
        else {
            int d = throttle_delay(rules[i], count);
            if (d && db_exec(c, "UPDATE login_failures SET next_at = $2 WHERE key = $1",
                             DB_ARGS(DB_TEXT(keys[i]), DB_INT(now + d)), err) < 0)
                rc = err->rc;
        }
    }
    /* Keys of addresses and phones an attacker made up would pile up: forget the quiet ones. */
    if (!rc && randombytes_uniform(THROTTLE_SWEEP) == 0 &&
        db_exec(c, "DELETE FROM login_failures WHERE last_at <= $1 AND next_at <= $2",
                DB_ARGS(DB_INT(now - THROTTLE_FORGET), DB_INT(now)), err) < 0)
        rc = err->rc;
    if (rc) {
        db_rollback(c); /* a refused attempt counts for nothing */
        return rc;
    }
    return db_commit(c, err);
}

int throttle_clear(db *c, const char *key, aj_error *err)
{
    return db_exec(c, "DELETE FROM login_failures WHERE key = $1", DB_ARGS(DB_TEXT(key)), err) < 0
               ? err->rc
               : 0;
}

int throttle_return(db *c, const char *key, aj_error *err)
{
    return db_exec(c, "UPDATE login_failures SET count = count - 1 WHERE key = $1 AND count > 0",
                   DB_ARGS(DB_TEXT(key)), err) < 0
               ? err->rc
               : 0;
}
