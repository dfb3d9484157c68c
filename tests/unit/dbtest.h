/* tests/unit/dbtest.h: fresh databases for unit tests: a SQLite file, or a new
 * database on the PostgreSQL server named by ANJU_TEST_PG (skipped without it). */
#ifndef AJ_DBTEST_H
#define AJ_DBTEST_H
#include "db/db.h"

/* A migrated, empty database; NULL (and the test is skipped) when the backend is absent. */
db *dbtest_open(db_kind kind);
void dbtest_close(db *c);

#endif
