/* db/db.c: the driver-independent face of db.h. */
#include "db/db_driver.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"

/* The one process-wide record of storage failures (db.h): every connection's
 * failures land here, /healthz reads it. Owned by db.c, behind its mutex. */
static struct {
    pthread_mutex_t mu;
    int64_t failures;
    int64_t last_us; /* clock_mono_us of the last failure */
    char reason[160];
} db_health_state = {.mu = PTHREAD_MUTEX_INITIALIZER};

void db_health_note(const char *reason)
{
    pthread_mutex_lock(&db_health_state.mu);
    db_health_state.failures++;
    db_health_state.last_us = clock_mono_us();
    snprintf(db_health_state.reason, sizeof db_health_state.reason, "%s",
             reason && *reason ? reason : "storage failure");
    pthread_mutex_unlock(&db_health_state.mu);
}

void db_health_get_at(int64_t mono_us, db_health *out)
{
    pthread_mutex_lock(&db_health_state.mu);
    out->failures = db_health_state.failures;
    out->age_s = out->failures ? (mono_us - db_health_state.last_us) / 1000000 : -1;
    snprintf(out->reason, sizeof out->reason, "%s", db_health_state.reason);
    pthread_mutex_unlock(&db_health_state.mu);
    out->degraded = out->failures > 0 && out->age_s < DB_HEALTH_WINDOW_S;
}

void db_health_get(db_health *out) { db_health_get_at(clock_mono_us(), out); }

int db_fail_storage(aj_error *err, int rc, const char *reason)
{
    db_health_note(reason);
    if (rc == AJ_EFULL) return aj_fail(err, AJ_EFULL, NULL, "%s", DB_FULL_MESSAGE);
    return aj_fail(err, rc, NULL, "database error");
}

db *db_open(const char *url, aj_error *err)
{
    if (strncmp(url, "sqlite:", 7) == 0) return db_sqlite_open(url + 7, err);
    if (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0)
        return db_pg_open(url, err);
    aj_fail(err, AJ_EINVAL, "db", "unknown database URL (want sqlite:PATH or postgresql://...)");
    return NULL;
}

void db_close(db *c)
{
    if (c) c->drv->close(c);
}

db_kind db_kind_of(const db *c) { return c->kind; }

int db_ping(db *c)
{
    int64_t one = 0;
    aj_error err;
    return db_scalar(c, "SELECT 1", DB_NOARGS, &one, &err) == 0 && one == 1 ? 0 : -1;
}

/* Write transactions: the SQLite driver runs its own (one writer per file,
 * group commit: db_sqlite.c); PostgreSQL's are plain BEGIN / COMMIT. */
int db_begin(db *c, aj_error *err)
{
    db_read_end(c); /* a write inside a read request starts from the newest data */
    if (c->drv->begin) return c->drv->begin(c, err);
    int rc = c->drv->script(c, c->drv->begin_sql, err);
    if (rc == 0) c->in_tx = 1;
    return rc;
}

int db_commit(db *c, aj_error *err)
{
    if (c->drv->commit) return c->drv->commit(c, err);
    int rc = c->drv->script(c, "COMMIT", err);
    if (rc != 0) {
        db_rollback(c);
        return rc;
    }
    c->in_tx = 0;
    return 0;
}

void db_rollback(db *c)
{
    aj_error err;
    /* Nothing open (a commit that failed has already ended its transaction;
     * a begin that failed never opened one): a ROLLBACK would only fail and
     * fill the log with "no transaction is active". */
    if (!c->in_tx && !c->in_read) return;
    if (c->in_tx && c->drv->rollback) {
        c->drv->rollback(c);
        return;
    }
    if (c->drv->script(c, "ROLLBACK", &err) != 0 && c->in_tx)
        log_error("rollback failed: %s", err.message);
    c->in_read = 0;
    c->in_tx = 0;
}

int db_in_tx(const db *c) { return c->in_tx || c->in_read; }

int db_writing(const db *c) { return c->in_tx; }

int db_bulk(db *c, int on, aj_error *err)
{
    if (!c->in_tx) return aj_fail(err, AJ_EDB, NULL, "db_bulk outside a write transaction");
    if (c->kind != DB_SQLITE) return 0;
    return c->drv->script(c, on ? "PRAGMA cache_size = -65536" : "PRAGMA cache_size = -2000", err);
}

int db_read_begin(db *c, aj_error *err)
{
    if (c->in_read || c->in_tx) return 0;
    int rc = c->drv->script(c, "BEGIN", err);
    if (rc == 0) c->in_read = 1;
    return rc;
}

void db_read_end(db *c)
{
    aj_error err;
    if (!c->in_read) return;
    if (c->drv->script(c, "COMMIT", &err) != 0) log_error("read commit failed: %s", err.message);
    c->in_read = 0;
}

db_rows *db_query(db *c, const char *sql, int n, const db_val *args, aj_error *err)
{
    return c->drv->query(c, sql, n, args, err);
}

int db_next(db_rows *r)
{
    if (r->failed) return 0;
    int rc = r->c->drv->next(r);
    if (rc >= 0) return rc;
    r->failed = rc; /* kept for db_end: a failure is never a short result */
    return 0;
}

int db_end(db_rows *r, aj_error *err)
{
    if (!r) return err && err->rc ? err->rc : aj_fail(err, AJ_EDB, NULL, "数据库错误");
    int rc = r->failed;
    r->c->drv->done(r);
    if (!rc) return 0;
    if (rc == AJ_ECONFLICT) return aj_fail(err, rc, NULL, "记录已存在");
    if (rc == AJ_EBUSY) return aj_fail(err, rc, NULL, "数据库繁忙，请稍后重试");
    if (rc == AJ_EFULL) return aj_fail(err, rc, NULL, "%s", DB_FULL_MESSAGE);
    return aj_fail(err, AJ_EDB, NULL, "数据库读取失败");
}
int db_null(db_rows *r, int col) { return r->c->drv->null(r, col); }
int64_t db_int(db_rows *r, int col) { return r->c->drv->col_int(r, col); }
double db_real(db_rows *r, int col) { return r->c->drv->col_real(r, col); }
const char *db_text(db_rows *r, int col) { return r->c->drv->col_text(r, col); }

void db_done(db_rows *r)
{
    if (r) r->c->drv->done(r);
}

int64_t db_exec(db *c, const char *sql, int n, const db_val *args, aj_error *err)
{
    return c->drv->exec(c, sql, n, args, err);
}

int db_scalar(db *c, const char *sql, int n, const db_val *args, int64_t *out, aj_error *err)
{
    db_rows *r = db_query(c, sql, n, args, err);
    if (!r) return err->rc ? err->rc : AJ_EDB;
    int found = db_next(r);
    if (found) *out = db_int(r, 0);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : AJ_ENOTFOUND;
}

int db_script(db *c, const char *sql, aj_error *err) { return c->drv->script(c, sql, err); }

int db_pairs(db *c, const char *sql, int n, const db_val *args, arena *a, db_pair **pairs,
             size_t *len, aj_error *err)
{
    size_t cap = 0;
    *pairs = NULL;
    *len = 0;
    db_rows *r = db_query(c, sql, n, args, err);
    if (!r) return err->rc;
    while (db_next(r)) {
        *pairs = arena_grow(a, *pairs, *len, &cap, sizeof **pairs);
        (*pairs)[*len][0] = db_int(r, 0);
        (*pairs)[(*len)++][1] = db_int(r, 1);
    }
    return db_end(r, err);
}

int64_t *db_pairs_group(const db_pair *pairs, size_t len, size_t *k, int64_t key, arena *a,
                        size_t *n)
{
    while (*k < len && pairs[*k][0] < key) (*k)++;
    size_t start = *k;
    while (*k < len && pairs[*k][0] == key) (*k)++;
    *n = *k - start;
    int64_t *ids = arena_alloc(a, (*n ? *n : 1) * sizeof *ids);
    for (size_t j = start; j < *k; j++) ids[j - start] = pairs[j][1];
    return ids;
}

char *db_like(arena *a, const char *q)
{
    size_t n = strlen(q);
    char *out = arena_alloc(a, n * 2 + 3), *p = out;
    *p++ = '%';
    for (const char *s = q; *s; s++) {
        if (*s == '%' || *s == '_' || *s == '\\') *p++ = '\\';
        *p++ = *s;
    }
    *p++ = '%';
    *p = 0;
    return out;
}

int db_backup_sqlite(db *c, const char *out_path, aj_error *err);

int db_backup(db *c, const char *url, const char *out_path, aj_error *err)
{
    if (c->kind == DB_SQLITE) return db_backup_sqlite(c, out_path, err);
    /* pg_dump takes the URL itself; run it without a shell. */
    pid_t pid = fork();
    if (pid < 0) return aj_fail(err, AJ_EDB, NULL, "fork failed");
    if (pid == 0) {
        execlp("pg_dump", "pg_dump", "--format=custom", "--file", out_path, "--dbname", url,
               (char *)NULL);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return aj_fail(err, AJ_EDB, NULL, "pg_dump failed");
    return 0;
}
