/* db/db.h: one database interface, two drivers (SQLite, PostgreSQL).
 *
 * SQL is written once, PostgreSQL-style, with $1..$n placeholders and bound
 * values only. Where PostgreSQL cannot infer a parameter's type (e.g.
 * "$2 IS NULL"), write CAST($2 AS BIGINT) or CAST($2 AS TEXT); SQLite accepts
 * the same text. Booleans are INTEGER 0/1 on both backends. */
#ifndef AJ_DB_H
#define AJ_DB_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"

typedef struct db db;
typedef struct db_rows db_rows;

typedef enum { DB_SQLITE, DB_PG } db_kind;
typedef enum { DBV_NULL, DBV_INT, DBV_TEXT, DBV_REAL } db_vtype;

typedef struct db_val {
    db_vtype t;
    int64_t i;
    double d;
    const char *s;
} db_val;

#define DB_INT(x) ((db_val){.t = DBV_INT, .i = (int64_t)(x)})
#define DB_REAL(x) ((db_val){.t = DBV_REAL, .d = (double)(x)})
#define DB_TEXT(x) db_textv(x)
static inline db_val db_textv(const char *s)
{
    return (db_val){.t = s ? DBV_TEXT : DBV_NULL, .s = s};
}
#define DB_NULLV ((db_val){.t = DBV_NULL})
/* An optional integer: NULL unless present. */
#define DB_OPT_INT(present, x) ((present) ? DB_INT(x) : DB_NULLV)
/* Argument list helper: db_query(c, SQL, DB_ARGS(DB_INT(id), DB_TEXT(s)), err) */
#define DB_ARGS(...) (int)(sizeof((db_val[]){__VA_ARGS__}) / sizeof(db_val)), (db_val[]){__VA_ARGS__}
#define DB_NOARGS 0, NULL

/* "sqlite:PATH" or "postgresql://..." (also "postgres://"). NULL on failure. */
db *db_open(const char *url, aj_error *err);
void db_close(db *c);
db_kind db_kind_of(const db *c);
int db_ping(db *c);

/* Write transactions: SQLite takes the write lock at once (BEGIN IMMEDIATE)
 * so a transaction never fails half-way on a lock upgrade. */
int db_begin(db *c, aj_error *err);
int db_commit(db *c, aj_error *err);
void db_rollback(db *c);
int db_in_tx(const db *c); /* a write or a read transaction is open */
int db_writing(const db *c); /* between db_begin and its commit or rollback */
/* Inside a write transaction: a bulk write follows (on) or is over (off). SQLite's writer
 * then keeps up to 64 MB of the transaction's pages in its cache instead of spilling them to
 * the WAL and reading them back (the plans job's first fill), and gives them back after
 * (off); PostgreSQL: nothing. */
int db_bulk(db *c, int on, aj_error *err);

/* A read transaction over several statements (every GET request): on SQLite
 * one set of locks for all of them instead of one per statement, and on both
 * backends one snapshot, so a ticket and its events are read as of one moment.
 * No-op when a transaction is open; db_begin ends it before writing. */
int db_read_begin(db *c, aj_error *err);
void db_read_end(db *c);

/* Runs one statement; the rows stay valid until db_end (or db_done). NULL on
 * error, with err filled.
 *
 * Reading: `while (db_next(r)) {...}` then `if (db_end(r, err)) return err->rc;`.
 * db_next is 1 for a row and 0 when the rows end — at the last row or at a
 * failure (I/O, busy, a unique violation of INSERT ... RETURNING), which the
 * rows keep: db_end closes them and returns it (AJ_EDB: 500, AJ_EBUSY: 503,
 * AJ_ECONFLICT), so a failure mid-read can never pass as a short list or a
 * missing record. db_done closes rows without asking (a path that already
 * fails, or stops reading early on purpose). */
db_rows *db_query(db *c, const char *sql, int n, const db_val *args, aj_error *err);
int db_next(db_rows *r);
int db_end(db_rows *r, aj_error *err);
int db_null(db_rows *r, int col);
int64_t db_int(db_rows *r, int col);
double db_real(db_rows *r, int col);
const char *db_text(db_rows *r, int col); /* "" for NULL; valid until db_next/db_done */
void db_done(db_rows *r);

/* Runs one statement without rows; returns the number of changed rows (>= 0)
 * or a negative AJ_E* code. Unique violations are AJ_ECONFLICT. */
int64_t db_exec(db *c, const char *sql, int n, const db_val *args, aj_error *err);
/* First column of the first row as an integer (e.g. INSERT ... RETURNING id).
 * Returns 0 and *out, AJ_ENOTFOUND when there is no row, or an error. */
int db_scalar(db *c, const char *sql, int n, const db_val *args, int64_t *out, aj_error *err);
/* Several statements separated by ';', no parameters (migrations only). */
int db_script(db *c, const char *sql, aj_error *err);

/* A consistent copy of the database: SQLite's online backup to a file, or
 * pg_dump (custom format) for PostgreSQL. */
int db_backup(db *c, const char *url, const char *out_path, aj_error *err);

/* db_migrate.c */
int db_migrate(db *c, aj_error *err);
int db_schema_version(db *c);
/* Embedded schema files for a backend, in version order (generated at build). */
typedef struct db_schema_file {
    int version;
    const char *name;
    const char *sql;
} db_schema_file;
const db_schema_file *db_schema_files(db_kind k, int *count);

/* Many-to-many links of a page of records in one query (a resident's rooms,
 * a staff member's projects): db_pairs reads the (key, value) integer pairs
 * sql selects, ordered by key then value, into the arena; db_pairs_group then
 * gives each key in ascending order its values (*k is the reading position,
 * start at 0), a block of at least one element, *n of them. */
typedef int64_t db_pair[2];
int db_pairs(db *c, const char *sql, int n, const db_val *args, arena *a, db_pair **pairs,
             size_t *len, aj_error *err);
int64_t *db_pairs_group(const db_pair *pairs, size_t len, size_t *k, int64_t key, arena *a,
                        size_t *n);

/* Storage health, process-wide, for /healthz and /readyz: failures that are
 * the storage's (disk full, I/O errors, a lost connection to PostgreSQL,
 * a blob that could not be written), not a request's (a conflict, a busy
 * lock, bad input). The drivers note them; so may a room that writes files.
 * degraded: one happened within the last DB_HEALTH_WINDOW_S seconds. */
#define DB_HEALTH_WINDOW_S 60
typedef struct db_health {
    int degraded;
    int64_t failures; /* since the process started */
    int64_t age_s;    /* seconds since the last one; -1 when none */
    char reason[160]; /* the last one's, e.g. "disk full (SQLITE_FULL)" */
} db_health;
void db_health_note(const char *reason);
void db_health_get(db_health *out);
/* The same as of a monotonic time (clock_mono_us), for tests of the window. */
void db_health_get_at(int64_t mono_us, db_health *out);
/* The message a write that failed for lack of space answers with (AJ_EFULL, 503). */
#define DB_FULL_MESSAGE "服务器存储空间已满，本次操作未保存；请稍后重试或联系管理员"

/* db_like: "%q%" with LIKE's wildcards in q escaped; use with LIKE $n ESCAPE '\'. */
char *db_like(arena *a, const char *q);

#endif
