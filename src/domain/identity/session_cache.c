/* domain/identity/session_cache.c: a small table of recently looked-up sessions.
 *
 * Every authenticated request used to read its session row first; on a
 * short read such as GET /tickets/{id} that was an eighth of the request.
 * Entries live SESSION_CACHE_TTL_US. Ending sessions here drops their entries
 * at once. A lookup running at the same time may still read the ended row
 * (its snapshot began before the ending committed): it must not store it, so
 * a lookup that began before the last drop stores nothing (the stamp), and
 * for a TTL after any drop nothing is stored at all (the ending's
 * transaction may commit some time after its statement). Endings are rare;
 * lookups are every request. */
#include "domain/identity/session_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"

#define SESSION_CACHE_SLOTS 1024

typedef struct session_cached {
    char hash[65]; /* "" when free */
    char csrf[SESSION_TOKEN_LEN];
    int64_t user_id, resident_id;
    actor_role role;
    int64_t expires_at;
    int64_t until_us; /* monotonic */
} session_cached;

static pthread_mutex_t session_cache_mu = PTHREAD_MUTEX_INITIALIZER;
static session_cached session_cache[SESSION_CACHE_SLOTS];
static uint64_t session_cache_gen;
static int64_t session_cache_dropped_us; /* monotonic time of the last drop */

/* The hash is hex of a random token's digest: its first characters spread well. */
static session_cached *session_cache_slot(const char *hash)
{
    unsigned v = 0;
    for (int i = 0; i < 4 && hash[i]; i++) {
        char ch = hash[i];
        v = v * 16 + (unsigned)(ch <= '9' ? ch - '0' : (ch | 0x20) - 'a' + 10);
    }
    return &session_cache[v % SESSION_CACHE_SLOTS];
}

uint64_t session_cache_stamp(void)
{
    pthread_mutex_lock(&session_cache_mu);
    uint64_t g = session_cache_gen;
    pthread_mutex_unlock(&session_cache_mu);
    return g;
}

int session_cache_get(const char *hash, actor *who, char csrf[SESSION_TOKEN_LEN],
                      int64_t *expires_at)
{
    int64_t now = clock_mono_us();
    int hit = 0;
    pthread_mutex_lock(&session_cache_mu);
    session_cached *e = session_cache_slot(hash);
    if (e->hash[0] && e->until_us > now && strcmp(e->hash, hash) == 0) {
        who->id = e->user_id;
        who->role = e->role;
        who->resident_id = e->resident_id;
        memcpy(csrf, e->csrf, SESSION_TOKEN_LEN);
        *expires_at = e->expires_at;
        hit = 1;
    }
    pthread_mutex_unlock(&session_cache_mu);
    return hit;
}

void session_cache_put(uint64_t stamp, const char *hash, const actor *who, const char *csrf,
                       int64_t expires_at)
{
    if (strlen(hash) >= sizeof session_cache[0].hash) return;
    int64_t now = clock_mono_us();
    pthread_mutex_lock(&session_cache_mu);
    if (stamp == session_cache_gen &&
        (!session_cache_dropped_us || now - session_cache_dropped_us > SESSION_CACHE_TTL_US)) {
        session_cached *e = session_cache_slot(hash);
        strcpy(e->hash, hash);
        snprintf(e->csrf, sizeof e->csrf, "%s", csrf);
        e->user_id = who->id;
        e->role = who->role;
        e->resident_id = who->resident_id;
        e->expires_at = expires_at;
        e->until_us = now + SESSION_CACHE_TTL_US;
    }
    pthread_mutex_unlock(&session_cache_mu);
}

void session_cache_drop(const char *hash)
{
    pthread_mutex_lock(&session_cache_mu);
    session_cached *e = session_cache_slot(hash);
    if (strcmp(e->hash, hash) == 0) e->hash[0] = 0;
    session_cache_gen++;
    session_cache_dropped_us = clock_mono_us();
    pthread_mutex_unlock(&session_cache_mu);
}

void session_cache_drop_user(int64_t user_id)
{
    pthread_mutex_lock(&session_cache_mu);
    for (int i = 0; i < SESSION_CACHE_SLOTS; i++)
        if (session_cache[i].hash[0] && session_cache[i].user_id == user_id)
            session_cache[i].hash[0] = 0;
    session_cache_gen++;
    session_cache_dropped_us = clock_mono_us();
    pthread_mutex_unlock(&session_cache_mu);
}
