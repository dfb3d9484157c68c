/* domain/identity/session.c: logins (throttled by throttle.c), one-time codes, sessions.
 * Tokens are random; only their hashes are stored. */
#include "domain/identity/session.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"
#include "domain/identity/password.h"
#include "domain/identity/session_cache.h"
#include "domain/identity/otp.h"
#include "domain/identity/throttle.h"

#define SESSION_TTL_STAFF (12 * 3600)
#define SESSION_TTL_RESIDENT (30 * 86400)

static void session_random_token(char out[SESSION_TOKEN_LEN])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, SESSION_TOKEN_LEN, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void session_hash(const char *s, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

#define SESSION_KEY 240

/* The throttle's keys of a login: the (account, address) pair and the address. An
 * address holds no '|', so "a:<address>|u:<name>" cannot be forged by a name. */
static void session_keys(const char *kind, const char *name, const char *ip,
                         char pair[SESSION_KEY], char addr[80])
{
    snprintf(pair, SESSION_KEY, "a:%.70s|%s:%.150s", ip, kind, name);
    snprintf(addr, 80, "a:%.70s", ip);
}

/* Counts the attempt for its pair and its address before anything is checked, so the
 * count cannot be raced past, and a refused attempt costs no argon2id and holds no worker
 * (it is answered 429 with Retry-After at once, never slept on). When the count cannot be
 * written the answer is that error (500, or 503 when the database is busy): an attempt that
 * is not counted is not tried (fail closed). */
/* The account's own key, whatever the address: "n:" and the pair's "kind:name" part. */
static void session_account_key(const char *pair, char out[SESSION_KEY])
{
    const char *bar = strchr(pair, '|');
    snprintf(out, SESSION_KEY, "n:%.160s", bar ? bar + 1 : pair);
}

static int session_admit(db *c, const char *pair, const char *addr, int64_t now,
                         session_new *out, const char *busy, aj_error *err)
{
    char account[SESSION_KEY];
    session_account_key(pair, account);
    /* ASVS V2.2.1's cap: past 100 failures of one account from anywhere, every further
     * try waits, so many addresses cannot guess faster than that. */
    const char *keys[] = {pair, addr, account};
    const throttle_rule *rules[] = {&throttle_pair, &throttle_address, &throttle_account};
    int rc = throttle_claim(c, keys, rules, 3, now, &out->retry_after, err);
    if (rc == AJ_ERATE)
        return aj_fail(err, AJ_ERATE, NULL, "%s，请 %d 秒后再试", busy, out->retry_after);
    if (rc) return aj_fail(err, rc == AJ_EBUSY ? AJ_EBUSY : AJ_EDB, NULL,
                           "暂时无法登录，请稍后再试");
    return 0;
}

static int session_create(db *c, int64_t user_id, int resident, const char *ip,
                          session_new *out, aj_error *err)
{
    actor who = {0};
    if (session_actor(c, user_id, &who, err)) return err->rc;
    char hash[65];
    int64_t now = clock_now();
    session_random_token(out->token);
    session_random_token(out->csrf);
    session_hash(out->token, hash);
    out->user_id = user_id;
    out->expires_at = now + (resident ? SESSION_TTL_RESIDENT : SESSION_TTL_STAFF);
    /* expired sessions of this user are swept here, where we write anyway */
    if (db_exec(c, "DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2",
                DB_ARGS(DB_INT(user_id), DB_INT(now)), err) < 0)
        return err->rc;
    if (db_exec(c,
                "INSERT INTO sessions (token_hash, csrf_token, user_id, role, resident_id, ip,"
                " created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                DB_ARGS(DB_TEXT(hash), DB_TEXT(out->csrf), DB_INT(user_id),
                        DB_TEXT(actor_role_name(who.role)), DB_INT(who.resident_id), DB_TEXT(ip),
                        DB_INT(now), DB_INT(out->expires_at)),
                err) < 0)
        return err->rc;
    return 0;
}

/* A login that passed: the pair's failures are forgotten and the address gets its attempt
 * back (a success is not a failure of the address; its own failures stay counted). */
static int session_succeed(db *c, int64_t user_id, int resident, const char *pair,
                           const char *addr, const char *ip, const char *how, session_new *out,
                           aj_error *err)
{
    if (db_begin(c, err)) return err->rc;
    char account[SESSION_KEY];
    session_account_key(pair, account);
    if (throttle_clear(c, pair, err) || throttle_return(c, addr, err) ||
        throttle_clear(c, account, err))
        goto fail;
    if (session_create(c, user_id, resident, ip, out, err)) goto fail;
    actor who = {.id = user_id, .ip = ip};
    json_t *ch = json_pack("{s:s}", "method", how);
    int rc = audit_append(c, &who, "login", "user", user_id, ch, err);
    json_decref(ch);
    if (rc) goto fail;
    return db_commit(c, err);
fail:
    db_rollback(c);
    return err->rc;
}

int session_login(db *c, const char *username, const char *password, const char *ip,
                  session_new *out, aj_error *err)
{
    char pair[SESSION_KEY], addr[80];
    session_keys("u", username, ip, pair, addr);
    if (session_admit(c, pair, addr, clock_now(), out, "登录尝试过于频繁", err)) return err->rc;

    db_rows *r = db_query(c,
                          "SELECT id, password_hash, role, active FROM users WHERE username = $1",
                          DB_ARGS(DB_TEXT(username)), err);
    if (!r) return err->rc;
    int ok = 0, resident = 0;
    int64_t uid = 0;
    const char *hash = NULL;
    if (db_next(r)) {
        uid = db_int(r, 0);
        resident = strcmp(db_text(r, 2), "resident") == 0;
        hash = db_null(r, 1) ? NULL : db_text(r, 1);
        if (hash && *hash) ok = password_verify(hash, password) && db_int(r, 3);
    }
    /* An unknown name, or a resident who has no password yet, costs one argon2id
     * verify like any other wrong login: no telling who exists by timing (OWASP
     * Authentication Cheat Sheet, "authentication and error messages"). */
    if (!hash || !*hash) password_burn(password);
    if (db_end(r, err)) return err->rc;
    if (!ok) return aj_fail(err, AJ_EAUTH, NULL, "用户名或密码错误");
    return session_succeed(c, uid, resident, pair, addr, ip, "password", out, err);
}

int session_send_code(db *c, const char *phone, const char *ip, session_new *rate, aj_error *err)
{
    (void)ip;
    int64_t now = clock_now(), v;
    /* Counted per phone whether or not anyone lives there: a registered phone and an
     * unknown one get the same answers in the same order (204, then 429 for a minute). */
    char key[40];
    snprintf(key, sizeof key, "p:%.30s", phone);
    if (otp_admit(c, key, now, &rate->retry_after, err)) return err->rc;
    int rc = db_scalar(c,
                       "SELECT r.id FROM residents r JOIN users u ON u.id = r.user_id"
                       " WHERE r.phone = $1 AND r.active = 1 AND u.active = 1",
                       DB_ARGS(DB_TEXT(phone)), &v, err);
    if (rc == AJ_ENOTFOUND) return 0;
    if (rc) return rc;
    return otp_issue(c, phone, phone, now, err);
}

int session_login_code(db *c, const char *phone, const char *code, const char *ip,
                       session_new *out, aj_error *err)
{
    char pair[SESSION_KEY], addr[80];
    int64_t now = clock_now();
    session_keys("p", phone, ip, pair, addr);
    if (session_admit(c, pair, addr, now, out, "尝试次数过多", err)) return err->rc;

    if (db_begin(c, err)) return err->rc;
    int ok;
    if (otp_take(c, phone, code, now, &ok, err)) goto fail;
    if (!ok) {
        if (db_commit(c, err)) return err->rc;
        return aj_fail(err, AJ_EAUTH, NULL, "验证码错误或已过期");
    }
    int64_t uid;
    if (db_scalar(c, "SELECT user_id FROM residents WHERE phone = $1 AND active = 1",
                  DB_ARGS(DB_TEXT(phone)), &uid, err))
        goto fail;
    if (db_commit(c, err)) return err->rc;
    return session_succeed(c, uid, 1, pair, addr, ip, "code", out, err);
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

int session_lookup(db *c, const char *token, actor *who, char csrf[SESSION_TOKEN_LEN],
                   char hash[65], aj_error *err)
{
    session_hash(token, hash);
    int64_t expires_at;
    if (session_cache_get(hash, who, csrf, &expires_at)) {
        who->name = NULL;
        if (expires_at > clock_now()) return 0;
        return aj_fail(err, AJ_EAUTH, NULL, "登录已失效，请重新登录");
    }
    uint64_t stamp = session_cache_stamp();
    /* One row: whatever would change the session's authority ends it instead. */
    db_rows *r = db_query(c,
                          "SELECT user_id, csrf_token, expires_at, role, resident_id"
                          " FROM sessions WHERE token_hash = $1",
                          DB_ARGS(DB_TEXT(hash)), err);
    if (!r) return err->rc;
    int rc = AJ_EAUTH;
    if (db_next(r) && db_int(r, 2) > clock_now()) {
        who->id = db_int(r, 0);
        snprintf(csrf, SESSION_TOKEN_LEN, "%s", db_text(r, 1));
        who->role = actor_role_parse(db_text(r, 3));
        who->name = NULL; /* names are read where they are shown */
        who->resident_id = db_int(r, 4);
        session_cache_put(stamp, hash, who, csrf, db_int(r, 2));
        rc = 0;
    }
    if (db_end(r, err)) return err->rc;
    if (rc) return aj_fail(err, AJ_EAUTH, NULL, "登录已失效，请重新登录");
    return 0;
}

int session_end(db *c, const char *hash, aj_error *err)
{
    session_cache_drop(hash);
    int64_t n = db_exec(c, "DELETE FROM sessions WHERE token_hash = $1", DB_ARGS(DB_TEXT(hash)), err);
    return n < 0 ? (int)n : 0;
}

int session_end_user(db *c, int64_t user_id, aj_error *err)
{
    session_cache_drop_user(user_id);
    int64_t n = db_exec(c, "DELETE FROM sessions WHERE user_id = $1", DB_ARGS(DB_INT(user_id)), err);
    return n < 0 ? (int)n : 0;
}

int session_actor(db *c, int64_t user_id, actor *who, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT u.role, COALESCE(rs.id, 0) FROM users u"
                          " LEFT JOIN residents rs ON rs.user_id = u.id WHERE u.id = $1",
                          DB_ARGS(DB_INT(user_id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) {
        who->id = user_id;
        who->role = actor_role_parse(db_text(r, 0));
        who->resident_id = db_int(r, 1);
    }
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "用户不存在");
}
