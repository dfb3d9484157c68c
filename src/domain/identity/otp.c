/* domain/identity/otp.c: one-time codes: made, stored as a hash, sent, taken once. */
#include "domain/identity/otp.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/phone.h"
#include "domain/identity/sms.h"
#include "domain/identity/throttle.h"

/* The row's key of a code for purpose: "<purpose>:<phone>" (a login code's is the phone
 * alone), so a code sent for one thing never proves another. */
static void otp_key(const char *purpose, const char *phone, char out[OTP_KEY])
{
    snprintf(out, OTP_KEY, "%.12s:%.30s", purpose, phone);
}

static void otp_hash(const char *key, const char *code, char out[65])
{
    char s[96];
    unsigned char h[32];
    snprintf(s, sizeof s, "%.48s:%.16s", key, code);
    crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int otp_issue(db *c, const char *key, const char *phone, int64_t now, aj_error *err)
{
    char code[8], hash[65];
    snprintf(code, sizeof code, "%06u", randombytes_uniform(1000000));
    otp_hash(key, code, hash);
    if (db_exec(c,
                "INSERT INTO otp_codes (phone, code_hash, attempts, sent_at, expires_at)"
                " VALUES ($1, $2, 0, $3, $4) ON CONFLICT (phone) DO UPDATE SET"
                " code_hash = excluded.code_hash, attempts = 0, sent_at = excluded.sent_at,"
                " expires_at = excluded.expires_at",
                DB_ARGS(DB_TEXT(key), DB_TEXT(hash), DB_INT(now), DB_INT(now + OTP_TTL)),
                err) < 0)
        return err->rc;
    return sms_send_code(phone, SMS_LOGIN_CODE, code, OTP_TTL / 60, err);
}

int otp_take(db *c, const char *key, const char *code, int64_t now, int *ok, aj_error *err)
{
    char hash[65];
    otp_hash(key, code, hash);
    db_rows *r = db_query(c, "SELECT code_hash, attempts, expires_at FROM otp_codes WHERE phone = $1",
                          DB_ARGS(DB_TEXT(key)), err);
    if (!r) return err->rc;
    int have = db_next(r);
    *ok = have && db_int(r, 1) < OTP_ATTEMPTS && db_int(r, 2) > now &&
          sodium_memcmp(db_text(r, 0), hash, 64) == 0;
    if (db_end(r, err)) return err->rc;
    if (*ok)
        return db_exec(c, "DELETE FROM otp_codes WHERE phone = $1", DB_ARGS(DB_TEXT(key)), err) < 0
                   ? err->rc
                   : 0;
    if (have && db_exec(c, "UPDATE otp_codes SET attempts = attempts + 1 WHERE phone = $1",
                        DB_ARGS(DB_TEXT(key)), err) < 0)
        return err->rc;
    return 0;
}

int otp_admit(db *c, const char *key, int64_t now, int *retry_after, aj_error *err)
{
    const char *keys[] = {key};
    const throttle_rule *rules[] = {&throttle_code};
    int rc = throttle_claim(c, keys, rules, 1, now, retry_after, err);
    if (rc == AJ_ERATE)
        return aj_fail(err, AJ_ERATE, NULL, "验证码发送过于频繁，请 %d 秒后再试", *retry_after);
    if (rc) return aj_fail(err, rc == AJ_EBUSY ? AJ_EBUSY : AJ_EDB, NULL,
                           "暂时无法发送验证码，请稍后再试");
    return 0;
}

int otp_proof_send(db *c, const char *purpose, const char *phone, int *retry_after,
                   aj_error *err)
{
    if (!phone_mobile_ok(phone))
        return aj_fail(err, AJ_EINVAL, "phone", "手机号须为 11 位中国大陆手机号");
    char key[OTP_KEY];
    otp_key(purpose, phone, key);
    int64_t now = clock_now();
    if (otp_admit(c, key, now, retry_after, err)) return err->rc;
    return otp_issue(c, key, phone, now, err);
}

int otp_proof_check(db *c, const char *purpose, const char *phone, const char *code,
                    aj_error *err)
{
    if (!phone_mobile_ok(phone))
        return aj_fail(err, AJ_EINVAL, "phone", "手机号须为 11 位中国大陆手机号");
    char key[OTP_KEY];
    otp_key(purpose, phone, key);
    int ok;
    if (db_begin(c, err)) return err->rc;
    if (otp_take(c, key, code, clock_now(), &ok, err)) {
        db_rollback(c);
        return err->rc;
    }
    if (db_commit(c, err)) return err->rc;
    return ok ? 0 : aj_fail(err, AJ_EAUTH, "code", "验证码错误或已过期");
}
