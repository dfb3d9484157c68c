/* domain/identity/password_change.c: one's own password changed, the current
 * password required, the other sessions ended (see password_change.h). */
#include "domain/identity/password_change.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "domain/identity/password.h"
#include "domain/identity/session_cache.h"
#include "domain/identity/throttle.h"

int password_change(db *c, const actor *who, const char *keep_hash, const char *old,
                    const char *password, int *retry_after, aj_error *err)
{
    char key[48], hash[PASSWORD_HASH_MAX];
    int64_t now = clock_now();
    int retry = 0;
    if (!who->id) return aj_fail(err, AJ_EAUTH, NULL, "请先登录");
    if (password_check_rules(password, err)) return err->rc;
    if (!strcmp(old, password)) return aj_fail(err, AJ_EINVAL, "password", "新密码不能与当前密码相同");
    /* Guessing the current password through a stolen session waits like a login does. */
    snprintf(key, sizeof key, "c:%lld", (long long)who->id);
    const char *keys[] = {key};
    const throttle_rule *rules[] = {&throttle_pair};
    int rc = throttle_claim(c, keys, rules, 1, now, &retry, err);
    if (rc == AJ_ERATE) {
        *retry_after = retry;
        return aj_fail(err, AJ_ERATE, NULL, "尝试次数过多，请 %d 秒后再试", retry);
    }
    if (rc) return rc;
    char current[PASSWORD_HASH_MAX] = "";
    db_rows *r = db_query(c, "SELECT password_hash FROM users WHERE id = $1 AND active = 1",
                          DB_ARGS(DB_INT(who->id)), err);
    if (!r) return err->rc;
    if (db_next(r) && !db_null(r, 0)) snprintf(current, sizeof current, "%s", db_text(r, 0));
    if (db_end(r, err)) return err->rc;
    if (!password_verify(current, old))
        return aj_fail(err, AJ_EINVAL, "old_password", "当前密码不正确");
    if (password_hash(password, hash, err)) return err->rc;
    json_t *ch = json_pack("{s:s}", "method", "self");
    rc = db_begin(c, err);
    if (!rc && (db_exec(c, "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
                        DB_ARGS(DB_INT(who->id), DB_TEXT(hash), DB_INT(now)), err) < 0 ||
                db_exec(c, "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
                        DB_ARGS(DB_INT(who->id), DB_TEXT(keep_hash ? keep_hash : "")), err) < 0 ||
                throttle_clear(c, key, err) ||
                audit_append(c, who, "password_change", "user", who->id, ch, err) ||
                db_commit(c, err)))
        rc = err->rc ? err->rc : AJ_EDB;
    json_decref(ch);
    sodium_memzero(hash, sizeof hash);
    if (rc && db_writing(c)) db_rollback(c);
    /* The ended sessions must not live on in this process's cache either. */
    if (!rc) session_cache_drop_user(who->id);
    return rc;
}
