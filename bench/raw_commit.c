/* bench/raw_commit.c: the ceiling for durable writes on this disk: single-row
 * SQLite transactions with WAL and synchronous=FULL, as fast as they go.
 * usage: raw_commit DBFILE SECONDS -> prints commits/s */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc < 3) return 2;
    sqlite3 *h;
    if (sqlite3_open(argv[1], &h) != SQLITE_OK) return 1;
    sqlite3_exec(h, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                    "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, name TEXT, at INTEGER)",
                 NULL, NULL, NULL);
    sqlite3_stmt *st;
    sqlite3_prepare_v2(h, "INSERT INTO t (name, at) VALUES (?1, ?2)", -1, &st, NULL);
    double secs = atof(argv[2]), t0 = now(), t;
    long n = 0;
    do {
        sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
        sqlite3_bind_text(st, 1, "住户张三 13800000000", -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, n);
        sqlite3_step(st);
        sqlite3_reset(st);
        sqlite3_exec(h, "COMMIT", NULL, NULL, NULL);
        n++;
        t = now();
    } while (t - t0 < secs);
    printf("%.0f\n", (double)n / (t - t0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return 0;
}
