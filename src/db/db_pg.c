/* db/db_pg.c: the PostgreSQL driver (libpq): statements prepared once per
 * connection, parameters and results in text form. */
#include <inttypes.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "db/db_driver.h"

#define PG_CACHE 256
#define PG_MAXARGS 64

typedef struct pg_entry {
    char *sql;
    uint64_t hash;
    char name[24];
} pg_entry;

typedef struct pg_db {
    db base;
    PGconn *h;
    pg_entry cache[PG_CACHE];
    int nprepared;
} pg_db;

typedef struct pg_rows {
    db_rows base;
    PGresult *res;
    int row, nrows;
} pg_rows;

static uint64_t db_pg_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static int db_pg_fail(pg_db *c, PGresult *res, aj_error *err)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state && strcmp(state, "23505") == 0)
        return aj_fail(err, AJ_ECONFLICT, NULL, "already exists");
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
                  strcmp(state, "55P03") == 0))
        return aj_fail(err, AJ_EBUSY, NULL, "database busy, try again");
    log_error("postgresql: %s", res ? PQresultErrorMessage(res) : PQerrorMessage(c->h));
    /* 53100 disk_full: a clear 503, not a 500. The server's own troubles
     * (class 53 insufficient resources, 58 system and I/O errors, XX
     * internal, 57P shutdown, a lost connection) are noted for /healthz. */
    if (state && strcmp(state, "53100") == 0)
        return db_fail_storage(err, AJ_EFULL, "disk full (PostgreSQL 53100)");
    if (!state || strncmp(state, "53", 2) == 0 || strncmp(state, "58", 2) == 0 ||
        strncmp(state, "XX", 2) == 0 || strncmp(state, "57P", 3) == 0 ||
        strncmp(state, "08", 2) == 0 || PQstatus(c->h) != CONNECTION_OK) {
        char why[160];
        snprintf(why, sizeof why, "postgresql %s: %s", state ? state : "connection",
                 PQerrorMessage(c->h));
        why[strcspn(why, "\n")] = 0;
        return db_fail_storage(err, AJ_EDB, why);
    }
    return aj_fail(err, AJ_EDB, NULL, "database error");
}

/* Name of the prepared statement for sql, preparing it on first use. */
static const char *db_pg_prepare(pg_db *c, const char *sql, aj_error *err)
{
    uint64_t h = db_pg_hash(sql);
    size_t slot = h % PG_CACHE;
    pg_entry *free_e = NULL;
    for (size_t i = 0; i < 8; i++) {
        pg_entry *e = &c->cache[(slot + i) % PG_CACHE];
        if (e->sql && e->hash == h && strcmp(e->sql, sql) == 0) return e->name;
        if (!e->sql) {
            free_e = e;
            break;
        }
    }
    if (!free_e) return ""; /* cache full around this slot: unnamed statement */
    snprintf(free_e->name, sizeof free_e->name, "aj%d", c->nprepared++);
    PGresult *res = PQprepare(c->h, free_e->name, sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        db_pg_fail(c, res, err);
        PQclear(res);
        return NULL;
    }
    PQclear(res);
    free_e->sql = strdup(sql);
    free_e->hash = h;
    return free_e->name;
}

static PGresult *db_pg_run(pg_db *c, const char *sql, int n, const db_val *args, aj_error *err)
{
    const char *vals[PG_MAXARGS];
    char nums[PG_MAXARGS][32];
    if (n > PG_MAXARGS) {
        aj_fail(err, AJ_EDB, NULL, "too many parameters");
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        switch (args[i].t) {
        case DBV_INT:
            snprintf(nums[i], sizeof nums[i], "%" PRId64, args[i].i);
            vals[i] = nums[i];
            break;
        case DBV_REAL:
            snprintf(nums[i], sizeof nums[i], "%.17g", args[i].d);
            vals[i] = nums[i];
            break;
        case DBV_TEXT: vals[i] = args[i].s; break;
        default: vals[i] = NULL; break;
        }
    }
    const char *name = db_pg_prepare(c, sql, err);
    if (!name) return NULL;
    PGresult *res = *name ? PQexecPrepared(c->h, name, n, vals, NULL, NULL, 0)
                          : PQexecParams(c->h, sql, n, NULL, vals, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(res);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
        db_pg_fail(c, res, err);
        PQclear(res);
        return NULL;
    }
    return res;
}

static db_rows *db_pg_query(db *base, const char *sql, int n, const db_val *args, aj_error *err)
{
    PGresult *res = db_pg_run((pg_db *)base, sql, n, args, err);
    if (!res) return NULL;
    pg_rows *r = malloc(sizeof *r);
    if (!r) abort();
    r->base = (db_rows){.c = base};
    r->res = res;
    r->row = -1;
    r->nrows = PQntuples(res);
    return &r->base;
}

static int db_pg_next(db_rows *rb)
{
    pg_rows *r = (pg_rows *)rb;
    if (r->row + 1 >= r->nrows) return 0;
    r->row++;
    return 1;
}

static int db_pg_null(db_rows *rb, int col)
{
    pg_rows *r = (pg_rows *)rb;
    return PQgetisnull(r->res, r->row, col);
}

static const char *db_pg_text(db_rows *rb, int col)
{
    pg_rows *r = (pg_rows *)rb;
    return PQgetvalue(r->res, r->row, col);
}

static int64_t db_pg_int(db_rows *rb, int col)
{
    const char *t = db_pg_text(rb, col);
    if (t[0] == 't' && t[1] == 0) return 1; /* a boolean expression */
    return strtoll(t, NULL, 10);
}

static double pg_real(db_rows *rb, int col) { return strtod(db_pg_text(rb, col), NULL); }

static void db_pg_done(db_rows *rb)
{
    pg_rows *r = (pg_rows *)rb;
    PQclear(r->res);
    free(r);
}

static int64_t db_pg_exec(db *base, const char *sql, int n, const db_val *args, aj_error *err)
{
    PGresult *res = db_pg_run((pg_db *)base, sql, n, args, err);
    if (!res) return err->rc;
    const char *t = PQcmdTuples(res);
    int64_t changes = t && *t ? strtoll(t, NULL, 10) : 0;
    PQclear(res);
    return changes;
}

static int db_pg_script(db *base, const char *sql, aj_error *err)
{
    pg_db *c = (pg_db *)base;
    PGresult *res = PQexec(c->h, sql);
    ExecStatusType st = PQresultStatus(res);
    int rc = 0;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) rc = db_pg_fail(c, res, err);
    PQclear(res);
    return rc;
}

static void db_pg_close(db *base)
{
    pg_db *c = (pg_db *)base;
    for (int i = 0; i < PG_CACHE; i++) free(c->cache[i].sql);
    PQfinish(c->h);
    free(c);
}

static void db_pg_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg; /* NOTICEs (e.g. "relation already exists, skipping") are not errors */
}

static const db_driver pg_driver = {
    .close = db_pg_close,
    .script = db_pg_script,
    .query = db_pg_query,
    .next = db_pg_next,
    .null = db_pg_null,
    .col_int = db_pg_int,
    .col_real = pg_real,
    .col_text = db_pg_text,
    .done = db_pg_done,
    .exec = db_pg_exec,
    .begin_sql = "BEGIN",
};

db *db_pg_open(const char *url, aj_error *err)
{
    pg_db *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->base.drv = &pg_driver;
    c->base.kind = DB_PG;
    c->h = PQconnectdb(url);
    if (PQstatus(c->h) != CONNECTION_OK) {
        aj_fail(err, AJ_EDB, "db", "cannot connect to PostgreSQL: %s", PQerrorMessage(c->h));
        PQfinish(c->h);
        free(c);
        return NULL;
    }
    PQsetNoticeProcessor(c->h, db_pg_notice, NULL);
    /* jit off: the planner prices the ticket list's optional filters high and
     * would spend tens of milliseconds compiling a query that runs in one. */
    if (db_pg_script(&c->base, "SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'; SET jit = off",
                  err)) {
        db_pg_close(&c->base);
        return NULL;
    }
    return &c->base;
}
