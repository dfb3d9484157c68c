/* domain/identity/otp.h: one-time codes sent by SMS (otp_codes): the resident's login
 * code and the phone proof of an anonymous report (a QR label's fault report). A code
 * lives 5 minutes, takes 5 tries, and is stored only as a hash. */
#ifndef AJ_OTP_H
#define AJ_OTP_H
#include <stdint.h>

#include "db/db.h"
#include "domain/core/core.h"

#define OTP_TTL 300
#define OTP_ATTEMPTS 5
#define OTP_KEY 48

/* Counts one send for the throttle key (one a minute): 0 when it may go; AJ_ERATE with
 * *retry_after, or the database error, in words for the user. Outside a transaction. */
int otp_admit(db *c, const char *key, int64_t now, int *retry_after, aj_error *err);

/* Makes a new code for key (the phone for a login code; another purpose's is kept apart)
 * replacing an unused one, and sends it to phone. Outside a transaction; the caller has
 * admitted the sending (otp_admit). */
int otp_issue(db *c, const char *key, const char *phone, int64_t now, aj_error *err);

/* Inside the caller's transaction: *ok = 1 and the code is used up when it matches an
 * unexpired code of key with tries left; else *ok = 0 and the try is counted. */
int otp_take(db *c, const char *key, const char *code, int64_t now, int *ok, aj_error *err);

/* The phone proof of an anonymous action: sends a code for purpose to phone (throttled
 * one a minute per phone: AJ_ERATE with *retry_after), AJ_EINVAL field "phone" for a
 * phone that is not a mainland mobile. */
int otp_proof_send(db *c, const char *purpose, const char *phone, int *retry_after,
                   aj_error *err);
/* Checks and uses up the code (its own transaction, so a wrong try is counted whatever
 * the caller does next): 0 when it proves the phone; AJ_EAUTH field "code" otherwise. */
int otp_proof_check(db *c, const char *purpose, const char *phone, const char *code,
                    aj_error *err);

#endif
