/* tests/unit/dbtest.c: fresh databases for unit tests. */
#include "dbtest.h"

#include "domain/calendar/calendar.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

db *dbtest_open(db_kind kind)
{
    static int seq;
    char url[512];
    aj_error err = {0};
    if (kind == DB_SQLITE) {
        char dir[] = "/tmp/anju-unit-XXXXXX";
        cr_assert_not_null(mkdtemp(dir));
        snprintf(url, sizeof url, "sqlite:%s/t.db", dir);
    } else {
        const char *pg = getenv("ANJU_TEST_PG");
        if (!pg || !*pg) {
            cr_skip_test("ANJU_TEST_PG is not set");
            return NULL;
        }
        db *admin = db_open(pg, &err);
        cr_assert_not_null(admin, "%s", err.message);
        char name[64], sql[128];
        snprintf(name, sizeof name, "unit_%d_%d", (int)getpid(), ++seq);
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
        db_script(admin, sql, &err);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
        cr_assert_eq(db_script(admin, sql, &err), 0, "%s", err.message);
        db_close(admin);
        const char *slash = strrchr(pg, '/');
        snprintf(url, sizeof url, "%.*s/%s", (int)(slash - pg), pg, name);
    }
    db *c = db_open(url, &err);
    cr_assert_not_null(c, "%s", err.message);
    cr_assert_eq(db_migrate(c, &err), 0, "%s", err.message);
    cr_assert_eq(calendar_seed(c, &err), 0, "%s", err.message);
    return c;
}

void dbtest_close(db *c)
{
    if (c) db_close(c);
}
