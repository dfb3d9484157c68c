/* domain/identity/password.h: argon2id password hashes (libsodium). */
#ifndef AJ_PASSWORD_H
#define AJ_PASSWORD_H
#include <sodium.h>

#include "base/error.h"

#define PASSWORD_HASH_MAX crypto_pwhash_STRBYTES

/* AJ_EINVAL (field "password") unless 8..128 bytes and not common or simple
 * (libpwquality: "12345678", "password", dictionary words, palindromes). */
int password_check_rules(const char *pw, aj_error *err);
int password_hash(const char *pw, char out[PASSWORD_HASH_MAX], aj_error *err);
int password_verify(const char *hash, const char *pw); /* 1 when it matches */
/* Spends the time of one verification, so a missing user is not told apart by timing. */
void password_burn(const char *pw);

#endif
