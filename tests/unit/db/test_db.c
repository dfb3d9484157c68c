/* tests/unit/test_db.c: the db.h contract, the same on both drivers. */
#include <criterion/criterion.h>
#include <string.h>

#include "dbtest.h"

static void db_contract(db_kind kind)
{
    db *c = dbtest_open(kind);
    aj_error err = {0};
    int64_t id = 0, v = 0;
    /* migrations are idempotent */
    cr_assert_eq(db_migrate(c, &err), 0);
    cr_assert_geq(db_schema_version(c), 1);

    const char *evil = "O'Brien \"q\" ; DROP TABLE projects; -- \\ 中文 🏠";
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO projects (code, name, address, created_at, updated_at)"
                           " VALUES ($1, $2, $3, $4, $4) RETURNING id",
                           DB_ARGS(DB_TEXT("C1"), DB_TEXT(evil), DB_TEXT(""), DB_INT(1790755200)),
                           &id, &err),
                 0, "%s", err.message);
    cr_assert_gt(id, 0);

    db_rows *r = db_query(c, "SELECT name, created_at, calendar_id FROM projects WHERE id = $1",
                          DB_ARGS(DB_INT(id)), &err);
    cr_assert_not_null(r);
    cr_assert_eq(db_next(r), 1);
    cr_assert_str_eq(db_text(r, 0), evil);
    cr_assert_eq(db_int(r, 1), 1790755200);
    cr_assert_eq(db_int(r, 2), 1);
    cr_assert_eq(db_next(r), 0);
    db_done(r);

    /* parameters bind by number, whatever order they appear in */
    r = db_query(c, "SELECT CAST($2 AS BIGINT) - CAST($1 AS BIGINT), CAST($3 AS TEXT)",
                 DB_ARGS(DB_INT(5), DB_INT(9000000000000), DB_TEXT(NULL)), &err);
    cr_assert_not_null(r, "%s", err.message);
    cr_assert_eq(db_next(r), 1);
    cr_assert_eq(db_int(r, 0), 8999999999995);
    cr_assert(db_null(r, 1));
    cr_assert_str_eq(db_text(r, 1), "");
    db_done(r);

    /* unique violations are conflicts */
    int rc = db_scalar(c,
                       "INSERT INTO projects (code, name, created_at, updated_at)"
                       " VALUES ($1, $2, 0, 0) RETURNING id",
                       DB_ARGS(DB_TEXT("C1"), DB_TEXT("dup")), &v, &err);
    cr_assert_eq(rc, AJ_ECONFLICT);

    /* a rolled-back transaction leaves nothing; a committed one stays */
    cr_assert_eq(db_begin(c, &err), 0);
    cr_assert_eq(db_exec(c, "UPDATE projects SET name = $1 WHERE id = $2",
                         DB_ARGS(DB_TEXT("changed"), DB_INT(id)), &err),
                 1);
    db_rollback(c);
    cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM projects WHERE name = $1",
                           DB_ARGS(DB_TEXT("changed")), &v, &err),
                 0);
    cr_assert_eq(v, 0);
    cr_assert_eq(db_begin(c, &err), 0);
    db_exec(c, "UPDATE projects SET name = $1 WHERE id = $2", DB_ARGS(DB_TEXT("kept"), DB_INT(id)),
            &err);
    cr_assert_eq(db_commit(c, &err), 0);
    cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM projects WHERE name = $1",
                           DB_ARGS(DB_TEXT("kept")), &v, &err),
                 0);
    cr_assert_eq(v, 1);

    /* LIKE patterns keep % and _ literal */
    arena a;
    arena_init(&a, 1024);
    db_exec(c, "INSERT INTO projects (code, name, created_at, updated_at) VALUES ('C2', '100%_x', 0, 0)",
            DB_NOARGS, &err);
    cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM projects WHERE name LIKE $1 ESCAPE '\\'",
                           DB_ARGS(DB_TEXT(db_like(&a, "%_"))), &v, &err),
                 0);
    cr_assert_eq(v, 1);
    arena_free(&a);

    /* no row is not an error */
    cr_assert_eq(db_scalar(c, "SELECT id FROM projects WHERE code = $1", DB_ARGS(DB_TEXT("none")),
                           &v, &err),
                 AJ_ENOTFOUND);
    /* bad SQL is an error, not a crash */
    cr_assert_null(db_query(c, "SELEKT nonsense", DB_NOARGS, &err));
    cr_assert_eq(db_ping(c), 0);
    dbtest_close(c);
}

Test(db, sqlite_contract) { db_contract(DB_SQLITE); }
Test(db, pg_contract) { db_contract(DB_PG); }

/* The columns of every table, as "table.column" lines in order of name. The
 * search index is each backend's own: FTS5 (ticket_fts and its shadow tables)
 * on SQLite, the bigram table ticket_terms on PostgreSQL. */
static void db_columns(db *c, char *out, size_t n)
{
    aj_error err = {0};
    db_rows *r;
    if (db_kind_of(c) == DB_SQLITE)
        r = db_query(c,
                     "SELECT m.name || '.' || p.name FROM sqlite_master m,"
                     " pragma_table_info(m.name) p WHERE m.type = 'table'"
                     " AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE 'ticket_fts%' ORDER BY 1",
                     DB_NOARGS, &err);
    else
        r = db_query(c,
                     "SELECT table_name || '.' || column_name FROM information_schema.columns"
                     " WHERE table_schema = 'public' AND table_name <> 'ticket_terms' ORDER BY 1",
                     DB_NOARGS, &err);
    cr_assert_not_null(r, "%s", err.message);
    out[0] = 0;
    while (db_next(r) == 1) {
        strncat(out, db_text(r, 0), n - strlen(out) - 2);
        strcat(out, "\n");
    }
    db_done(r);
}

Test(db, schemas_have_the_same_tables_and_columns)
{
    static char a[65536], b[65536];
    db *s = dbtest_open(DB_SQLITE);
    db *p = dbtest_open(DB_PG);
    db_columns(s, a, sizeof a);
    db_columns(p, b, sizeof b);
    cr_assert_gt(strlen(a), 100);
    cr_assert_str_eq(a, b);
    cr_assert_eq(db_schema_version(s), db_schema_version(p));
    dbtest_close(s);
    dbtest_close(p);
}

/* A statement that fails after some rows (issue 10): db_next ends the rows,
 * db_end reports the failure (500), and a list built on them is an error, not
 * a short 200. The failure is real SQLite: abs() of the smallest integer
 * raises "integer overflow" when the third row is stepped. */
#include "domain/org/org.h"

Test(db, failure_mid_read_is_an_error)
{
    db *c = dbtest_open(DB_SQLITE);
    aj_error err = {0};
    db_rows *r = db_query(c,
                          "SELECT abs(CASE WHEN x = 3 THEN -9223372036854775808 ELSE x END)"
                          " FROM (SELECT 1 AS x UNION ALL SELECT 2 UNION ALL SELECT 3"
                          " UNION ALL SELECT 4)",
                          DB_NOARGS, &err);
    cr_assert_not_null(r, "%s", err.message);
    int rows = 0;
    while (db_next(r)) rows++;
    cr_assert_eq(rows, 2);
    cr_assert_eq(db_next(r), 0, "a failed statement stays ended");
    cr_assert_eq(db_end(r, &err), AJ_EDB);
    cr_assert_eq(aj_error_status(err.rc), 500);
    cr_assert_str_eq(aj_error_code(err.rc), "internal");

    /* The same through the domain: three projects, the third unreadable. */
    for (int i = 1; i <= 3; i++) {
        int64_t id;
        cr_assert_eq(db_scalar(c,
                               "INSERT INTO projects (code, name, created_at, updated_at)"
                               " VALUES ($1, $1, 0, 0) RETURNING id",
                               DB_ARGS(DB_TEXT(i == 1 ? "P1" : i == 2 ? "P2" : "P3")), &id,
                               &err),
                     0, "%s", err.message);
    }
    cr_assert_eq(db_script(c,
                           "ALTER TABLE projects RENAME TO projects_t;"
                           " CREATE VIEW projects AS SELECT * FROM projects_t WHERE"
                           " abs(CASE WHEN code = 'P3' THEN -9223372036854775808 ELSE 0 END) = 0",
                           &err),
                 0, "%s", err.message);
    actor admin = actor_system("test");
    project_filter f = {.active = -1};
    page_req pg = {.limit = 50};
    arena a;
    arena_init(&a, 4096);
    project *items = NULL;
    size_t n = 0;
    int more = 0;
    int64_t total = 0;
    memset(&err, 0, sizeof err);
    int rc = project_list(c, &admin, &f, &pg, &a, &items, &n, &more, &total, &err);
    cr_assert_eq(rc, AJ_EDB, "a failed read must not be a short list (got %d with %zu rows)", rc,
                 n);
    cr_assert_eq(aj_error_status(err.rc), 500);
    arena_free(&a);
    dbtest_close(c);
}

/* Busy is its own answer: 503 with Retry-After (http/req.c), not 500. */
Test(db, busy_is_unavailable)
{
    cr_assert_eq(aj_error_status(AJ_EBUSY), 503);
    cr_assert_str_eq(aj_error_code(AJ_EBUSY), "unavailable");
}
