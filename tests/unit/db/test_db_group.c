/* tests/unit/test_db_group.c: SQLite write transactions from several threads,
 * each on its own connection, run on the shared writer and commit in groups
 * (db_sqlite.c): every transaction whose commit returned 0 is there, every
 * one rolled back (by choice or after a unique violation inside it) is not,
 * none is torn, and a read on a thread's own connection after its commit
 * sees its row. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"

#define GROUP_THREADS 6
#define GROUP_TX 150

static char group_url[512];
static atomic_int group_committed;

typedef struct group_arg {
    int id;
    int committed, rolled_back, failed;
} group_arg;

static void *group_worker(void *p)
{
    group_arg *g = p;
    aj_error err = {0};
    db *c = db_open(group_url, &err);
    if (!c) {
        g->failed++;
        return NULL;
    }
    for (int i = 0; i < GROUP_TX; i++) {
        int64_t key = (int64_t)g->id * 100000 + i;
        if (db_begin(c, &err)) {
            g->failed++;
            continue;
        }
        /* Two rows per transaction: a commit brings both, a rollback neither. */
        int bad = db_exec(c, "INSERT INTO t (id, owner) VALUES ($1, $2)",
                          DB_ARGS(DB_INT(key), DB_INT(g->id)), &err) != 1 ||
                  db_exec(c, "INSERT INTO pair (id) VALUES ($1)", DB_ARGS(DB_INT(key)), &err) != 1;
        /* Every 5th meets a unique violation on a row another thread made. */
        if (!bad && i % 5 == 4 &&
            db_exec(c, "INSERT INTO t (id, owner) VALUES (0, $1)", DB_ARGS(DB_INT(g->id)), &err) !=
                AJ_ECONFLICT)
            g->failed++;
        if (bad || i % 5 == 4 || i % 7 == 3) {
            db_rollback(c);
            g->rolled_back++;
            continue;
        }
        if (db_commit(c, &err)) {
            g->failed++;
            continue;
        }
        g->committed++;
        atomic_fetch_add(&group_committed, 1);
        int64_t n = 0;
        if (db_scalar(c, "SELECT COUNT(*) FROM t WHERE id = $1", DB_ARGS(DB_INT(key)), &n, &err) ||
            n != 1)
            g->failed++;
    }
    db_close(c);
    return NULL;
}

Test(db_group, threads_commit_in_groups_and_roll_back_alone)
{
    char dir[] = "/tmp/anju-group-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    snprintf(group_url, sizeof group_url, "sqlite:%s/g.db", dir);
    aj_error err = {0};
    db *c = db_open(group_url, &err);
    cr_assert_not_null(c, "%s", err.message);
    cr_assert_eq(db_script(c,
                           "CREATE TABLE t (id INTEGER PRIMARY KEY, owner INTEGER);"
                           "CREATE TABLE pair (id INTEGER PRIMARY KEY);"
                           "INSERT INTO t (id, owner) VALUES (0, 0)",
                           &err),
                 0, "%s", err.message);
    pthread_t th[GROUP_THREADS];
    group_arg args[GROUP_THREADS] = {0};
    for (int i = 0; i < GROUP_THREADS; i++) {
        args[i].id = i + 1;
        cr_assert_eq(pthread_create(&th[i], NULL, group_worker, &args[i]), 0);
    }
    int committed = 0, rolled = 0;
    for (int i = 0; i < GROUP_THREADS; i++) {
        pthread_join(th[i], NULL);
        cr_assert_eq(args[i].failed, 0, "thread %d: %d failures", i + 1, args[i].failed);
        committed += args[i].committed;
        rolled += args[i].rolled_back;
        int64_t n = -1;
        cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM t WHERE owner = $1",
                               DB_ARGS(DB_INT(i + 1)), &n, &err),
                     0);
        cr_assert_eq(n, args[i].committed, "thread %d: %lld rows, %d commits", i + 1,
                     (long long)n, args[i].committed);
    }
    cr_assert_eq(committed + rolled, GROUP_THREADS * GROUP_TX);
    cr_assert_gt(rolled, 0);
    int64_t n = -1;
    cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM pair", DB_NOARGS, &n, &err), 0);
    cr_assert_eq(n, committed);
    cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM t t1 WHERE id <> 0 AND NOT EXISTS"
                              " (SELECT 1 FROM pair p WHERE p.id = t1.id)",
                           DB_NOARGS, &n, &err),
                 0);
    cr_assert_eq(n, 0, "a transaction was torn");
    /* A new connection (another process would do the same) reads them all. */
    db *d = db_open(group_url, &err);
    cr_assert_not_null(d);
    cr_assert_eq(db_scalar(d, "SELECT COUNT(*) FROM pair", DB_NOARGS, &n, &err), 0);
    cr_assert_eq(n, atomic_load(&group_committed));
    db_close(d);
    db_close(c);
}
