/* domain/identity/password.c: argon2id with OWASP's minimum cost (19 MiB, t=2): strong
 * enough, and a login does not cost the server 64 MiB. */
#include "domain/identity/password.h"

#include <pthread.h>
#include <string.h>

#define PASSWORD_OPS 2
#define PASSWORD_MEM (19u << 20)

int password_check_rules(const char *pw, aj_error *err)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < 8 || n > 128) return aj_fail(err, AJ_EINVAL, "password", "密码长度须为 8 到 128 个字符");
    return 0;
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
