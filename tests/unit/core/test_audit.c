/* tests/unit/core/test_audit.c: the audit chain against someone who can write the database
 * but not the data directory: an edited row rechained with plain SHA-256, a tail cut off
 * with the head rewritten, the last row deleted, a forged checkpoint; a database from
 * before the key; the key files' modes; checkpoints every N rows or minute. Both backends. */
#include <criterion/criterion.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dbtest.h"
#include "domain/core/audit.h"

static char dir[64];

static void setup(void)
{
    cr_assert_geq(sodium_init(), 0);
    snprintf(dir, sizeof dir, "/tmp/anju-audit-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    audit_key_dir(dir);
}

static void append(db *c, int n)
{
    aj_error err = {0};
    actor who = {.id = 3, .role = ROLE_ADMIN, .ip = "127.0.0.1", .request_id = "r1"};
    for (int i = 0; i < n; i++) {
        json_t *ch = json_pack("{s:i}", "n", i);
        cr_assert_eq(db_begin(c, &err), 0, "%s", err.message);
        cr_assert_eq(audit_append(c, &who, "update", "project", 1, ch, &err), 0, "%s", err.message);
        cr_assert_eq(db_commit(c, &err), 0, "%s", err.message);
        json_decref(ch);
    }
}

static void checkpoint(db *c)
{
    aj_error err = {0};
    cr_assert_eq(audit_checkpoint(c, &err), 0, "%s", err.message);
}

static int verify(db *c, int64_t *bad, char *msg, size_t n)
{
    int64_t rows;
    return audit_verify(c, &rows, bad, msg, n);
}

static void sql(db *c, const char *q)
{
    aj_error err = {0};
    cr_assert_geq(db_exec(c, q, DB_NOARGS, &err), 0, "%s: %s", q, err.message);
}

static int lines_of(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    int n = 0;
    for (int ch; (ch = fgetc(f)) != EOF;) n += ch == '\n';
    fclose(f);
    return n;
}

/* The plain SHA-256 of a row as the code before the key wrote it, and as anyone who reads
 * the source can recompute it: the attacker's tool, and the rows of an old database. */
static void plain_hash(const char *prev, int64_t seq, int64_t at, int64_t actor_id,
                       const char *action, const char *entity, int64_t entity_id, const char *ip,
                       const char *rid, const char *change, char out[65])
{
    crypto_hash_sha256_state st;
    char num[96];
    const char *parts[] = {prev, action, entity, ip, rid, change};
    crypto_hash_sha256_init(&st);
    snprintf(num, sizeof num, "%" PRId64 "|%" PRId64 "|%" PRId64 "|%" PRId64 "|", seq, at,
             actor_id, entity_id);
    crypto_hash_sha256_update(&st, (const unsigned char *)num, strlen(num));
    for (size_t i = 0; i < 6; i++) {
        snprintf(num, sizeof num, "%zu:", strlen(parts[i]));
        crypto_hash_sha256_update(&st, (const unsigned char *)num, strlen(num));
        crypto_hash_sha256_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
    }
    unsigned char h[32];
    crypto_hash_sha256_final(&st, h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

/* Recomputes every row's hash from row `from` on with plain SHA-256 (prefix: written as
 * "h1:" + the SHA, or bare), relinks prev_hash and sets the head to match. */
static void rechain_plain(db *c, int64_t from, const char *prefix)
{
    aj_error err = {0};
    char prev[80] = "";
    db_rows *r = db_query(c,
                          "SELECT seq, at, COALESCE(actor_id, 0), action, entity,"
                          " COALESCE(entity_id, 0), ip, request_id, change, hash"
                          " FROM audit_log ORDER BY seq",
                          DB_NOARGS, &err);
    cr_assert_not_null(r);
    struct {
        int64_t seq;
        char prev[80], hash[80];
    } out[64];
    int n = 0;
    while (db_next(r)) {
        int64_t seq = db_int(r, 0);
        char h[65], full[80];
        if (seq < from) {
            snprintf(prev, sizeof prev, "%s", db_text(r, 9));
            continue;
        }
        plain_hash(prev, seq, db_int(r, 1), db_int(r, 2), db_text(r, 3), db_text(r, 4),
                   db_int(r, 5), db_text(r, 6), db_text(r, 7), db_text(r, 8), h);
        snprintf(full, sizeof full, "%s%s", prefix, h);
        cr_assert_lt(n, 64);
        out[n].seq = seq;
        snprintf(out[n].prev, sizeof out[n].prev, "%s", prev);
        snprintf(out[n].hash, sizeof out[n].hash, "%s", full);
        n++;
        snprintf(prev, sizeof prev, "%s", full);
    }
    cr_assert_eq(db_end(r, &err), 0);
    for (int i = 0; i < n; i++)
        cr_assert_geq(db_exec(c, "UPDATE audit_log SET prev_hash = $1, hash = $2 WHERE seq = $3",
                              DB_ARGS(DB_TEXT(out[i].prev), DB_TEXT(out[i].hash),
                                      DB_INT(out[i].seq)),
                              &err),
                      0);
    cr_assert_geq(db_exec(c,
                          "UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_log),"
                          " last_hash = $1 WHERE id = 1",
                          DB_ARGS(DB_TEXT(prev)), &err),
                  0);
}

/* Deletes the rows after keep and sets the head to row keep, as a careful attacker would. */
static void truncate_to(db *c, int64_t keep)
{
    aj_error err = {0};
    cr_assert_geq(db_exec(c, "DELETE FROM audit_log WHERE seq > $1", DB_ARGS(DB_INT(keep)), &err),
                  0);
    cr_assert_geq(db_exec(c,
                          "UPDATE audit_head SET seq = $1, last_hash ="
                          " (SELECT hash FROM audit_log WHERE seq = $1) WHERE id = 1",
                          DB_ARGS(DB_INT(keep)), &err),
                  0, "%s", err.message);
}

static void intact(db_kind k)
{
    db *c = dbtest_open(k);
    int64_t rows, bad;
    char msg[256];
    checkpoint(c); /* as serve does at start */
    append(c, 5);
    checkpoint(c);
    append(c, 2);
    cr_assert_eq(audit_verify(c, &rows, &bad, msg, sizeof msg), 0, "%s", msg);
    cr_assert_eq(rows, 7);
    cr_assert(strstr(msg, "7 rows intact"), "%s", msg);
    /* every row is an HMAC under the key, none a plain hash */
    int64_t plain = -1;
    aj_error err = {0};
    cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM audit_log WHERE hash NOT LIKE 'h1:%'",
                           DB_NOARGS, &plain, &err),
                 0);
    cr_assert_eq(plain, 0);
    dbtest_close(c);
}
Test(audit, intact_log_verifies, .init = setup) { intact(DB_SQLITE); }
Test(audit, intact_log_verifies_pg, .init = setup) { intact(DB_PG); }

static void rechained(db_kind k)
{
    db *c = dbtest_open(k);
    int64_t bad;
    char msg[256];
    checkpoint(c);
    append(c, 5);
    /* row 3 edited, then rows 3..5 rechained with SHA-256 under the "h1:" marker */
    sql(c, "UPDATE audit_log SET change = '{\"n\":99}' WHERE seq = 3");
    rechain_plain(c, 3, "h1:");
    cr_assert_eq(verify(c, &bad, msg, sizeof msg), 1, "%s", msg);
    cr_assert_eq(bad, 3);
    cr_assert(strstr(msg, "row 3 was altered"), "%s", msg);
    /* the whole log rechained as plain rows from before the key: a downgrade */
    rechain_plain(c, 1, "");
    cr_assert_eq(verify(c, &bad, msg, sizeof msg), 1, "%s", msg);
    cr_assert_eq(bad, 1, "%s", msg);
    cr_assert(strstr(msg, "row 1 was altered"), "%s", msg);
    dbtest_close(c);
}
Test(audit, edited_and_rechained_row_is_found, .init = setup) { rechained(DB_SQLITE); }
Test(audit, edited_and_rechained_row_is_found_pg, .init = setup) { rechained(DB_PG); }

static void truncated(db_kind k)
{
    db *c = dbtest_open(k);
    int64_t bad;
    char msg[256];
    checkpoint(c);
    append(c, 6);
    checkpoint(c);
    truncate_to(c, 4);
    cr_assert_eq(verify(c, &bad, msg, sizeof msg), 1, "%s", msg);
    cr_assert_eq(bad, 5);
    cr_assert_str_eq(msg, "rows after 4 were removed: the last checkpoint says 6");
    dbtest_close(c);
}
Test(audit, truncated_tail_with_head_rewritten, .init = setup) { truncated(DB_SQLITE); }
Test(audit, truncated_tail_with_head_rewritten_pg, .init = setup) { truncated(DB_PG); }

static void deleted_head(db_kind k)
{
    db *c = dbtest_open(k);
    int64_t bad;
    char msg[256];
    checkpoint(c);
    append(c, 5);
    checkpoint(c);
    /* the last row alone, the head left: the head shows it */
    sql(c, "DELETE FROM audit_log WHERE seq = 5");
    cr_assert_eq(verify(c, &bad, msg, sizeof msg), 1, "%s", msg);
    cr_assert_eq(bad, 5);
    cr_assert_str_eq(msg, "row 5 was removed");
    /* and the head rewritten to row 4: the checkpoint shows it */
    truncate_to(c, 4);
    cr_assert_eq(verify(c, &bad, msg, sizeof msg), 1, "%s", msg);
    cr_assert_eq(bad, 5);
    cr_assert_str_eq(msg, "rows after 4 were removed: the last checkpoint says 5");
    dbtest_close(c);
}
Test(audit, deleted_head_row_is_found, .init = setup) { deleted_head(DB_SQLITE); }
Test(audit, deleted_head_row_is_found_pg, .init = setup) { deleted_head(DB_PG); }

/* A database from before the key: its plain rows verify the old way, new rows chain on
 * them under the key, and the first checkpoint pins the last plain hash. */
static void legacy(db_kind k)
{
    db *c = dbtest_open(k);
    aj_error err = {0};
    int64_t rows, bad;
    char msg[256], prev[65] = "", h[65];
    for (int64_t seq = 1; seq <= 3; seq++) {
        char ch[16];
        snprintf(ch, sizeof ch, "{\"n\":%d}", (int)seq);
        plain_hash(prev, seq, 1700000000 + seq, 3, "update", "project", 1, "10.0.0.1", "old", ch,
                   h);
        cr_assert_geq(db_exec(c,
                              "INSERT INTO audit_log (seq, at, actor_id, action, entity, entity_id,"
                              " ip, request_id, change, prev_hash, hash) VALUES ($1, $2, 3,"
                              " 'update', 'project', 1, '10.0.0.1', 'old', $3, $4, $5)",
                              DB_ARGS(DB_INT(seq), DB_INT(1700000000 + seq), DB_TEXT(ch),
                                      DB_TEXT(prev), DB_TEXT(h)),
                              &err),
                      0, "%s", err.message);
        memcpy(prev, h, sizeof prev);
    }
    cr_assert_geq(db_exec(c, "UPDATE audit_head SET seq = 3, last_hash = $1 WHERE id = 1",
                          DB_ARGS(DB_TEXT(prev)), &err),
                  0);
    /* no key yet: the old chain alone verifies, and verify makes no key */
    cr_assert_eq(audit_verify(c, &rows, &bad, msg, sizeof msg), 0, "%s", msg);
    cr_assert_eq(rows, 3);
    char keypath[128];
    snprintf(keypath, sizeof keypath, "%s/audit.key", dir);
    cr_assert_neq(access(keypath, F_OK), 0);
    checkpoint(c); /* the start after the upgrade: makes the key, pins row 3 */
    append(c, 2);
    cr_assert_eq(audit_verify(c, &rows, &bad, msg, sizeof msg), 0, "%s", msg);
    cr_assert_eq(rows, 5);
    /* an old row edited and the plain part rechained: the checkpoint of row 3 differs */
    sql(c, "UPDATE audit_log SET ip = '10.6.6.6' WHERE seq = 2");
    rechain_plain(c, 2, "");
    cr_assert_eq(verify(c, &bad, msg, sizeof msg), 1, "%s", msg);
    cr_assert_eq(bad, 3, "%s", msg);
    cr_assert(strstr(msg, "row 3 was altered"), "%s", msg);
    dbtest_close(c);
}
Test(audit, rows_from_before_the_key_verify_the_old_way, .init = setup) { legacy(DB_SQLITE); }
Test(audit, rows_from_before_the_key_verify_the_old_way_pg, .init = setup) { legacy(DB_PG); }

/* The edit and removal checks the plain chain had still hold under the key. */
Test(audit, chain_detects_edits_and_removals, .init = setup)
{
    db *c = dbtest_open(DB_SQLITE);
    aj_error err = {0};
    int64_t rows, bad;
    char msg[256];
    append(c, 5);
    cr_assert_eq(audit_verify(c, &rows, &bad, msg, sizeof msg), 0, "%s", msg);
    cr_assert_eq(rows, 5);
    db_exec(c, "UPDATE audit_log SET ip = '10.9.9.9' WHERE seq = 4", DB_NOARGS, &err);
    cr_assert_eq(audit_verify(c, &rows, &bad, msg, sizeof msg), 1);
    cr_assert_eq(bad, 4);
    db_exec(c, "DELETE FROM audit_log WHERE seq = 2", DB_NOARGS, &err);
    cr_assert_eq(audit_verify(c, &rows, &bad, msg, sizeof msg), 1);
    cr_assert_eq(bad, 2);
    cr_assert(strstr(msg, "removed"));
    dbtest_close(c);
}

Test(audit, forged_checkpoint_line_is_found, .init = setup)
{
    db *c = dbtest_open(DB_SQLITE);
    int64_t bad;
    char msg[256], path[128];
    checkpoint(c);
    append(c, 2);
    checkpoint(c);
    /* a checkpoint claiming more rows, signed by some other key */
    snprintf(path, sizeof path, "%s/audit.checkpoints", dir);
    FILE *f = fopen(path, "a");
    cr_assert_not_null(f);
    fprintf(f, "v1 9 1700000000 h1:%064d %0128d\n", 0, 0);
    fclose(f);
    cr_assert_eq(verify(c, &bad, msg, sizeof msg), 1, "%s", msg);
    cr_assert_str_eq(msg, "checkpoint line 3 is not signed by this server's key");
    dbtest_close(c);
}

Test(audit, key_files_are_private_and_needed, .init = setup)
{
    db *c = dbtest_open(DB_SQLITE);
    aj_error err = {0};
    char path[128], msg[256];
    int64_t bad;
    struct stat st;
    cr_assert_eq(audit_key_open(&err), 0, "%s", err.message);
    snprintf(path, sizeof path, "%s/audit.key", dir);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(st.st_size, 32);
    snprintf(path, sizeof path, "%s/audit.sign", dir);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    append(c, 2);
    /* a key others can read is refused (loaded again, as a new process would: another
     * name of the directory makes audit_key_dir forget the keys it holds) */
    char again[80];
    snprintf(again, sizeof again, "%s/.", dir);
    snprintf(path, sizeof path, "%s/audit.key", dir);
    cr_assert_eq(chmod(path, 0644), 0);
    audit_key_dir(again);
    cr_assert_neq(audit_key_open(&err), 0);
    cr_assert(strstr(err.message, "chmod 600"), "%s", err.message);
    /* no key: HMAC rows cannot be checked, and verify says so instead of "intact" */
    cr_assert_eq(unlink(path), 0);
    audit_key_dir(dir);
    cr_assert_lt(verify(c, &bad, msg, sizeof msg), 0);
    cr_assert(strstr(msg, "cannot check"), "%s", msg);
    dbtest_close(c);
}

Test(audit, checkpoints_every_n_rows_or_minute, .init = setup)
{
    db *c = dbtest_open(DB_SQLITE);
    aj_error err = {0};
    cr_assert_eq(audit_checkpoint_tick(c, 1000, &err), 0, "%s", err.message); /* first: due */
    cr_assert_eq(lines_of("audit.checkpoints"), 1);
    append(c, 1);
    cr_assert_eq(audit_checkpoint_tick(c, 1030, &err), 0);
    cr_assert_eq(lines_of("audit.checkpoints"), 1); /* one row, half a minute: not due */
    cr_assert_eq(audit_checkpoint_tick(c, 1060, &err), 0);
    cr_assert_eq(lines_of("audit.checkpoints"), 2); /* a minute */
    cr_assert_eq(audit_checkpoint_tick(c, 1200, &err), 0);
    cr_assert_eq(lines_of("audit.checkpoints"), 2); /* due, but the head has not moved */
    /* AUDIT_CHECKPOINT_ROWS rows (one transaction, to keep it quick) make one due at once */
    actor who = actor_system("test");
    cr_assert_eq(db_begin(c, &err), 0);
    for (int i = 0; i < AUDIT_CHECKPOINT_ROWS; i++)
        cr_assert_eq(audit_append(c, &who, "touch", "project", 1, NULL, &err), 0);
    cr_assert_eq(db_commit(c, &err), 0);
    cr_assert_eq(audit_checkpoint_tick(c, 1201, &err), 0);
    cr_assert_eq(lines_of("audit.checkpoints"), 3);
    /* never of a head that may yet roll back */
    cr_assert_eq(db_begin(c, &err), 0);
    cr_assert_neq(audit_checkpoint(c, &err), 0);
    db_rollback(c);
    int64_t rows, bad;
    char msg[256];
    cr_assert_eq(audit_verify(c, &rows, &bad, msg, sizeof msg), 0, "%s", msg);
    cr_assert_eq(rows, 1 + AUDIT_CHECKPOINT_ROWS);
    dbtest_close(c);
}
