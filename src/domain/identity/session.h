/* domain/identity/session.h: logins (password or one-time code), throttling, sessions. */
#ifndef AJ_SESSION_H
#define AJ_SESSION_H
#include <stdint.h>

#include "db/db.h"
#include "domain/core/core.h"

#define SESSION_TOKEN_LEN 44 /* base64url of 32 random bytes, plus NUL */

typedef struct session_new {
    char token[SESSION_TOKEN_LEN];
    char csrf[SESSION_TOKEN_LEN];
    int64_t user_id;
    int64_t expires_at;
    int retry_after; /* with AJ_ERATE: seconds until the next attempt may succeed */
} session_new;

/* Password login for staff (username) and residents (phone). AJ_EAUTH on wrong
 * credentials, AJ_ERATE when the user or the address failed too often. */
int session_login(db *c, const char *username, const char *password, const char *ip,
                  session_new *out, aj_error *err);
/* Sends a one-time code by SMS to a registered resident's phone. Unknown
 * phones get the same answer, so the endpoint does not reveal who lives here. */
int session_send_code(db *c, const char *phone, const char *ip, session_new *rate, aj_error *err);
int session_login_code(db *c, const char *phone, const char *code, const char *ip,
                       session_new *out, aj_error *err);

/* Finds the session for a presented token: fills who (id, role, name,
 * resident_id), the CSRF token and the token's hash. AJ_EAUTH when unknown,
 * expired or the user is deactivated. A session looked up within the last
 * second is served from session_cache.c; session_end and session_end_user
 * drop it there at once. */
int session_lookup(db *c, const char *token, actor *who, char csrf[SESSION_TOKEN_LEN],
                   char hash[65], aj_error *err);
/* The actor for a user id (role, resident id), e.g. right after login. */
int session_actor(db *c, int64_t user_id, actor *who, aj_error *err);
int session_end(db *c, const char *hash, aj_error *err);
/* Ends every session of a user (deactivation, password change). */
int session_end_user(db *c, int64_t user_id, aj_error *err);

#endif
