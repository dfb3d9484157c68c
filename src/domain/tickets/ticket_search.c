/* domain/tickets/ticket_search.c: full-text search terms of tickets: character bigrams.
 *
 * Why bigrams: the common query is a two-character Chinese word (漏水, 停电,
 * 噪音), which trigram indexes (SQLite FTS5 trigram, PostgreSQL pg_trgm) cannot
 * look up. Every substring of two or more characters of a text contains only
 * bigrams of that text, so the postings of a query's bigrams hold every match;
 * a LIKE on the few candidates confirms it. Where they are kept differs by
 * backend, for write cost (see 004_tickets.sql): an FTS5 table of the bigrams
 * on SQLite, a (term, ticket) table on PostgreSQL; ticket_list.c reads both.
 * A create only queues its ticket (search_pending): indexing many tickets in
 * one transaction writes one FTS segment for all of them, where one per create
 * was a third of its cost; the queue is emptied before every search. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "domain/tickets/ticket.h"

/* Decodes one UTF-8 code point at s (valid UTF-8: jansson checked it). */
static size_t ticket_search_cp(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    if ((s[0] & 0xE0) == 0xC0 && s[1]) {
        *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
        return 2;
    }
    if ((s[0] & 0xF0) == 0xE0 && s[1] && s[2]) {
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    if ((s[0] & 0xF8) == 0xF0 && s[1] && s[2] && s[3]) {
        *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
              ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
        return 4;
    }
    *cp = 0xFFFD;
    return 1;
}

/* Spaces and punctuation, ASCII and CJK/full-width, break runs. */
static int ticket_search_is_sep(uint32_t cp)
{
    if (cp < 0x80)
        return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
    return (cp >= 0x2000 && cp <= 0x206F) || /* general punctuation: “” — … */
           (cp >= 0x3000 && cp <= 0x303F) || /* CJK symbols: 、。「」【】 */
           (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
           (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
           cp == 0x00A0 || cp == 0x00B7 || cp == 0xFFFD;
}

static int ticket_search_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

size_t ticket_search_terms(const char *text, arena *a, const char ***terms, size_t max)
{
    size_t len = text ? strlen(text) : 0, n = 0, cap = max * 4 + 1;
    const char **out = arena_alloc(a, cap * sizeof(char *));
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    const unsigned char *prev = NULL; /* the previous code point of this run */
    size_t prev_len = 0;
    for (size_t i = 0; i < len && n < cap;) {
        uint32_t cp;
        size_t k = ticket_search_cp(s + i, &cp);
        if (ticket_search_is_sep(cp)) {
            prev = NULL;
        } else {
            if (prev) {
                char *t = arena_alloc(a, prev_len + k + 1);
                memcpy(t, prev, prev_len);
                memcpy(t + prev_len, s + i, k);
                for (size_t j = 0; j < prev_len + k; j++)
                    if (t[j] >= 'A' && t[j] <= 'Z') t[j] = (char)(t[j] - 'A' + 'a');
                out[n++] = t;
            }
            prev = s + i;
            prev_len = k;
        }
        i += k;
    }
    qsort(out, n, sizeof(char *), ticket_search_cmp);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!m || strcmp(out[m - 1], out[i]) != 0) out[m++] = out[i];
    *terms = out;
    return m < max ? m : max;
}

/* A long description indexes at most a thousand distinct bigrams (of its first
 * four thousand): the write stays bounded, and what people search for is said early. */
#define SEARCH_MAX_TERMS 1000
#define SEARCH_BATCH 32

/* PostgreSQL: up to 32 terms per statement (a round trip per term would
 * dominate a create). Unused slots are NULL and skipped. */
#define SEARCH_V(n) "(CAST($" #n " AS TEXT))"
static const char search_insert_sql[] =
    "INSERT INTO ticket_terms (term, ticket_id) SELECT column1, CAST($33 AS BIGINT) FROM (VALUES "
    SEARCH_V(1) "," SEARCH_V(2) "," SEARCH_V(3) "," SEARCH_V(4) "," SEARCH_V(5) "," SEARCH_V(6) ","
    SEARCH_V(7) "," SEARCH_V(8) "," SEARCH_V(9) "," SEARCH_V(10) "," SEARCH_V(11) "," SEARCH_V(12) ","
    SEARCH_V(13) "," SEARCH_V(14) "," SEARCH_V(15) "," SEARCH_V(16) "," SEARCH_V(17) ","
    SEARCH_V(18) "," SEARCH_V(19) "," SEARCH_V(20) "," SEARCH_V(21) "," SEARCH_V(22) ","
    SEARCH_V(23) "," SEARCH_V(24) "," SEARCH_V(25) "," SEARCH_V(26) "," SEARCH_V(27) ","
    SEARCH_V(28) "," SEARCH_V(29) "," SEARCH_V(30) "," SEARCH_V(31) "," SEARCH_V(32)
    ") AS v WHERE column1 IS NOT NULL";

int ticket_search_index(db *c, int64_t ticket_id, const char *title, const char *description,
                        arena *a, aj_error *err)
{
    const char *text = arena_printf(a, "%s\n%s", title, description ? description : "");
    const char **terms;
    size_t n = ticket_search_terms(text, a, &terms, SEARCH_MAX_TERMS);
    if (db_kind_of(c) == DB_SQLITE) {
        /* One FTS5 row: the terms separated by spaces (see 004_tickets.sql). */
        buf b;
        buf_init(&b, a);
        for (size_t i = 0; i < n; i++) {
            if (i) buf_putc(&b, ' ');
            buf_puts(&b, terms[i]);
        }
        int64_t rc = db_exec(c, "INSERT INTO ticket_fts (rowid, terms) VALUES ($1, $2)",
                             DB_ARGS(DB_INT(ticket_id), DB_TEXT(b.s ? b.s : "")), err);
        return rc < 0 ? (int)rc : 0;
    }
    for (size_t i = 0; i < n; i += SEARCH_BATCH) {
        db_val args[SEARCH_BATCH + 1];
        for (size_t k = 0; k < SEARCH_BATCH; k++)
            args[k] = i + k < n ? DB_TEXT(terms[i + k]) : DB_NULLV;
        args[SEARCH_BATCH] = DB_INT(ticket_id);
        if (db_exec(c, search_insert_sql, SEARCH_BATCH + 1, args, err) < 0) return err->rc;
    }
    return 0;
}

int ticket_search_enqueue(db *c, int64_t ticket_id, aj_error *err)
{
    int64_t n = db_exec(c, "INSERT INTO search_pending (ticket_id) VALUES ($1)",
                        DB_ARGS(DB_INT(ticket_id)), err);
    return n < 0 ? (int)n : 0;
}

#define SEARCH_CATCH_UP_BATCH 500

/* One batch: up to SEARCH_CATCH_UP_BATCH queued tickets indexed and dequeued
 * in one transaction (one FTS segment for all of them). *left: more queued. */
static int ticket_search_catch_up_batch(db *c, arena *a, int *left, aj_error *err)
{
    *left = 0;
    if (db_begin(c, err)) return err->rc;
    db_rows *r = db_query(c,
                          "SELECT t.id, t.title, t.description FROM search_pending p"
                          " JOIN tickets t ON t.id = p.ticket_id ORDER BY p.ticket_id LIMIT $1",
                          DB_ARGS(DB_INT(SEARCH_CATCH_UP_BATCH + 1)), err);
    if (!r) goto fail;
    int64_t ids[SEARCH_CATCH_UP_BATCH];
    const char *titles[SEARCH_CATCH_UP_BATCH], *descs[SEARCH_CATCH_UP_BATCH];
    size_t n = 0;
    while (db_next(r)) {
        if (n == SEARCH_CATCH_UP_BATCH) {
            *left = 1;
            break;
        }
        ids[n] = db_int(r, 0);
        titles[n] = arena_strdup(a, db_text(r, 1));
        descs[n] = arena_strdup(a, db_text(r, 2));
        n++;
    }
    if (db_end(r, err)) goto fail;
    for (size_t i = 0; i < n; i++)
        if (ticket_search_index(c, ids[i], titles[i], descs[i], a, err)) goto fail;
    if (n && db_exec(c, "DELETE FROM search_pending WHERE ticket_id <= $1",
                     DB_ARGS(DB_INT(ids[n - 1])), err) < 0)
        goto fail;
    return db_commit(c, err);
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

int ticket_search_catch_up(db *c, aj_error *err)
{
    if (db_writing(c)) return 0; /* cannot nest: the caller's write comes first */
    int64_t one = 0;
    int rc = db_scalar(c, "SELECT 1 FROM search_pending LIMIT 1", DB_NOARGS, &one, err);
    if (rc == AJ_ENOTFOUND) return 0; /* the usual case: nothing queued */
    if (rc) return rc;
    int reading = db_in_tx(c);
    arena a;
    arena_init(&a, 65536);
    int left = 1;
    while (left && !rc) {
        rc = ticket_search_catch_up_batch(c, &a, &left, err);
        arena_reset(&a);
    }
    arena_free(&a);
    if (!rc && reading) rc = db_read_begin(c, err);
    return rc;
}
