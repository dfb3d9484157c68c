/* demo/demo_batch.h: multi-row INSERTs for the demo generators (demo.c,
 * demo_tickets.c): one statement per row would be tens of thousands of round
 * trips on PostgreSQL. Text values are copied, so callers may pass scratch
 * buffers. */
#ifndef AJ_DEMO_BATCH_H
#define AJ_DEMO_BATCH_H
#include "db/db.h"

/* db_pg.c binds at most 64 parameters per statement: batches stay within it. */
#define DEMO_BATCH_MAXARGS 64
#define DEMO_BATCH_TEXT 256
#define DEMO_BATCH_SQL 4096

typedef struct demo_batch {
    db *c;
    const char *head;          /* "INSERT INTO t (a, b) VALUES " */
    const char *row;           /* "(?, ?, 1)": each ? is the next parameter */
    int per_row, n, max;       /* parameters per row, held, held at most */
    struct demo_batch *before; /* rows our subqueries look up: flushed first */
    db_val args[DEMO_BATCH_MAXARGS];
    char text[DEMO_BATCH_MAXARGS][DEMO_BATCH_TEXT];
    char full[DEMO_BATCH_SQL]; /* the SQL of a full batch, once built */
} demo_batch;

void demo_batch_init(demo_batch *b, db *c, const char *head, const char *row,
                     demo_batch *before);
/* Sends the rows held (after those of b->before). */
int demo_batch_flush(demo_batch *b, aj_error *err);
/* One row of n values (n must be the row's parameter count); flushes when full. */
int demo_batch_row(demo_batch *b, aj_error *err, int n, const db_val *vals);
#define DEMO_ROW(b, err, ...) demo_batch_row((b), (err), DB_ARGS(__VA_ARGS__))

#endif
