/* db/db_migrate.c: versioned schema migrations, each file in its own transaction. */
#include <stdio.h>

#include "base/clock.h"
#include "base/log.h"
#include "db/db.h"

static int db_migrate_ensure_table(db *c, aj_error *err)
{
    return db_script(c,
                     "CREATE TABLE IF NOT EXISTS schema_migrations ("
                     " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
                     err);
}

int db_schema_version(db *c)
{
    int64_t v = 0;
    aj_error err;
    if (db_migrate_ensure_table(c, &err)) return -1;
    if (db_scalar(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", DB_NOARGS, &v,
                  &err))
        return -1;
    return (int)v;
}

int db_migrate(db *c, aj_error *err)
{
    int n;
    const db_schema_file *files = db_schema_files(db_kind_of(c), &n);
    if (db_migrate_ensure_table(c, err)) return err->rc;
    for (int i = 0; i < n; i++) {
        /* Read the version inside the write transaction, so two servers
         * starting at once do not both apply a file. */
        if (db_begin(c, err)) return err->rc;
        int64_t have = 0;
        if (db_scalar(c, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", DB_NOARGS,
                      &have, err)) {
            db_rollback(c);
            return err->rc;
        }
        if (files[i].version <= have) {
            db_rollback(c);
            continue;
        }
        if (db_script(c, files[i].sql, err) < 0 ||
            db_exec(c, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    DB_ARGS(DB_INT(files[i].version), DB_TEXT(files[i].name),
                            DB_INT(clock_now())),
                    err) < 0) {
            log_error("migration %s failed: %s", files[i].name, err->message);
            db_rollback(c);
            return err->rc ? err->rc : AJ_EDB;
        }
        if (db_commit(c, err)) return err->rc;
        log_info("applied migration %s", files[i].name);
    }
    return 0;
}
