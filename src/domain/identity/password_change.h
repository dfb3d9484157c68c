/* domain/identity/password_change.h: anyone logged in changes their own
 * password (OWASP ASVS 4.0 V2.1.5, V2.1.6: the current password is required;
 * V3.3.3: the user's other sessions end). */
#ifndef AJ_PASSWORD_CHANGE_H
#define AJ_PASSWORD_CHANGE_H
#include "db/db.h"
#include "domain/core/core.h"

/* who's password from old to password. keep_hash is the hash of the session
 * making the change, which stays; every other session of the user ends.
 * AJ_EINVAL with field old_password when it is wrong (counted by the login
 * throttle as a failure of the account from who->ip), field password when the
 * new one breaks the rules or equals the old; AJ_ERATE with *retry_after
 * (seconds) while the throttle holds the account back. */
int password_change(db *c, const actor *who, const char *keep_hash, const char *old,
                    const char *password, int *retry_after, aj_error *err);

#endif
