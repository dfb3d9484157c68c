/* db/db_sqlite.c: the SQLite driver: WAL, FULL sync, IMMEDIATE writes,
 * prepared statements cached per connection. */
#include <sqlite3.h>
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

typedef struct sq_db {
    db base;
    sqlite3 *h;
    sq_entry cache[SQ_CACHE];
    /* SQL is mostly string literals: remember where each text last came from,
     * so a repeat costs a strcmp, not a hash of the whole statement. */
    struct {
        const char *ptr;
        sq_entry *e;
    } by_ptr[SQ_CACHE];
} sq_db;

typedef struct sq_rows {
    db_rows base;
    sqlite3_stmt *st;
    sq_entry *e; /* NULL: a one-off statement to finalize */
} sq_rows;

static uint64_t sq_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int sq_fail(sq_db *c, aj_error *err, int rc)
{
    int ext = sqlite3_extended_errcode(c->h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY)
        return aj_fail(err, AJ_ECONFLICT, NULL, "already exists");
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return aj_fail(err, AJ_EBUSY, NULL, "database busy, try again");
    log_error("sqlite: %s", sqlite3_errmsg(c->h));
    return aj_fail(err, AJ_EDB, NULL, "database error");
}

static sqlite3_stmt *sq_prepare_slow(sq_db *c, const char *sql, sq_entry **entry, aj_error *err);

/* Prepared statement for sql, from the cache when free; else a one-off. */
static sqlite3_stmt *sq_prepare(sq_db *c, const char *sql, sq_entry **entry, aj_error *err)
{
    size_t ps = ((uintptr_t)sql >> 3) % SQ_CACHE;
    sq_entry *pe = c->by_ptr[ps].ptr == sql ? c->by_ptr[ps].e : NULL;
    if (pe && !pe->busy && strcmp(pe->sql, sql) == 0) {
        pe->busy = 1;
        *entry = pe;
        return pe->st;
    }
    sqlite3_stmt *st = sq_prepare_slow(c, sql, entry, err);
    if (st && *entry) {
        c->by_ptr[ps].ptr = sql;
        c->by_ptr[ps].e = *entry;
    }
    return st;
}

static sqlite3_stmt *sq_prepare_slow(sq_db *c, const char *sql, sq_entry **entry, aj_error *err)
{
    uint64_t h = sq_hash(sql);
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
                sq_fail(c, err, rc);
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
        sq_fail(c, err, rc);
        return NULL;
    }
    return st;
}

static void sq_release(sqlite3_stmt *st, sq_entry *e)
{
    if (e) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        e->busy = 0;
    } else {
        sqlite3_finalize(st);
    }
}

/* SQLite numbers "$N" by first appearance, so bind by name, not by position.
 * Most statements use their parameters in order, so position i + 1 is tried
 * first: the lookup by name walks every parameter, which made binding
 * quadratic in their number. */
static int sq_bind(sq_db *c, sqlite3_stmt *st, int n, const db_val *args, aj_error *err)
{
    char name[16];
    int count = sqlite3_bind_parameter_count(st);
    for (int i = 0; i < n; i++) {
        snprintf(name, sizeof name, "$%d", i + 1);
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
        if (rc != SQLITE_OK) return sq_fail(c, err, rc);
    }
    return 0;
}

static db_rows *sq_query(db *base, const char *sql, int n, const db_val *args, aj_error *err)
{
    sq_db *c = (sq_db *)base;
    sq_entry *e;
    sqlite3_stmt *st = sq_prepare(c, sql, &e, err);
    if (!st) return NULL;
    if (sq_bind(c, st, n, args, err)) {
        sq_release(st, e);
        return NULL;
    }
    sq_rows *r = malloc(sizeof *r);
    if (!r) abort();
    r->base.c = base;
    r->st = st;
    r->e = e;
    return &r->base;
}

static int sq_next(db_rows *rb)
{
    sq_rows *r = (sq_rows *)rb;
    int rc = sqlite3_step(r->st);
    if (rc == SQLITE_ROW) return 1;
    if (rc == SQLITE_DONE) return 0;
    /* INSERT ... RETURNING meets its unique violation here, not at prepare. */
    int ext = sqlite3_extended_errcode(((sq_db *)rb->c)->h);
    if (ext == SQLITE_CONSTRAINT_UNIQUE || ext == SQLITE_CONSTRAINT_PRIMARYKEY) return AJ_ECONFLICT;
    log_error("sqlite step: %s", sqlite3_errmsg(((sq_db *)rb->c)->h));
    return -1;
}

static int sq_null(db_rows *r, int col)
{
    return sqlite3_column_type(((sq_rows *)r)->st, col) == SQLITE_NULL;
}

static int64_t sq_int(db_rows *r, int col) { return sqlite3_column_int64(((sq_rows *)r)->st, col); }

static double sq_real(db_rows *r, int col) { return sqlite3_column_double(((sq_rows *)r)->st, col); }

static const char *sq_text(db_rows *r, int col)
{
    const unsigned char *t = sqlite3_column_text(((sq_rows *)r)->st, col);
    return t ? (const char *)t : "";
}

static void sq_done(db_rows *rb)
{
    sq_rows *r = (sq_rows *)rb;
    sq_release(r->st, r->e);
    free(r);
}

static int64_t sq_exec(db *base, const char *sql, int n, const db_val *args, aj_error *err)
{
    sq_db *c = (sq_db *)base;
    sq_entry *e;
    sqlite3_stmt *st = sq_prepare(c, sql, &e, err);
    if (!st) return err->rc;
    int rc = sq_bind(c, st, n, args, err);
    if (rc) {
        sq_release(st, e);
        return rc;
    }
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
    }
    int64_t out = s == SQLITE_DONE ? sqlite3_changes64(c->h) : sq_fail(c, err, s);
    sq_release(st, e);
    return out;
}

static int sq_script(db *base, const char *sql, aj_error *err)
{
    sq_db *c = (sq_db *)base;
    /* Transaction bounds run on every request: keep them prepared rather
     * than parsed again by sqlite3_exec each time. */
    if (strcmp(sql, "BEGIN") == 0 || strcmp(sql, "BEGIN IMMEDIATE") == 0 ||
        strcmp(sql, "COMMIT") == 0) {
        int64_t rc = sq_exec(base, sql, 0, NULL, err);
        return rc < 0 ? (int)rc : 0;
    }
    char *msg = NULL;
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int out = sq_fail(c, err, rc);
        sqlite3_free(msg);
        return out;
    }
    return 0;
}

static void sq_close(db *base)
{
    sq_db *c = (sq_db *)base;
    for (int i = 0; i < SQ_CACHE; i++) {
        if (c->cache[i].sql) {
            sqlite3_finalize(c->cache[i].st);
            free(c->cache[i].sql);
        }
    }
    sqlite3_close(c->h);
    free(c);
}

static const db_driver sq_driver = {
    .close = sq_close,
    .script = sq_script,
    .query = sq_query,
    .next = sq_next,
    .null = sq_null,
    .col_int = sq_int,
    .col_real = sq_real,
    .col_text = sq_text,
    .done = sq_done,
    .exec = sq_exec,
    .begin_sql = "BEGIN IMMEDIATE",
};

db *db_sqlite_open(const char *path, aj_error *err)
{
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
    /* FULL: an acknowledged write survives a power cut, not only a crash. */
    if (sq_script(&c->base,
                  "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                  "PRAGMA temp_store=MEMORY; PRAGMA mmap_size=67108864;",
                  err)) {
        sq_close(&c->base);
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
