/* domain/identity/throttle.h: growing delays between attempts per key, counted atomically
 * before the attempt is checked (no sleeping worker, no lockout for everyone). */
#ifndef AJ_THROTTLE_H
#define AJ_THROTTLE_H
#include <stdint.h>

#include "db/db.h"

typedef struct throttle_rule {
    int free;  /* attempts admitted back to back; from the free-th on, each one waits */
    int first; /* seconds after the free-th attempt, doubled after each further one */
    int cap;   /* the longest wait */
} throttle_rule;

/* Failed logins of one account from one address: the 6th within a second is refused
 * (THROTTLE_SLOW = 5), then 1, 2, 4 ... seconds up to 15 minutes. */
extern const throttle_rule throttle_pair;
/* Failed logins from one address, whatever the account: an address is shared (NAT, an
 * office), so it has more room before it waits. */
extern const throttle_rule throttle_address;
/* Failed logins of one account from every address together (ASVS V2.2.1: no more than
 * about 100 an hour): from the 100th on each waits 36 s, doubling up to 15 minutes. */
extern const throttle_rule throttle_account;
/* One-time codes sent to a phone: one a minute. */
extern const throttle_rule throttle_code;

/* Seconds the next attempt waits after n counted ones. */
int throttle_delay(const throttle_rule *rule, int64_t n);

/* Counts one attempt for every key (n of them, each with its rule) in one write, each
 * increment and check in one statement: 0 when admitted; AJ_ERATE with *retry_after when a
 * key must still wait (then nothing is counted); or the database error (the caller refuses:
 * an attempt that cannot be counted is not admitted). Outside a transaction. */
int throttle_claim(db *c, const char *const *keys, const throttle_rule *const *rules, int n,
                   int64_t now, int *retry_after, aj_error *err);

/* The attempt succeeded (inside the caller's transaction): the key's failures are
 * forgotten (throttle_clear) or the attempt is taken back (throttle_return). */
int throttle_clear(db *c, const char *key, aj_error *err);
int throttle_return(db *c, const char *key, aj_error *err);

#endif
