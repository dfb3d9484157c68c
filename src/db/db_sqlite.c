/* db/db_sqlite.c: the SQLite driver: WAL, FULL sync, IMMEDIATE writes,
 * prepared statements cached per connection, and one writer connection per
 * database file shared by the process's connections for their transactions. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "db/db_driver.h"

#define SQ_CACHE 256

typedef struct sq_entry {
    char *sql;
    uint64_t hash;
    sqlite3_stmt *st;
    int busy;
} sq_entry;

typedef struct sq_db sq_db;

/* The connection every write transaction of this process runs on, one per
 * database file, taken in turns. A connection drops its page cache (and its
 * memory map of the file) whenever it starts reading after another connection
 * wrote; with each thread writing on its own connection every write began by
 * reading its B-tree pages in again. The shared writer made the last change
 * itself, so its cache stays warm.
 *
 * Group commit. A transaction here is one SAVEPOINT inside a batch: when its
 * work is done and other threads are already waiting for their turn, it
 * leaves the batch open for them and waits; the last one in commits the
 * batch, once, with one fsync, and tells every member the outcome. A member
 * whose work fails rolls back to its savepoint only. No member returns
 * before the commit that makes its work durable, so every acknowledged write
 * is on disk as before; what is saved is an fsync, the WAL pages the members
 * share (index leaves, the audit head, the search structure) written once,
 * and the wait for the lock behind each other's fsync. */
#define SQ_BATCH_MAX 32

typedef struct sq_member {
    int done, rc;
    char message[256];
} sq_member;

typedef struct sq_writer {
    char *path;
    sq_db *c;
    int refs;
    struct sq_writer *next;
    pthread_mutex_t turn;    /* held by the transaction whose work is running */
    atomic_int want;         /* threads waiting for the turn */
    int open;                /* a batch transaction is open on c */
    sq_member *members[SQ_BATCH_MAX];
    int nmembers;            /* work released into the open batch */
    pthread_mutex_t done_mu; /* guards members' done, with done_cv */
    pthread_cond_t done_cv;
} sq_writer;

static pthread_mutex_t sq_writers_lock = PTHREAD_MUTEX_INITIALIZER;
static sq_writer *sq_writers;

struct sq_db {
    db base;
    sqlite3 *h;
    int last_rc;       /* the AJ_E* code of this connection's last failure */
    sq_writer *writer; /* NULL for the writer itself */
    sq_entry cache[SQ_CACHE];
    /* SQL is mostly string literals: remember where each text last came from,
     * so a repeat costs a strcmp, not a hash of the whole statement. */
    struct {
        const char *ptr;
        sq_entry *e;
    } by_ptr[SQ_CACHE];
};

typedef struct sq_rows {
    db_rows base;
    sqlite3_stmt *st;
    sq_entry *e; /* NULL: a one-off statement to finalize */
} sq_rows;

/* The connection a statement runs on: the shared writer inside a write
 * transaction (db.c sets in_tx before BEGIN), else the caller's own. */
static sq_db *db_sqlite_active(db *base)
{
    sq_db *c = (sq_db *)base;
    return c->base.in_tx && c->writer ? c->writer->c : c;
}

static uint64_t db_sqlite_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* The failures that are the storage's rather than the statement's: the
 * disk is full, the file cannot be read or written. AJ_EFULL or AJ_EDB for
 * those (noted for /healthz), 0 for any other code. */
static int db_sqlite_storage(sqlite3 *h, int rc)
{
    char why[160];
    switch (rc & 0xff) {
    case SQLITE_FULL:
        db_fail_storage(NULL, AJ_EFULL, "disk full (SQLITE_FULL)");
        return AJ_EFULL;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_NOMEM:
        snprintf(why, sizeof why, "sqlite: %s", sqlite3_errmsg(h));
        db_fail_storage(NULL, AJ_EDB, why);
        return AJ_EDB;
    default: return 0;
    }
}

static int db_sqlite_fail(sq_db *c, aj_error *err, int rc)
{
    int ext = sqlite3_extended_errcode(c->h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return aj_fail(err, AJ_ECONFLICT, NULL, "already exists");
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return aj_fail(err, AJ_EBUSY, NULL, "database busy, try again");
    log_error("sqlite: %s", sqlite3_errmsg(c->h));
    c->last_rc = db_sqlite_storage(c->h, ext) == AJ_EFULL ? AJ_EFULL : AJ_EDB;
    if (c->last_rc == AJ_EFULL) return aj_fail(err, AJ_EFULL, NULL, "%s", DB_FULL_MESSAGE);
    return aj_fail(err, AJ_EDB, NULL, "database error");
}

static sqlite3_stmt *db_sqlite_prepare_slow(sq_db *c, const char *sql, sq_entry **entry, aj_error *err);

/* Prepared statement for sql, from the cache when free; else a one-off. */
static sqlite3_stmt *db_sqlite_prepare(sq_db *c, const char *sql, sq_entry **entry, aj_error *err)
{
    size_t ps = ((uintptr_t)sql >> 3) % SQ_CACHE;
    sq_entry *pe = c->by_ptr[ps].ptr == sql ? c->by_ptr[ps].e : NULL;
    if (pe && !pe->busy && strcmp(pe->sql, sql) == 0) {
        pe->busy = 1;
        *entry = pe;
        return pe->st;
    }
    sqlite3_stmt *st = db_sqlite_prepare_slow(c, sql, entry, err);
    if (st && *entry) {
        c->by_ptr[ps].ptr = sql;
        c->by_ptr[ps].e = *entry;
    }
    return st;
}

static sqlite3_stmt *db_sqlite_prepare_slow(sq_db *c, const char *sql, sq_entry **entry, aj_error *err)
{
    uint64_t h = db_sqlite_hash(sql);
    size_t slot = h % SQ_CACHE;
    *entry = NULL;
    for (size_t i = 0; i < 8; i++) {
        sq_entry *e = &c->cache[(slot + i) % SQ_CACHE];
        if (e->sql && e->hash == h && strcmp(e->sql, sql) == 0) {
            if (e->busy) break; /* nested use of the same SQL: one-off */
            e->busy = 1;
            *entry = e;
            return e->st;
        }
        if (!e->sql) {
            sqlite3_stmt *st;
            int rc = sqlite3_prepare_v3(c->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
            if (rc != SQLITE_OK) {
                db_sqlite_fail(c, err, rc);
                return NULL;
            }
            e->sql = strdup(sql);
            e->hash = h;
            e->st = st;
            e->busy = 1;
            *entry = e;
            return st;
        }
    }
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(c->h, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        db_sqlite_fail(c, err, rc);
        return NULL;
    }
    return st;
}

static void db_sqlite_release(sqlite3_stmt *st, sq_entry *e)
{
    if (e) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        e->busy = 0;
    } else {
        sqlite3_finalize(st);
    }
}

/* "$N" into name (16 bytes): binding runs for every parameter of every
 * statement, and snprintf was a visible share of a short read. */
static void db_sqlite_param_name(char *name, int n)
{
    char digits[12];
    int k = 0;
    do digits[k++] = (char)('0' + n % 10);
    while ((n /= 10) > 0 && k < 11);
    *name++ = '$';
    while (k) *name++ = digits[--k];
    *name = '\0';
}

/* SQLite numbers "$N" by first appearance, so bind by name, not by position.
 * Most statements use their parameters in order, so position i + 1 is tried
 * first: the lookup by name walks every parameter, which made binding
 * quadratic in their number. */
static int db_sqlite_bind(sq_db *c, sqlite3_stmt *st, int n, const db_val *args, aj_error *err)
{
    char name[16];
    int count = sqlite3_bind_parameter_count(st);
    for (int i = 0; i < n; i++) {
        db_sqlite_param_name(name, i + 1);
        const char *at = i < count ? sqlite3_bind_parameter_name(st, i + 1) : NULL;
        int idx = at && strcmp(at, name) == 0 ? i + 1 : sqlite3_bind_parameter_index(st, name);
        if (idx == 0) continue; /* a parameter the statement does not use */
        int rc;
        switch (args[i].t) {
        case DBV_INT: rc = sqlite3_bind_int64(st, idx, args[i].i); break;
        case DBV_REAL: rc = sqlite3_bind_double(st, idx, args[i].d); break;
        case DBV_TEXT: rc = sqlite3_bind_text(st, idx, args[i].s, -1, SQLITE_STATIC); break;
        default: rc = sqlite3_bind_null(st, idx); break;
        }
        if (rc != SQLITE_OK) return db_sqlite_fail(c, err, rc);
    }
    return 0;
}

static db_rows *db_sqlite_query(db *base, const char *sql, int n, const db_val *args, aj_error *err)
{
    sq_db *c = db_sqlite_active(base);
    sq_entry *e;
    sqlite3_stmt *st = db_sqlite_prepare(c, sql, &e, err);
    if (!st) return NULL;
    if (db_sqlite_bind(c, st, n, args, err)) {
        db_sqlite_release(st, e);
        return NULL;
    }
    sq_rows *r = malloc(sizeof *r);
    if (!r) abort();
    r->base = (db_rows){.c = &c->base};
    r->st = st;
    r->e = e;
    return &r->base;
}

static int db_sqlite_next(db_rows *rb)
{
    sq_rows *r = (sq_rows *)rb;
    int rc = sqlite3_step(r->st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    /* INSERT ... RETURNING meets its unique violation here, not at prepare. */
    int ext = sqlite3_extended_errcode(((sq_db *)rb->c)->h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) return AJ_ECONFLICT;
    sq_db *c = (sq_db *)rb->c;
    log_error("sqlite step: %s", sqlite3_errmsg(c->h));
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return AJ_EBUSY;
    c->last_rc = db_sqlite_storage(c->h, ext) == AJ_EFULL ? AJ_EFULL : AJ_EDB;
    return c->last_rc;
}

static int db_sqlite_null(db_rows *r, int col)
{
    return sqlite3_column_type(((sq_rows *)r)->st, col) == SQLITE_NULL;
}

static int64_t sq_int(db_rows *r, int col) { return sqlite3_column_int64(((sq_rows *)r)->st, col); }

static double sq_real(db_rows *r, int col) { return sqlite3_column_double(((sq_rows *)r)->st, col); }

static const char *db_sqlite_text(db_rows *r, int col)
{
    const unsigned char *t = sqlite3_column_text(((sq_rows *)r)->st, col);
    return t ? (const char *)t : "";
}

static void db_sqlite_done(db_rows *rb)
{
    sq_rows *r = (sq_rows *)rb;
    db_sqlite_release(r->st, r->e);
    free(r);
}

static int64_t db_sqlite_exec(db *base, const char *sql, int n, const db_val *args, aj_error *err)
{
    sq_db *c = db_sqlite_active(base);
    sq_entry *e;
    sqlite3_stmt *st = db_sqlite_prepare(c, sql, &e, err);
    if (!st) return err->rc;
    int rc = db_sqlite_bind(c, st, n, args, err);
    if (rc) {
        db_sqlite_release(st, e);
        return rc;
    }
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    }
    int64_t out = s == SQLITE_DONE ? sqlite3_changes64(c->h) : db_sqlite_fail(c, err, s);
    db_sqlite_release(st, e);
    return out;
}

static int db_sqlite_script(db *base, const char *sql, aj_error *err)
{
    sq_db *c = db_sqlite_active(base);
    /* Transaction bounds run on every request: keep them prepared rather
     * than parsed again by sqlite3_exec each time. */
    if (strcmp(sql, "BEGIN") == 0 || strcmp(sql, "COMMIT") == 0) {
        int64_t rc = db_sqlite_exec(&c->base, sql, 0, NULL, err);
        return rc < 0 ? (int)rc : 0;
    }
    char *msg = NULL;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int out = db_sqlite_fail(c, err, rc);
        sqlite3_free(msg);
        return out;
    }
    return 0;
}

static void db_sqlite_close_one(sq_db *c)
{
    for (int i = 0; i < SQ_CACHE; i++) {
        if (c->cache[i].sql) {
            sqlite3_finalize(c->cache[i].st);
            free(c->cache[i].sql);
        }
    }
    sqlite3_close(c->h);
    free(c);
}

static void db_sqlite_close(db *base)
{
    sq_db *c = (sq_db *)base;
    sq_writer *w = c->writer;
    db_sqlite_close_one(c);
    if (!w) return;
    pthread_mutex_lock(&sq_writers_lock);
    if (--w->refs == 0) {
        for (sq_writer **p = &sq_writers; *p; p = &(*p)->next)
            if (*p == w) {
                *p = w->next;
                break;
            }
        db_sqlite_close_one(w->c);
        pthread_mutex_destroy(&w->turn);
        pthread_mutex_destroy(&w->done_mu);
        pthread_cond_destroy(&w->done_cv);
        free(w->path);
        free(w);
    }
    pthread_mutex_unlock(&sq_writers_lock);
}

/* ---- write transactions: turns and group commit (see sq_writer) ---- */

static int db_sqlite_run(sq_db *c, const char *sql, aj_error *err)
{
    int64_t rc = db_sqlite_exec(&c->base, sql, 0, NULL, err);
    return rc < 0 ? (int)rc : 0;
}

/* Ends the open batch: COMMIT (or ROLLBACK when fail is set or nothing was
 * released into it), every member told the outcome. Called with the turn. */
static void db_sqlite_batch_end(sq_writer *w, int fail, const aj_error *why)
{
    aj_error err = {0};
    int rc = 0;
    /* A full disk, an I/O error or no memory can make SQLite roll the whole
     * transaction back by itself: then there is nothing left to roll back. */
    if (fail || !w->nmembers) {
        if (!sqlite3_get_autocommit(w->c->h)) db_sqlite_run(w->c, "ROLLBACK", &err);
        rc = fail;
        if (why) err = *why;
    } else if ((rc = db_sqlite_run(w->c, "COMMIT", &err)) != 0) {
        aj_error e2;
        if (!sqlite3_get_autocommit(w->c->h)) db_sqlite_run(w->c, "ROLLBACK", &e2);
    }
    w->open = 0;
    pthread_mutex_lock(&w->done_mu);
    for (int i = 0; i < w->nmembers; i++) {
        sq_member *m = w->members[i];
        m->rc = rc;
        if (rc) snprintf(m->message, sizeof m->message, "%s", err.message);
        m->done = 1;
    }
    w->nmembers = 0;
    pthread_cond_broadcast(&w->done_cv);
    pthread_mutex_unlock(&w->done_mu);
}

/* After a member's work is released (or undone): leave the batch open for a
 * thread already waiting, or end it. Gives up the turn. */
static void db_sqlite_batch_next(sq_writer *w)
{
    if (!(atomic_load(&w->want) > 0 && w->nmembers < SQ_BATCH_MAX)) db_sqlite_batch_end(w, 0, NULL);
    pthread_mutex_unlock(&w->turn);
}

static int db_sqlite_begin(db *base, aj_error *err)
{
    sq_db *c = (sq_db *)base;
    sq_writer *w = c->writer;
    if (!w) { /* in-memory: a database of its own, no one to share with */
        int rc = db_sqlite_run(c, "BEGIN IMMEDIATE", err);
        c->base.in_tx = rc == 0;
        return rc;
    }
    atomic_fetch_add(&w->want, 1);
    pthread_mutex_lock(&w->turn);
    atomic_fetch_sub(&w->want, 1);
    int rc = 0;
    if (!w->open) {
        if ((rc = db_sqlite_run(w->c, "BEGIN IMMEDIATE", err)) != 0) {
            pthread_mutex_unlock(&w->turn);
            return rc;
        }
        w->open = 1;
    }
    if ((rc = db_sqlite_run(w->c, "SAVEPOINT aj_tx", err)) != 0) {
        db_sqlite_batch_end(w, rc, err); /* the batch cannot go on: tell its members */
        pthread_mutex_unlock(&w->turn);
        return rc;
    }
    c->base.in_tx = 1;
    return 0;
}

/* This member's work undone; AJ_EDB when even that failed (the whole batch
 * then ends in a rollback and its members are told). */
static void db_sqlite_undo(sq_writer *w)
{
    aj_error err = {0};
    if (sqlite3_get_autocommit(w->c->h)) {
        /* SQLite rolled the batch back itself (see db_sqlite_batch_end):
         * every member's work is gone, for the reason this one failed. */
        int rc = w->c->last_rc ? w->c->last_rc : AJ_EDB;
        aj_fail(&err, rc, NULL, "%s",
                rc == AJ_EFULL ? DB_FULL_MESSAGE : "the database rolled the transaction back");
        db_sqlite_batch_end(w, rc, &err);
        return;
    }
    if (db_sqlite_run(w->c, "ROLLBACK TO aj_tx", &err) || db_sqlite_run(w->c, "RELEASE aj_tx", &err)) {
        log_error("rollback failed: %s", err.message);
        db_sqlite_batch_end(w, AJ_EDB, &err);
    }
}

static int db_sqlite_commit(db *base, aj_error *err)
{
    sq_db *c = (sq_db *)base;
    sq_writer *w = c->writer;
    c->base.in_tx = 0;
    if (!w) {
        int rc = db_sqlite_run(c, "COMMIT", err);
        if (rc && !sqlite3_get_autocommit(c->h)) {
            aj_error e2;
            db_sqlite_run(c, "ROLLBACK", &e2);
        }
        return rc;
    }
    int rc = db_sqlite_run(w->c, "RELEASE aj_tx", err);
    if (rc) {
        db_sqlite_undo(w);
        if (w->open) db_sqlite_batch_next(w);
        else pthread_mutex_unlock(&w->turn);
        return rc;
    }
    sq_member me = {0};
    w->members[w->nmembers++] = &me;
    db_sqlite_batch_next(w);
    pthread_mutex_lock(&w->done_mu);
    while (!me.done) pthread_cond_wait(&w->done_cv, &w->done_mu);
    pthread_mutex_unlock(&w->done_mu);
    if (me.rc) return aj_fail(err, me.rc, NULL, "%s", me.message[0] ? me.message : "commit failed");
    return 0;
}

static void db_sqlite_rollback(db *base)
{
    sq_db *c = (sq_db *)base;
    sq_writer *w = c->writer;
    c->base.in_tx = 0;
    c->base.in_read = 0;
    if (!w) {
        aj_error err;
        if (!sqlite3_get_autocommit(c->h)) db_sqlite_run(c, "ROLLBACK", &err);
        return;
    }
    db_sqlite_undo(w);
    if (w->open) db_sqlite_batch_next(w);
    else pthread_mutex_unlock(&w->turn);
}

static const db_driver sq_driver = {
    .close = db_sqlite_close,
    .script = db_sqlite_script,
    .query = db_sqlite_query,
    .next = db_sqlite_next,
    .null = db_sqlite_null,
    .col_int = sq_int,
    .col_real = sq_real,
    .col_text = db_sqlite_text,
    .done = db_sqlite_done,
    .exec = db_sqlite_exec,
    .begin = db_sqlite_begin,
    .commit = db_sqlite_commit,
    .rollback = db_sqlite_rollback,
};

/* Before the library's first use: no global memory statistics. Keeping them
 * takes one process-wide mutex on every allocation SQLite makes, which all
 * request threads then queue on. */
static void sq_configure(void) { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); }

static sq_db *db_sqlite_open_one(const char *path, aj_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, sq_configure);
    sq_db *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->base.drv = &sq_driver;
    c->base.kind = DB_SQLITE;
    int rc = sqlite3_open_v2(path, &c->h,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             NULL);
    if (rc != SQLITE_OK) {
        aj_fail(err, AJ_EDB, "db", "cannot open %s: %s", path,
                c->h ? sqlite3_errmsg(c->h) : "out of memory");
        sqlite3_close(c->h);
        free(c);
        return NULL;
    }
    sqlite3_busy_timeout(c->h, 10000);
    sqlite3_extended_result_codes(c->h, 1);
    /* FULL: an acknowledged write survives a power cut, not only a crash.
     * No memory map: a connection unmaps the whole file whenever another one
     * has written since its last read, and with several threads that was a
     * munmap, TLB shootdowns and page faults on most requests; reads through
     * the page cache measured faster for reads too (bench: ticket and list). */
    if (db_sqlite_script(&c->base,
                  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                  "PRAGMA temp_store=MEMORY;",
                  err)) {
        db_sqlite_close_one(c);
        return NULL;
    }
    return c;
}

/* The writer of path, opened with its first connection. An in-memory
 * database is a different one per connection: it writes on its own. */
static int db_sqlite_attach_writer(sq_db *c, const char *path, aj_error *err)
{
    if (!*path || strcmp(path, ":memory:") == 0 || strncmp(path, "file:", 5) == 0) return 0;
    pthread_mutex_lock(&sq_writers_lock);
    sq_writer *w = sq_writers;
    while (w && strcmp(w->path, path) != 0) w = w->next;
    if (!w) {
        sq_db *wc = db_sqlite_open_one(path, err);
        if (!wc) {
            pthread_mutex_unlock(&sq_writers_lock);
            return err->rc;
        }
        w = calloc(1, sizeof *w);
        if (!w || !(w->path = strdup(path))) abort();
        w->c = wc;
        pthread_mutex_init(&w->turn, NULL);
        pthread_mutex_init(&w->done_mu, NULL);
        pthread_cond_init(&w->done_cv, NULL);
        w->next = sq_writers;
        sq_writers = w;
    }
    w->refs++;
    c->writer = w;
    pthread_mutex_unlock(&sq_writers_lock);
    return 0;
}

db *db_sqlite_open(const char *path, aj_error *err)
{
    sq_db *c = db_sqlite_open_one(path, err);
    if (!c) return NULL;
    if (db_sqlite_attach_writer(c, path, err)) {
        db_sqlite_close_one(c);
        return NULL;
    }
    return &c->base;
}

int db_backup_sqlite(db *base, const char *out_path, aj_error *err)
{
    sq_db *c = (sq_db *)base;
    sqlite3 *dst;
    if (sqlite3_open(out_path, &dst) != SQLITE_OK) {
        sqlite3_close(dst);
        return aj_fail(err, AJ_EDB, "out", "cannot create %s", out_path);
    }
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", c->h, "main");
    int rc = SQLITE_ERROR;
    if (b) {
        /* Copy in steps so writers are only briefly held up. */
        while ((rc = sqlite3_backup_step(b, 256)) == SQLITE_OK || rc == SQLITE_BUSY ||
               rc == SQLITE_LOCKED)
            sqlite3_sleep(5);
        sqlite3_backup_finish(b);
    }
    int out = rc == SQLITE_DONE ? 0 : aj_fail(err, AJ_EDB, NULL, "backup failed: %s", sqlite3_errmsg(dst));
    sqlite3_close(dst);
    return out;
}
