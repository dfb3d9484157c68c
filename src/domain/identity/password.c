/* domain/identity/password.c: argon2id with OWASP's minimum cost (19 MiB, t=2): strong
 * enough, and a login does not cost the server 64 MiB. */
#include "domain/identity/password.h"

#include <pthread.h>
#include <pwquality.h>
#include <string.h>

#include "base/log.h"

#define PASSWORD_OPS 2
#define PASSWORD_MEM (19u << 20)

/* libpwquality's checks (cracklib's dictionary of common words and
 * patterns, palindromes, repeats) on top of the length: "12345678" and
 * "password" are refused (OWASP ASVS 4.0 V2.1.7: passwords checked against a
 * list of breached or common ones). One settings object for the process;
 * cracklib's dictionary lookup is not known to be thread-safe, so checks
 * take a lock (a password is set rarely). Without the dictionary (cracklib-
 * runtime not installed), pwquality would refuse every password: then the
 * dictionary check is left out, and the log says so once. */
static pwquality_settings_t *password_pwq;
static pthread_mutex_t password_pwq_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t password_pwq_once = PTHREAD_ONCE_INIT;

static void password_pwq_init(void)
{
    void *aux = NULL;
    password_pwq = pwquality_default_settings();
    if (!password_pwq) return;
    pwquality_set_int_value(password_pwq, PWQ_SETTING_MIN_LENGTH, 8);
    /* A random 24-character text passes any dictionary that loads. */
    if (pwquality_check(password_pwq, "q7#Vt2!mZx9&Lp4@Rk6$Wn8b", NULL, NULL, &aux) < 0) {
        pwquality_set_int_value(password_pwq, PWQ_SETTING_DICT_CHECK, 0);
        log_error("password rules: the cracklib dictionary cannot be read; common passwords are"
                  " not refused (install cracklib-runtime)");
    }
}

int password_check_rules(const char *pw, aj_error *err)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < 8 || n > 128) return aj_fail(err, AJ_EINVAL, "password", "密码长度须为 8 到 128 个字符");
    pthread_once(&password_pwq_once, password_pwq_init);
    if (!password_pwq) return 0;
    void *aux = NULL;
    pthread_mutex_lock(&password_pwq_mu);
    int score = pwquality_check(password_pwq, pw, NULL, NULL, &aux);
    pthread_mutex_unlock(&password_pwq_mu);
    if (score >= 0) return 0;
    char why[256];
    const char *en = pwquality_strerror(why, sizeof why, score, aux);
    return aj_fail(err, AJ_EINVAL, "password", "密码太简单或太常见，请换一个更难猜的密码（%s）",
                   en ? en : "too weak");
}

int password_hash(const char *pw, char out[PASSWORD_HASH_MAX], aj_error *err)
{
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), PASSWORD_OPS, PASSWORD_MEM,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return aj_fail(err, AJ_EDB, NULL, "out of memory hashing a password");
    return 0;
}

int password_verify(const char *hash, const char *pw)
{
    if (!hash || !*hash) return 0;
    return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0;
}

static char password_dummy[PASSWORD_HASH_MAX];
static pthread_once_t password_dummy_once = PTHREAD_ONCE_INIT;

static void password_dummy_init(void)
{
    if (crypto_pwhash_str_alg(password_dummy, "anju-dummy", 10, PASSWORD_OPS, PASSWORD_MEM,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        password_dummy[0] = 0;
}

void password_burn(const char *pw)
{
    pthread_once(&password_dummy_once, password_dummy_init);
    (void)password_verify(password_dummy, pw);
}
