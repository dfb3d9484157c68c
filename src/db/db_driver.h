/* db/db_driver.h: what a driver implements; shared by db.c and the drivers only. */
#ifndef AJ_DB_DRIVER_H
#define AJ_DB_DRIVER_H
#include "db/db.h"

typedef struct db_driver {
    void (*close)(db *c);
    int (*script)(db *c, const char *sql, aj_error *err);
    db_rows *(*query)(db *c, const char *sql, int n, const db_val *args, aj_error *err);
    int (*next)(db_rows *r); /* 1 row, 0 end, or AJ_EDB / AJ_EBUSY / AJ_ECONFLICT */
    int (*null)(db_rows *r, int col);
    int64_t (*col_int)(db_rows *r, int col);
    double (*col_real)(db_rows *r, int col);
    const char *(*col_text)(db_rows *r, int col);
    void (*done)(db_rows *r);
    int64_t (*exec)(db *c, const char *sql, int n, const db_val *args, aj_error *err);
    const char *begin_sql;
    /* Optional (SQLite): the driver runs write transactions itself. */
    int (*begin)(db *c, aj_error *err);
    int (*commit)(db *c, aj_error *err);
    void (*rollback)(db *c);
} db_driver;

struct db {
    const db_driver *drv;
    db_kind kind;
    int in_tx;
    int in_read; /* inside db_read_begin */
};

struct db_rows {
    db *c;
    int failed; /* the AJ_E* code that ended the rows early (db_next, db_end) */
};

/* A failure of the storage itself: noted in the health record, and err
 * filled with rc (AJ_EFULL: the clear 503 message; else AJ_EDB). */
int db_fail_storage(aj_error *err, int rc, const char *reason);

db *db_sqlite_open(const char *path, aj_error *err);
db *db_pg_open(const char *url, aj_error *err);

#endif
