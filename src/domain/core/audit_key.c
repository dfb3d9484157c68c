/* domain/core/audit_key.c: the audit chain's secrets outside the database (audit.key, the
 * HMAC key; audit.sign, the Ed25519 key of checkpoints) and audit.checkpoints, the
 * append-only file of signed heads that shows rows removed from the end. */
#include "domain/core/audit_key.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/webclient.h"
#include "domain/core/audit.h"

/* The one state of the keys: set by audit_key_dir before threads start, loaded once
 * (under mu), read-only afterwards, so the write path reads it without a lock. */
static struct {
    pthread_mutex_t mu;
    char dir[512];
    atomic_int loaded;
    unsigned char key[AUDIT_KEY_BYTES];
    crypto_auth_hmacsha256_state mac0; /* keyed once: each row copies it (saves two blocks) */
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    atomic_long since; /* rows appended by this process since its last checkpoint */
    int written;       /* the last checkpoint this process wrote, to skip repeats */
    int64_t last_seq;
    int64_t tick_at; /* when audit_checkpoint_tick last wrote or looked (its caller's clock) */
    char last_head[AUDIT_HASH_MAX];
    char webhook[512]; /* "" : checkpoints stay in the file only */
} audit_key_st = {.mu = PTHREAD_MUTEX_INITIALIZER, .dir = "var"};

void audit_key_dir(const char *data_dir)
{
    const char *d = data_dir && *data_dir ? data_dir : "var";
    pthread_mutex_lock(&audit_key_st.mu);
    if (strcmp(d, audit_key_st.dir) == 0 && atomic_load(&audit_key_st.loaded)) {
        pthread_mutex_unlock(&audit_key_st.mu); /* the same keys: keep them and the state */
        return;
    }
    snprintf(audit_key_st.dir, sizeof audit_key_st.dir, "%s", d);
    atomic_store(&audit_key_st.loaded, 0);
    audit_key_st.written = 0;
    audit_key_st.tick_at = 0;
    atomic_store(&audit_key_st.since, 0);
    sodium_memzero(audit_key_st.key, sizeof audit_key_st.key);
    sodium_memzero(&audit_key_st.mac0, sizeof audit_key_st.mac0);
    sodium_memzero(audit_key_st.sk, sizeof audit_key_st.sk);
    pthread_mutex_unlock(&audit_key_st.mu);
}

static int audit_key_path(const char *name, char *out, size_t n)
{
    return snprintf(out, n, "%s/%s", audit_key_st.dir, name) >= (int)n ? -1 : 0;
}

/* Reads exactly n bytes of a secret file. Anyone else able to read it could rechain the
 * log, so a file open to group or others is refused (ASVS 4.0 V6.4.1, V7.3.3). */
static int audit_key_read(const char *path, unsigned char *out, size_t n, aj_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return aj_fail(err, errno == ENOENT ? AJ_ENOTFOUND : AJ_EDB, NULL, "%s: %s", path,
                       strerror(errno));
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = aj_fail(err, AJ_EDB, NULL, "%s: not a regular file", path);
    else if (st.st_mode & 077)
        rc = aj_fail(err, AJ_EDB, NULL, "%s: mode %03o lets others read it (chmod 600 %s)", path,
                     (unsigned)(st.st_mode & 0777), path);
    else if ((size_t)st.st_size != n)
        rc = aj_fail(err, AJ_EDB, NULL, "%s: %jd bytes, expected %zu", path, (intmax_t)st.st_size,
                     n);
    for (size_t got = 0; !rc && got < n;) {
        ssize_t k = read(fd, out + got, n - got);
        if (k <= 0) rc = aj_fail(err, AJ_EDB, NULL, "%s: cannot read", path);
        else got += (size_t)k;
    }
    close(fd);
    return rc;
}

/* Writes a new secret file in one step (a temporary file linked into place): when two
 * processes make it at once, one wins and both then read the winner's. */
static int audit_key_make(const char *path, const unsigned char *data, size_t n, aj_error *err)
{
    char tmp[600];
    if (snprintf(tmp, sizeof tmp, "%s.XXXXXX", path) >= (int)sizeof tmp)
        return aj_fail(err, AJ_EDB, NULL, "%s: path too long", path);
    if (mkdir(audit_key_st.dir, 0750) != 0 && errno != EEXIST)
        return aj_fail(err, AJ_EDB, NULL, "%s: %s", audit_key_st.dir, strerror(errno));
    int fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0) return aj_fail(err, AJ_EDB, NULL, "%s: %s", tmp, strerror(errno));
    int ok = fchmod(fd, 0600) == 0 && write(fd, data, n) == (ssize_t)n && fsync(fd) == 0;
    close(fd);
    if (ok && link(tmp, path) != 0 && errno != EEXIST) ok = 0;
    int saved = errno;
    unlink(tmp);
    if (!ok) return aj_fail(err, AJ_EDB, NULL, "%s: %s", path, strerror(saved));
    return 0;
}

/* Reads a key file, first making it from fresh random bytes (via make) when missing. */
static int audit_key_get(const char *name, unsigned char *out, size_t n, int create,
                         void (*make)(unsigned char *), aj_error *err)
{
    char path[600];
    if (audit_key_path(name, path, sizeof path)) return aj_fail(err, AJ_EDB, NULL, "path too long");
    int rc = audit_key_read(path, out, n, err);
    if (rc != AJ_ENOTFOUND || !create) return rc;
    /* Making a key needs libsodium started (main does it; a test or tool that
     * writes the first audit row may not have): idempotent and thread-safe. */
    if (sodium_init() < 0) return aj_fail(err, AJ_EDB, NULL, "libsodium failed to start");
    unsigned char *fresh = sodium_malloc(n);
    if (!fresh) return aj_fail(err, AJ_EDB, NULL, "out of memory");
    make(fresh);
    rc = audit_key_make(path, fresh, n, err);
    sodium_free(fresh);
    if (rc) return rc;
    log_info("made %s (keep it: without it the audit log cannot be verified)", path);
    return audit_key_read(path, out, n, err);
}

static void audit_key_make_hmac(unsigned char *k)
{
    crypto_auth_hmacsha256_keygen(k);
}

static void audit_key_make_sign(unsigned char *sk)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    crypto_sign_keypair(pk, sk);
}

/* The public half beside the keys, for whoever checks checkpoints elsewhere. */
static void audit_key_write_pub(void)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char hex[2 * sizeof pk + 2], path[600];
    crypto_sign_ed25519_sk_to_pk(pk, audit_key_st.sk);
    sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
    strcat(hex, "\n");
    if (audit_key_path("audit.sign.pub", path, sizeof path)) return;
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) return;
    if (write(fd, hex, strlen(hex)) < 0) log_error("%s: %s", path, strerror(errno));
    close(fd);
}

const crypto_auth_hmacsha256_state *audit_key_hmac(int create, aj_error *err)
{
    if (atomic_load_explicit(&audit_key_st.loaded, memory_order_acquire))
        return &audit_key_st.mac0;
    pthread_mutex_lock(&audit_key_st.mu);
    int rc = 0;
    if (!atomic_load(&audit_key_st.loaded)) {
        rc = audit_key_get("audit.key", audit_key_st.key, sizeof audit_key_st.key, create,
                           audit_key_make_hmac, err);
        if (!rc)
            rc = audit_key_get("audit.sign", audit_key_st.sk, sizeof audit_key_st.sk, create,
                               audit_key_make_sign, err);
        if (!rc && create) audit_key_write_pub();
        if (!rc) crypto_auth_hmacsha256_init(&audit_key_st.mac0, audit_key_st.key, AUDIT_KEY_BYTES);
        if (!rc) atomic_store_explicit(&audit_key_st.loaded, 1, memory_order_release);
    }
    pthread_mutex_unlock(&audit_key_st.mu);
    return rc ? NULL : &audit_key_st.mac0;
}

int audit_key_open(aj_error *err)
{
    return audit_key_hmac(1, err) ? 0 : err->rc;
}

void audit_key_count(void)
{
    atomic_fetch_add_explicit(&audit_key_st.since, 1, memory_order_relaxed);
}

/* The signed text of a checkpoint; the line adds the signature. */
static int audit_key_cp_text(char *out, size_t n, int64_t seq, int64_t at, const char *head)
{
    return snprintf(out, n, "anju audit checkpoint v1 %" PRId64 " %" PRId64 " %s", seq, at,
                    *head ? head : "-");
}

void audit_checkpoint_webhook(const char *url)
{
    snprintf(audit_key_st.webhook, sizeof audit_key_st.webhook, "%s", url ? url : "");
}

/* A copy of the checkpoint line somewhere the database's writer cannot reach (a log
 * server, another company's machine): what truncates the database and the file together
 * does not reach it. A receiver that fails is logged; the line is in the file already. */
static void audit_key_cp_post(const char *line)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char pkhex[2 * sizeof pk + 1];
    crypto_sign_ed25519_sk_to_pk(pk, audit_key_st.sk);
    sodium_bin2hex(pkhex, sizeof pkhex, pk, sizeof pk);
    json_t *j = json_pack("{s:s, s:s%, s:s}", "kind", "anju.audit.checkpoint", "line", line,
                          strcspn(line, "\n"), "public_key", pkhex);
    char *body = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!body) return;
    arena a;
    arena_init(&a, 1024);
    webclient_reply rep;
    aj_error err = {0};
    const char *h[] = {"Content-Type: application/json", NULL};
    if (webclient_send("POST", audit_key_st.webhook, h, body, strlen(body), &a, &rep, &err))
        log_error("audit checkpoint webhook: %s", err.message);
    else if (rep.status < 200 || rep.status > 299)
        log_error("audit checkpoint webhook: the receiver answered %ld", rep.status);
    arena_free(&a);
    free(body);
}

int audit_checkpoint(db *c, aj_error *err)
{
    /* Only a committed head: inside a transaction the head may yet roll back, and a
     * checkpoint of it would later read as rows removed. */
    if (db_writing(c)) return aj_fail(err, AJ_EDB, NULL, "audit checkpoint inside a transaction");
    if (!audit_key_hmac(1, err)) return err->rc;
    db_rows *r = db_query(c, "SELECT seq, last_hash FROM audit_head WHERE id = 1", DB_NOARGS, err);
    if (!r) return err->rc;
    int64_t seq = -1;
    char head[AUDIT_HASH_MAX] = "";
    if (db_next(r)) {
        seq = db_int(r, 0);
        snprintf(head, sizeof head, "%s", db_text(r, 1));
    }
    if (db_end(r, err)) return err->rc;
    if (seq < 0) return aj_fail(err, AJ_EDB, NULL, "audit head missing");
    int64_t at = clock_now();
    pthread_mutex_lock(&audit_key_st.mu);
    atomic_store(&audit_key_st.since, 0);
    int rc = 0;
    char line[512] = "";
    if (!audit_key_st.written || seq != audit_key_st.last_seq ||
        strcmp(head, audit_key_st.last_head) != 0) {
        char text[256], path[600];
        unsigned char sig[crypto_sign_BYTES];
        char sighex[2 * crypto_sign_BYTES + 1];
        audit_key_cp_text(text, sizeof text, seq, at, head);
        crypto_sign_detached(sig, NULL, (const unsigned char *)text, strlen(text), audit_key_st.sk);
        sodium_bin2hex(sighex, sizeof sighex, sig, sizeof sig);
        int len = snprintf(line, sizeof line, "v1 %" PRId64 " %" PRId64 " %s %s\n", seq, at,
                           *head ? head : "-", sighex);
        int fd = -1;
        if (audit_key_path("audit.checkpoints", path, sizeof path) == 0)
            fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        /* One write of one short line: appends from several processes never interleave. */
        if (fd < 0 || write(fd, line, (size_t)len) != len || fdatasync(fd) != 0)
            rc = aj_fail(err, AJ_EDB, NULL, "%s: %s", path, strerror(errno));
        if (fd >= 0) close(fd);
        if (!rc) {
            audit_key_st.written = 1;
            audit_key_st.last_seq = seq;
            snprintf(audit_key_st.last_head, sizeof audit_key_st.last_head, "%s", head);
        }
    }
    pthread_mutex_unlock(&audit_key_st.mu);
    /* Outside the lock: a slow receiver holds up no writer counting its row. */
    if (!rc && line[0] && audit_key_st.webhook[0]) audit_key_cp_post(line);
    return rc;
}

int audit_checkpoint_tick(db *c, int64_t now, aj_error *err)
{
    pthread_mutex_lock(&audit_key_st.mu);
    int due = atomic_load(&audit_key_st.since) >= AUDIT_CHECKPOINT_ROWS ||
              now - audit_key_st.tick_at >= 60;
    if (due) audit_key_st.tick_at = now;
    pthread_mutex_unlock(&audit_key_st.mu);
    return due ? audit_checkpoint(c, err) : 0;
}

int audit_cp_open(audit_cp_reader *r, char *msg, size_t msgsz)
{
    char path[600];
    aj_error err = {0};
    memset(r, 0, sizeof *r);
    if (audit_key_path("audit.checkpoints", path, sizeof path)) {
        snprintf(msg, msgsz, "data directory path too long");
        return AJ_EDB;
    }
    r->f = fopen(path, "re");
    if (!r->f && errno == ENOENT) return 0;
    if (!r->f) {
        snprintf(msg, msgsz, "%s: %s", path, strerror(errno));
        return AJ_EDB;
    }
    if (!audit_key_hmac(0, &err)) {
        snprintf(msg, msgsz, "cannot check %s: %s", path, err.message);
        audit_cp_close(r);
        return err.rc;
    }
    crypto_sign_ed25519_sk_to_pk(r->pk, audit_key_st.sk);
    return 0;
}

int audit_cp_next(audit_cp_reader *r, audit_cp *cp, char *msg, size_t msgsz)
{
    char line[512], head[AUDIT_HASH_MAX + 2], sighex[2 * crypto_sign_BYTES + 2], text[256];
    unsigned char sig[crypto_sign_BYTES];
    size_t siglen = 0;
    if (!r->f || !fgets(line, sizeof line, r->f)) return 0;
    r->line++;
    size_t n = strlen(line);
    if (n == 0 || line[n - 1] != '\n') {
        if (feof(r->f)) return 0; /* cut short by a crash */
        snprintf(msg, msgsz, "checkpoint line %" PRId64 " is too long", r->line);
        return -1;
    }
    int used = 0;
    if (sscanf(line, "v1 %" SCNd64 " %" SCNd64 " %73s %129s%n", &cp->seq, &cp->at, head, sighex,
               &used) != 4 ||
        line[used] != '\n' || strlen(head) >= AUDIT_HASH_MAX ||
        sodium_hex2bin(sig, sizeof sig, sighex, strlen(sighex), NULL, &siglen, NULL) != 0 ||
        siglen != sizeof sig) {
        snprintf(msg, msgsz, "checkpoint line %" PRId64 " is not a checkpoint", r->line);
        return -1;
    }
    /* head is shorter than AUDIT_HASH_MAX (checked above): copied by its length. */
    size_t hl = strcmp(head, "-") == 0 ? 0 : strlen(head);
    memcpy(cp->head, head, hl);
    cp->head[hl] = 0;
    audit_key_cp_text(text, sizeof text, cp->seq, cp->at, cp->head);
    if (crypto_sign_verify_detached(sig, (const unsigned char *)text, strlen(text), r->pk) != 0) {
        snprintf(msg, msgsz, "checkpoint line %" PRId64 " is not signed by this server's key",
                 r->line);
        return -1;
    }
    cp->line = r->line;
    return 1;
}

void audit_cp_close(audit_cp_reader *r)
{
    if (r->f) fclose(r->f);
    r->f = NULL;
}
