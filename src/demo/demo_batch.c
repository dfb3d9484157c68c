/* demo/demo_batch.c: multi-row INSERTs for the demo generators. */
#include "demo/demo_batch.h"

#include <stdio.h>
#include <string.h>

void demo_batch_init(demo_batch *b, db *c, const char *head, const char *row,
                     demo_batch *before)
{
    b->c = c;
    b->head = head;
    b->row = row;
    b->before = before;
    b->n = 0;
    b->per_row = 0;
    b->full[0] = 0;
    for (const char *p = row; *p; p++) b->per_row += *p == '?';
    /* Rows per statement: PostgreSQL pays a round trip per statement; SQLite
     * none, but it binds "$N" by name, a search that grows with the count. */
    b->max = db_kind_of(c) == DB_SQLITE
                 ? b->per_row
                 : DEMO_BATCH_MAXARGS / b->per_row * b->per_row;
}

/* A full batch's text is built once, so the driver finds it prepared. */
int demo_batch_flush(demo_batch *b, aj_error *err)
{
    if (b->before && demo_batch_flush(b->before, err)) return err->rc;
    if (b->n == 0) return 0;
    char part[DEMO_BATCH_SQL] = "", *sql = b->n == b->max ? b->full : part;
    if (!*sql) {
        size_t len = (size_t)snprintf(sql, DEMO_BATCH_SQL, "%s", b->head);
        int k = 0;
        for (int r = 0; r < b->n / b->per_row; r++) {
            for (const char *p = r ? ", " : ""; *p && len < DEMO_BATCH_SQL - 1; p++)
                sql[len++] = *p;
            for (const char *p = b->row; *p && len < DEMO_BATCH_SQL - 16; p++) {
                if (*p == '?')
                    len += (size_t)snprintf(sql + len, DEMO_BATCH_SQL - len, "$%d", ++k);
                else
                    sql[len++] = *p;
            }
        }
        if (len >= DEMO_BATCH_SQL - 16) {
            sql[0] = 0;
            return aj_fail(err, AJ_EDB, NULL, "demo: statement too long");
        }
        sql[len] = 0;
    }
    int64_t rc = db_exec(b->c, sql, b->n, b->args, err);
    b->n = 0;
    return rc < 0 ? (int)rc : 0;
}

int demo_batch_row(demo_batch *b, aj_error *err, int n, const db_val *vals)
{
    if (n != b->per_row) return aj_fail(err, AJ_EDB, NULL, "demo: %d values for %d", n, b->per_row);
    if (b->n + n > b->max && demo_batch_flush(b, err)) return err->rc;
    for (int i = 0; i < n; i++) {
        db_val v = vals[i];
        if (v.t == DBV_TEXT) {
            if (strlen(v.s) >= DEMO_BATCH_TEXT)
                return aj_fail(err, AJ_EDB, NULL, "demo: text too long");
            v.s = strcpy(b->text[b->n + i], v.s);
        }
        b->args[b->n + i] = v;
    }
    b->n += n;
    return 0;
}
