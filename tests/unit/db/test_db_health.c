/* tests/unit/db/test_db_health.c: a write that fails for lack of space is
 * AJ_EFULL (503 with a clear message) on both drivers, it marks the process's
 * storage health degraded (so /readyz answers 503 and /healthz says why), and
 * a rollback with no transaction open logs nothing (issue 11, item 10). */
#include <criterion/criterion.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/core/core_api.h"
#include "base/clock.h"
#include "dbtest.h"

/* fd 2 (where log.c writes) into a file until stderr_end, which returns how
 * many bytes were logged meanwhile. */
static char stderr_path[64];

static int stderr_begin(void)
{
    snprintf(stderr_path, sizeof stderr_path, "/tmp/anju-log-XXXXXX");
    int fd = mkstemp(stderr_path);
    cr_assert_geq(fd, 0);
    fflush(stderr);
    int saved = dup(2);
    dup2(fd, 2);
    close(fd);
    return saved;
}

static long stderr_end(int saved)
{
    struct stat st;
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    cr_assert_eq(stat(stderr_path, &st), 0);
    unlink(stderr_path);
    return (long)st.st_size;
}

/* The status /readyz and /healthz answer on c (their bodies are built from
 * the same db_health record checked below). */
static int probe(void (*fn)(req *), db *c)
{
    req r;
    memset(&r, 0, sizeof r);
    arena_init(&r.a, 1024);
    r.db = c;
    fn(&r);
    int status = r.status;
    if (r.resp) MHD_destroy_response(r.resp);
    arena_free(&r.a);
    return status;
}

/* Makes the next write on c fail as a full disk does. */
static void fill_disk(db *c, db_kind kind)
{
    aj_error err = {0};
    if (kind == DB_SQLITE) {
        /* Inside the transaction, so it applies to the connection that
         * writes (the shared writer); no page may be added from here on. */
        cr_assert_eq(db_script(c, "PRAGMA max_page_count = 1", &err), 0, "%s", err.message);
        return;
    }
    (void)c;
}

static void check_full(db_kind kind)
{
    db *c = dbtest_open(kind);
    aj_error err = {0};
    db_health h;
    db_health_get(&h);
    cr_assert_not(h.degraded);
    cr_assert_eq(h.age_s, -1);
    cr_assert_eq(probe(api_readyz, c), 200);

    cr_assert_eq(db_script(c,
                           kind == DB_SQLITE
                               ? "CREATE TABLE big (v TEXT)"
                               : "CREATE TABLE big (v TEXT);"
                                 "CREATE FUNCTION big_full() RETURNS trigger LANGUAGE plpgsql AS"
                                 " $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left"
                                 " on device' USING ERRCODE = 'disk_full'; END $$;"
                                 "CREATE TRIGGER big_full BEFORE INSERT ON big FOR EACH ROW"
                                 " EXECUTE FUNCTION big_full()",
                           &err),
                 0, "%s", err.message);
    static char blob[256 << 10];
    memset(blob, 'x', sizeof blob - 1);

    /* a plain statement */
    cr_assert_eq(db_begin(c, &err), 0, "%s", err.message);
    fill_disk(c, kind);
    int64_t rc = db_exec(c, "INSERT INTO big (v) VALUES ($1)", DB_ARGS(DB_TEXT(blob)), &err);
    cr_assert_eq(rc, AJ_EFULL, "rc %lld: %s", (long long)rc, err.message);
    cr_assert_eq(aj_error_status(AJ_EFULL), 503);
    cr_assert_str_eq(aj_error_code(AJ_EFULL), "unavailable");
    cr_assert_str_eq(err.message, DB_FULL_MESSAGE);
    /* SQLite has rolled the transaction back by itself: the rollback finds
     * nothing to do and says nothing ("no such savepoint", "cannot rollback
     * - no transaction is active" were the log of the full disk) */
    int saved = stderr_begin();
    db_rollback(c);
    long logged = stderr_end(saved);
    cr_assert_eq(logged, 0, "the rollback after a full disk logged %ld bytes", logged);
    cr_assert_eq(db_begin(c, &err), 0, "the next transaction starts: %s", err.message);
    db_rollback(c);

    /* and one that returns a row (the failure surfaces in db_next/db_end) */
    int64_t id = 0;
    memset(&err, 0, sizeof err);
    cr_assert_eq(db_begin(c, &err), 0, "%s", err.message);
    fill_disk(c, kind);
    cr_assert_eq(db_scalar(c, "INSERT INTO big (v) VALUES ($1) RETURNING 1",
                           DB_ARGS(DB_TEXT(blob)), &id, &err),
                 AJ_EFULL, "%s", err.message);
    cr_assert_str_eq(err.message, DB_FULL_MESSAGE);
    db_rollback(c);

    /* the process knows: degraded with the reason, for the window only */
    db_health_get(&h);
    cr_assert(h.degraded);
    cr_assert_geq(h.failures, 2);
    cr_assert(strstr(h.reason, "disk full"), "%s", h.reason);
    cr_assert_eq(probe(api_readyz, c), 503);
    cr_assert_eq(probe(api_healthz, c), 200, "liveness stays 200 while degraded");
    db_health_get_at(clock_mono_us() + (int64_t)(DB_HEALTH_WINDOW_S + 1) * 1000000, &h);
    cr_assert_not(h.degraded);
    cr_assert_geq(h.failures, 2);
    dbtest_close(c);
}

Test(db_health, full_disk_is_503_sqlite) { check_full(DB_SQLITE); }
Test(db_health, full_disk_is_503_pg) { check_full(DB_PG); }

static void check_rollback_quiet(db_kind kind)
{
    db *c = dbtest_open(kind);
    aj_error err = {0};
    int saved = stderr_begin();
    db_rollback(c); /* nothing open */
    int ok = db_begin(c, &err) == 0 && db_commit(c, &err) == 0;
    db_rollback(c); /* after a commit, as a caller does when its commit failed */
    long logged = stderr_end(saved);
    cr_assert(ok, "%s", err.message);
    cr_assert_eq(logged, 0, "a rollback without a transaction logged %ld bytes", logged);
    dbtest_close(c);
}

Test(db_health, rollback_without_transaction_logs_nothing_sqlite)
{
    check_rollback_quiet(DB_SQLITE);
}
Test(db_health, rollback_without_transaction_logs_nothing_pg) { check_rollback_quiet(DB_PG); }
