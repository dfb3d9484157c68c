/* domain/identity/password_reset.h: a staff password reset (OWASP ASVS 4.0
 * V2.5): started by someone allowed to (org/staff.c decides who), completed
 * only by the owner with a one-time code sent to their own phone. Nobody
 * but the owner or an admin ever types another person's new password. */
#ifndef AJ_PASSWORD_RESET_H
#define AJ_PASSWORD_RESET_H
#include <stdint.h>

#include "db/db.h"
#include "domain/core/core.h"

#define PASSWORD_RESET_TTL (15 * 60) /* a code is good for 15 minutes */
#define PASSWORD_RESET_ATTEMPTS 5    /* wrong codes before the reset is spent */

/* Inside the caller's transaction: a new reset of user_id (any open one is
 * replaced) with a fresh six-digit code; *code receives it (7 bytes) for the
 * caller to send once committed (password_reset_send). Audited as by who. */
int password_reset_issue(db *c, const actor *who, int64_t user_id, int64_t now, char code[7],
                         aj_error *err);
/* The SMS with the code, after the commit. */
int password_reset_send(const char *phone, const char *code, aj_error *err);

/* The owner completes: username and the code they received, the new
 * password (password rules apply). Every session of the user ends. AJ_EAUTH
 * for an unknown user, no open reset, an expired or wrong code (the same
 * answer for each); the reset is spent after PASSWORD_RESET_ATTEMPTS. */
int password_reset_complete(db *c, const char *username, const char *code,
                            const char *password, const char *ip, aj_error *err);

#endif
