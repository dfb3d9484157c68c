/* domain/identity/password_reset.c: staff password resets by one-time code
 * (see password_reset.h): issue, send, complete. */
#include "domain/identity/password_reset.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/identity/password.h"
#include "domain/identity/session.h"
#include "domain/identity/sms.h"

/* The stored form of a code: bound to the user, so a code is good for one account. */
static void password_reset_hash(int64_t user_id, const char *code, char out[65])
{
    char s[48];
    unsigned char h[32];
    snprintf(s, sizeof s, "reset:%lld:%.6s", (long long)user_id, code);
    crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int password_reset_issue(db *c, const actor *who, int64_t user_id, int64_t now, char code[7],
                         aj_error *err)
{
    char hash[65];
    snprintf(code, 7, "%06u", (unsigned)randombytes_uniform(1000000));
    password_reset_hash(user_id, code, hash);
    if (db_exec(c, "DELETE FROM password_resets WHERE user_id = $1", DB_ARGS(DB_INT(user_id)),
                err) < 0 ||
        db_exec(c,
                "INSERT INTO password_resets (user_id, code_hash, attempts, created_by,"
                " created_at, expires_at) VALUES ($1, $2, 0, $3, $4, $5)",
                DB_ARGS(DB_INT(user_id), DB_TEXT(hash), DB_INT(who->id), DB_INT(now),
                        DB_INT(now + PASSWORD_RESET_TTL)),
                err) < 0)
        return err->rc;
    json_t *ch = json_pack("{s:I}", "expires_at", (json_int_t)(now + PASSWORD_RESET_TTL));
    int rc = audit_append(c, who, "password_reset_issue", "user", user_id, ch, err);
    json_decref(ch);
    return rc;
}

int password_reset_send(const char *phone, const char *code, aj_error *err)
{
    return sms_send_code(phone, SMS_RESET_CODE, code, PASSWORD_RESET_TTL / 60, err);
}

/* One failed attempt counted (its own transaction, after the one that read). */
static int password_reset_refuse(db *c, int64_t user_id, aj_error *err)
{
    aj_error e2 = {0};
    if (user_id && db_begin(c, &e2) == 0) {
        if (db_exec(c, "UPDATE password_resets SET attempts = attempts + 1 WHERE user_id = $1",
                    DB_ARGS(DB_INT(user_id)), &e2) < 0 ||
            db_commit(c, &e2))
            db_rollback(c);
    }
    return aj_fail(err, AJ_EAUTH, NULL, "验证码错误或已过期");
}

int password_reset_complete(db *c, const char *username, const char *code,
                            const char *password, const char *ip, aj_error *err)
{
    int64_t now = clock_now(), user_id = 0, attempts = 0, expires = 0;
    if (password_check_rules(password, err)) return err->rc;
    db_rows *r = db_query(c,
                          "SELECT u.id, pr.code_hash, pr.attempts, pr.expires_at FROM users u"
                          " JOIN password_resets pr ON pr.user_id = u.id"
                          " WHERE u.username = $1 AND u.active = 1 AND u.role <> 'resident'",
                          DB_ARGS(DB_TEXT(username)), err);
    if (!r) return err->rc;
    char want[65] = "", got[65];
    if (db_next(r)) {
        user_id = db_int(r, 0);
        snprintf(want, sizeof want, "%s", db_text(r, 1));
        attempts = db_int(r, 2);
        expires = db_int(r, 3);
    }
    if (db_end(r, err)) return err->rc;
    password_reset_hash(user_id, code, got);
    if (!user_id || attempts >= PASSWORD_RESET_ATTEMPTS || expires <= now ||
        sodium_memcmp(want, got, 64) != 0)
        return password_reset_refuse(c, user_id, err);
    /* Hashed outside the write: argon2id takes tens of milliseconds. */
    char hash[PASSWORD_HASH_MAX];
    if (password_hash(password, hash, err)) return err->rc;
    actor owner = {.id = user_id, .ip = ip, .request_id = "password-reset"};
    json_t *ch = json_pack("{s:s}", "method", "code");
    int rc = db_begin(c, err);
    /* The code is spent by the write that uses it: of two requests racing with
     * the same code, one finds the row gone. */
    int64_t spent = rc ? -1
                       : db_exec(c,
                                 "DELETE FROM password_resets WHERE user_id = $1 AND code_hash = $2"
                                 " AND attempts < $3 AND expires_at > $4",
                                 DB_ARGS(DB_INT(user_id), DB_TEXT(got),
                                         DB_INT(PASSWORD_RESET_ATTEMPTS), DB_INT(now)),
                                 err);
    if (!rc && spent < 0) rc = err->rc;
    if (!rc && spent == 0) rc = aj_fail(err, AJ_EAUTH, NULL, "验证码错误或已过期");
    if (!rc && (db_exec(c, "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
                        DB_ARGS(DB_INT(user_id), DB_TEXT(hash), DB_INT(now)), err) < 0 ||
                session_end_user(c, user_id, err) ||
                audit_append(c, &owner, "password_reset", "user", user_id, ch, err) ||
                db_commit(c, err)))
        rc = err->rc ? err->rc : AJ_EDB;
    json_decref(ch);
    sodium_memzero(hash, sizeof hash);
    if (rc && db_writing(c)) db_rollback(c);
    return rc;
}
