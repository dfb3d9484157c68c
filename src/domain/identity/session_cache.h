/* domain/identity/session_cache.h: sessions this process looked up in the last second,
 * so a burst of requests with one token reads its session row once. */
#ifndef AJ_SESSION_CACHE_H
#define AJ_SESSION_CACHE_H
#include <stdint.h>

#include "domain/core/core.h"
#include "domain/identity/session.h"

/* How long a looked-up session is trusted without reading its row again. A
 * session ended by this process is dropped at once (session_end,
 * session_end_user); one ended by another process (a CLI command, another
 * server on the same PostgreSQL) stops working within this time. */
#define SESSION_CACHE_TTL_US 1000000

/* A stamp to take before reading a session row and hand to session_cache_put:
 * a row read around the time its session was ended is not cached. */
uint64_t session_cache_stamp(void);
/* 1 with who, csrf and expires_at filled if hash was looked up within the TTL. */
int session_cache_get(const char *hash, actor *who, char csrf[SESSION_TOKEN_LEN],
                      int64_t *expires_at);
void session_cache_put(uint64_t stamp, const char *hash, const actor *who, const char *csrf,
                       int64_t expires_at);
void session_cache_drop(const char *hash);
void session_cache_drop_user(int64_t user_id);

#endif
