/* domain/tickets/ticket_list.c: the ticket list: filters, search and cursor paging,
 * newest first, fast at a million tickets on both backends.
 *
 * The filters are bound parameters that are NULL (or 0) when not used, so one
 * SQL text holds them all; what differs between the texts below is only the
 * condition that drives the scan, picked for the most selective filter given:
 * a room's tickets, a piece of equipment's, the running clocks past due, a search term's postings, an
 * assignee's tickets, a project's queue by status, or else all tickets
 * backwards by id (cheap when the filters are common: LIMIT stops it early). */
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/tickets/category.h"
#include "domain/tickets/ticket_sql.h"

/* $4 project, $5 kind, $6..$13 statuses, $14 priority, $15 assignee, $16 room,
 * $17 category (or its children), $18 now for overdue, $19/$20 reported_at
 * range, $21..$24 words (LIKE patterns, all must match), $25 id below,
 * $26 equipment. */
#define TL_WORD(n)                                                                             \
    " AND (CAST($" #n " AS TEXT) IS NULL OR LOWER(t.title) LIKE $" #n " ESCAPE '\\'"          \
    "      OR LOWER(t.description) LIKE $" #n " ESCAPE '\\')"
#define TL_FILTER                                                                              \
    " AND" TICKET_SCOPE                                                                        \
    " AND (CAST($4 AS BIGINT) = 0 OR t.project_id = $4)"                                       \
    " AND (CAST($5 AS TEXT) IS NULL OR t.kind = $5)"                                           \
    " AND (CAST($6 AS TEXT) IS NULL OR t.status IN ($6, $7, $8, $9, $10, $11, $12, $13))"      \
    " AND (CAST($14 AS TEXT) IS NULL OR t.priority = $14)"                                     \
    " AND (CAST($15 AS BIGINT) = 0 OR t.assignee_id = $15)"                                    \
    " AND (CAST($16 AS BIGINT) = 0 OR t.room_id = $16)"                                        \
    " AND (CAST($17 AS BIGINT) = 0 OR t.category_id = $17"                                     \
    "      OR t.category_id IN (SELECT cc.id FROM categories cc WHERE cc.parent_id = $17))"    \
    " AND (CAST($18 AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM ticket_sla so"                     \
    "      WHERE so.ticket_id = t.id AND so.met_at IS NULL AND so.paused_at IS NULL"           \
    "      AND so.due_at < $18))"                                                              \
    " AND (CAST($19 AS BIGINT) IS NULL OR t.reported_at >= $19)"                               \
    " AND (CAST($20 AS BIGINT) IS NULL OR t.reported_at <= $20)"                               \
    TL_WORD(21) TL_WORD(22) TL_WORD(23) TL_WORD(24)                                             \
    " AND (CAST($26 AS BIGINT) = 0 OR t.equipment_id = $26)"
/* The page: ids below the cursor ($25), newest first, limit $27. Drivers that
 * walk tickets in id order (the table, a project's index) stop at the limit;
 * the others collect their few candidates and sort them: for those, "+t.id"
 * keeps SQLite from walking the whole table by id instead of using the driver's
 * index (PostgreSQL takes the unary plus as a no-op). */
#define TL_PAGE_ORDERED " AND t.id < $25 ORDER BY t.id DESC LIMIT $27"
#define TL_PAGE_SORTED " AND +t.id < $25 ORDER BY +t.id DESC LIMIT $27"

/* The drivers. Terms: $27..$30 the search terms (rarest first), limit $31. */
#define TL_OPEN_STATUSES "('new', 'accepted', 'assigned', 'in_progress', 'on_hold')"
#define TL_BY_SCAN " FROM tickets t WHERE 1 = 1"
#define TL_BY_ROOM " FROM tickets t WHERE t.room_id = $16"
#define TL_BY_EQUIPMENT " FROM tickets t WHERE t.equipment_id = $26"
#define TL_BY_OVERDUE                                                                          \
    " FROM tickets t WHERE t.id IN (SELECT sd2.ticket_id FROM ticket_sla sd2"                  \
    "  WHERE sd2.met_at IS NULL AND sd2.paused_at IS NULL AND sd2.due_at < $18)"
#define TL_TERM(n)                                                                             \
    " AND (CAST($" #n " AS TEXT) IS NULL OR EXISTS (SELECT 1 FROM ticket_terms k" #n           \
    "      WHERE k" #n ".term = $" #n " AND k" #n ".ticket_id = t.id))"
#define TL_BY_TERMS                                                                            \
    " FROM ticket_terms k JOIN tickets t ON t.id = k.ticket_id WHERE k.term = $27"             \
    TL_TERM(28) TL_TERM(29) TL_TERM(30)
/* SQLite keeps the terms in FTS5 (004_tickets.sql): $27 is a MATCH expression
 * ANDing the quoted terms; FTS5 walks its rowids (= ticket ids) newest first. */
#define TL_BY_FTS " FROM ticket_fts k JOIN tickets t ON t.id = k.rowid WHERE k.ticket_fts MATCH $27"
static const char tl_list_fts_sql[] =
    "SELECT " TICKET_COLS TICKET_NEXT_DUE " FROM tickets t WHERE t.id IN (SELECT k.rowid"
    TL_BY_FTS TL_FILTER " AND k.rowid < $25 ORDER BY k.rowid DESC LIMIT $31) ORDER BY t.id DESC";
static const char tl_count_fts_sql[] = "SELECT COUNT(*)" TL_BY_FTS TL_FILTER " AND +t.id < $25";
/* The literal list lets both planners use the partial index of open tickets. */
#define TL_BY_OPEN " FROM tickets t WHERE t.status IN " TL_OPEN_STATUSES
#define TL_BY_ASSIGNEE " FROM tickets t WHERE t.assignee_id = $15"
/* Two indexed lookups united: an OR across the two columns would scan. */
#define TL_BY_RESIDENT                                                                         \
    " FROM tickets t WHERE t.id IN (SELECT r1.id FROM tickets r1 WHERE r1.room_id IN"           \
    "  (SELECT rr2.room_id FROM resident_rooms rr2 WHERE rr2.resident_id = $3)"                \
    "  UNION SELECT r2.id FROM tickets r2 WHERE r2.resident_id = $3)"
#define TL_BY_RANGE " FROM tickets t WHERE t.reported_at >= $19 AND t.reported_at <= $20"
#define TL_BY_PROJECT " FROM tickets t WHERE t.project_id = $4"

enum {
    TL_SCAN,
    TL_ROOM,
    TL_EQUIPMENT,
    TL_OVERDUE,
    TL_TERMS,
    TL_OPEN,
    TL_ASSIGNEE,
    TL_RESIDENT,
    TL_RANGE,
    TL_PROJECT,
    TL_NDRIVERS
};

/* The page's ids first, then their columns: the scalar subqueries of
 * TICKET_COLS run for the rows shown, not for every candidate sorted. */
#define TL_SQL(by, page)                                                                       \
    "SELECT " TICKET_COLS TICKET_NEXT_DUE " FROM tickets t WHERE t.id IN (SELECT t.id" by      \
    TL_FILTER page ") ORDER BY t.id DESC"
static const char *const tl_list_sql[TL_NDRIVERS] = {
    [TL_SCAN] = TL_SQL(TL_BY_SCAN, TL_PAGE_ORDERED),
    [TL_ROOM] = TL_SQL(TL_BY_ROOM, TL_PAGE_SORTED),
    [TL_EQUIPMENT] = TL_SQL(TL_BY_EQUIPMENT, TL_PAGE_SORTED),
    [TL_OVERDUE] = TL_SQL(TL_BY_OVERDUE, TL_PAGE_SORTED),
    [TL_TERMS] = "SELECT " TICKET_COLS TICKET_NEXT_DUE " FROM tickets t WHERE t.id IN"
                 " (SELECT k.ticket_id" TL_BY_TERMS TL_FILTER " AND k.ticket_id < $25"
                 " ORDER BY k.ticket_id DESC LIMIT $31) ORDER BY t.id DESC",
    [TL_OPEN] = TL_SQL(TL_BY_OPEN, TL_PAGE_SORTED),
    [TL_ASSIGNEE] = TL_SQL(TL_BY_ASSIGNEE, TL_PAGE_SORTED),
    [TL_RESIDENT] = TL_SQL(TL_BY_RESIDENT, TL_PAGE_SORTED),
    [TL_RANGE] = TL_SQL(TL_BY_RANGE, TL_PAGE_SORTED),
    [TL_PROJECT] = TL_SQL(TL_BY_PROJECT, TL_PAGE_ORDERED),
};

/* Counts use $1..$26 (the terms variant $1..$30; $25 is past every id): the
 * limit is the last parameter. */
#define TL_COUNT(by) "SELECT COUNT(*)" by TL_FILTER " AND +t.id < $25"
static const char *const tl_count_sql[TL_NDRIVERS] = {
    [TL_SCAN] = TL_COUNT(TL_BY_SCAN),         [TL_ROOM] = TL_COUNT(TL_BY_ROOM),
    [TL_EQUIPMENT] = TL_COUNT(TL_BY_EQUIPMENT),
    [TL_OVERDUE] = TL_COUNT(TL_BY_OVERDUE),   [TL_TERMS] = TL_COUNT(TL_BY_TERMS),
    [TL_OPEN] = TL_COUNT(TL_BY_OPEN),         [TL_ASSIGNEE] = TL_COUNT(TL_BY_ASSIGNEE),
    [TL_RESIDENT] = TL_COUNT(TL_BY_RESIDENT), [TL_RANGE] = TL_COUNT(TL_BY_RANGE),
    [TL_PROJECT] = TL_COUNT(TL_BY_PROJECT),
};

/* A range of reported_at holding fewer tickets than this is read through its
 * index and sorted by id; a larger one is cheaper to meet scanning from the newest. */
#define TL_RANGE_MAX 50000

#define TL_MAX_WORDS 4
#define TL_MAX_TERMS 4
#define TL_PROBE_TERMS 8

typedef struct tl_search {
    const char *words[TL_MAX_WORDS]; /* LIKE patterns */
    int exact[TL_MAX_WORDS];         /* the terms driver alone answers this word */
    size_t nwords;
    const char *terms[TL_MAX_TERMS]; /* rarest first */
    size_t nterms;
    int empty; /* a term no ticket has: nothing can match */
} tl_search;

/* How many tickets have term, counting no further than a bound (cheap to ask).
 * FTS5 (SQLite) intersects the terms itself: no need to order them there. */
static int ticket_list_term_count(db *c, const char *term, int64_t *count, aj_error *err)
{
    if (db_kind_of(c) == DB_SQLITE) {
        *count = 1;
        return 0;
    }
    return db_scalar(c,
                     "SELECT COUNT(*) FROM (SELECT 1 FROM ticket_terms WHERE term = $1"
                     " LIMIT 20000) AS x",
                     DB_ARGS(DB_TEXT(term)), count, err);
}

/* The FTS5 MATCH expression of the terms: "t1" AND "t2" (terms hold no quotes:
 * ticket_search_terms drops punctuation). */
static const char *ticket_list_fts_match(const tl_search *s, arena *a)
{
    buf b;
    buf_init(&b, a);
    for (size_t i = 0; i < s->nterms; i++) {
        if (i) buf_puts(&b, " AND ");
        buf_putc(&b, '"');
        buf_puts(&b, s->terms[i]);
        buf_putc(&b, '"');
    }
    return b.s ? b.s : "";
}

/* q: up to four words separated by spaces, each a substring of the title or
 * the description. Their bigrams pick the candidates, the rarest driving. */
static int ticket_list_search_prepare(db *c, const char *q, arena *a, tl_search *s, aj_error *err)
{
    memset(s, 0, sizeof *s);
    if (strlen(q) > 100) return aj_fail(err, AJ_EINVAL, "q", "q 最多 100 字节");
    char *copy = arena_strdup(a, q);
    const char *probe[TL_PROBE_TERMS], *exact[TL_MAX_WORDS];
    int64_t counts[TL_PROBE_TERMS];
    size_t nprobe = 0;
    char *save = NULL;
    for (char *w = strtok_r(copy, " \t\r\n", &save); w; w = strtok_r(NULL, " \t\r\n", &save)) {
        if (s->nwords == TL_MAX_WORDS)
            return aj_fail(err, AJ_EINVAL, "q", "q 最多 %d 个词", TL_MAX_WORDS);
        for (char *p = w; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
        const char **terms;
        size_t n = ticket_search_terms(w, a, &terms, 64);
        /* A two-character word is its own bigram: if that term is used, its
         * posting list is the exact answer and the LIKE can go (see below). */
        exact[s->nwords] = n == 1 && strlen(terms[0]) == strlen(w) ? terms[0] : NULL;
        s->words[s->nwords++] = db_like(a, w);
        for (size_t i = 0; i < n && nprobe < TL_PROBE_TERMS; i++) {
            int dup = 0;
            for (size_t k = 0; k < nprobe; k++) dup |= !strcmp(probe[k], terms[i]);
            if (!dup) probe[nprobe++] = terms[i];
        }
    }
    if (!s->nwords) return aj_fail(err, AJ_EINVAL, "q", "q 不能为空");
    for (size_t i = 0; i < nprobe; i++) {
        if (ticket_list_term_count(c, probe[i], &counts[i], err)) return err->rc;
        if (!counts[i]) s->empty = 1;
    }
    /* Rarest first: the driving term should hand over as few candidates as possible. */
    for (size_t i = 1; i < nprobe; i++)
        for (size_t k = i; k > 0 && counts[k] < counts[k - 1]; k--) {
            int64_t tc = counts[k];
            counts[k] = counts[k - 1];
            counts[k - 1] = tc;
            const char *tp = probe[k];
            probe[k] = probe[k - 1];
            probe[k - 1] = tp;
        }
    for (size_t i = 0; i < nprobe && s->nterms < TL_MAX_TERMS; i++) s->terms[s->nterms++] = probe[i];
    for (size_t w = 0; w < s->nwords; w++)
        for (size_t i = 0; exact[w] && i < s->nterms; i++)
            if (!strcmp(exact[w], s->terms[i])) s->exact[w] = 1;
    return 0;
}

static int ticket_list_check(db *c, const ticket_filter *f, arena *a, int64_t *category_id, aj_error *err)
{
    if (f->kind && !ticket_in(f->kind, sla_kinds))
        return aj_fail(err, AJ_EINVAL, "kind", "未知的工单类型");
    if (f->priority && !ticket_in(f->priority, sla_priorities))
        return aj_fail(err, AJ_EINVAL, "priority", "未知的优先级");
    for (size_t i = 0; i < f->nstatuses; i++)
        if (!ticket_in(f->statuses[i], ticket_statuses))
            return aj_fail(err, AJ_EINVAL, "status", "未知的状态 %.20s", f->statuses[i]);
    if (f->from && f->to && f->from > f->to)
        return aj_fail(err, AJ_EINVAL, "from", "from 不能晚于 to");
    *category_id = 0;
    if (f->category) {
        category cat;
        int rc = category_find(c, f->category, a, &cat, err);
        if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "category", "分类不存在");
        if (rc) return rc;
        *category_id = cat.id;
    }
    return 0;
}

/* Whether the reported_at range holds few enough tickets to sort them (1) or not (0). */
static int ticket_list_range_small(db *c, const ticket_filter *f, aj_error *err)
{
    int64_t n = 0;
    if (db_scalar(c,
                  "SELECT COUNT(*) FROM (SELECT 1 FROM tickets WHERE reported_at >= $1"
                  " AND reported_at <= $2 LIMIT 50000) AS x",
                  DB_ARGS(DB_INT(f->from), DB_INT(f->to ? f->to : INT64_MAX)), &n, err))
        return 0;
    return n < TL_RANGE_MAX;
}

/* A staff member with one project lists that project: the queue index serves it. */
static int64_t ticket_list_only_project(db *c, const actor *who)
{
    if (!actor_is_staff(who) || actor_is_company_wide(who)) return 0;
    aj_error err;
    db_rows *r = db_query(c, "SELECT project_id FROM staff_projects WHERE user_id = $1 LIMIT 2",
                          DB_ARGS(DB_INT(who->id)), &err);
    if (!r) return 0;
    int64_t only = 0;
    int n = 0;
    while (db_next(r)) {
        only = db_int(r, 0);
        n++;
    }
    /* Only a hint for the plan: unreadable, the list goes the general way. */
    if (db_end(r, &err)) return 0;
    return n == 1 ? only : 0;
}

int ticket_list(db *c, const actor *who, const ticket_filter *f, const page_req *pg, arena *a,
                ticket **items, size_t *n, int *more, int64_t *total, aj_error *err)
{
    int64_t category_id;
    tl_search s = {0};
    *n = 0;
    *more = 0;
    *total = 0;
    *items = arena_alloc(a, sizeof(ticket) * (size_t)(pg->limit + 1));
    if (who->role == ROLE_NONE) return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
    if (ticket_list_check(c, f, a, &category_id, err)) return err->rc;
    /* Every committed ticket is searchable: index what is still queued. */
    if (f->q && (ticket_search_catch_up(c, err) || ticket_list_search_prepare(c, f->q, a, &s, err)))
        return err->rc;
    if (s.empty) return 0;
    int64_t project_id = f->project_id ? f->project_id : ticket_list_only_project(c, who);

    int all_open = f->nstatuses > 0;
    for (size_t i = 0; i < f->nstatuses; i++) all_open &= ticket_is_open(f->statuses[i]);
    int driver = TL_SCAN;
    if (f->room_id) driver = TL_ROOM;
    else if (f->equipment_id) driver = TL_EQUIPMENT;
    else if (f->overdue) driver = TL_OVERDUE;
    else if (s.nterms) driver = TL_TERMS;
    else if (all_open) driver = TL_OPEN;
    else if (f->assignee_id) driver = TL_ASSIGNEE;
    else if (who->role == ROLE_RESIDENT) driver = TL_RESIDENT;
    else if ((f->from || f->to) && ticket_list_range_small(c, f, err)) driver = TL_RANGE;
    else if (project_id) driver = TL_PROJECT;

    db_val args[31];
    ticket_scope_args(who, args);
    args[3] = DB_INT(project_id);
    args[4] = DB_TEXT(f->kind);
    for (size_t i = 0; i < TICKET_MAX_STATUSES; i++)
        args[5 + i] = i < f->nstatuses ? DB_TEXT(f->statuses[i]) : DB_NULLV;
    args[13] = DB_TEXT(f->priority);
    args[14] = DB_INT(f->assignee_id);
    args[15] = DB_INT(f->room_id);
    args[16] = DB_INT(category_id);
    args[17] = DB_INT(f->overdue ? clock_now() : 0);
    /* The range driver needs both ends; an open end is the whole line. */
    args[18] = driver == TL_RANGE ? DB_INT(f->from ? f->from : 0) : DB_OPT_INT(f->from, f->from);
    args[19] = driver == TL_RANGE ? DB_INT(f->to ? f->to : INT64_MAX) : DB_OPT_INT(f->to, f->to);
    for (size_t i = 0; i < TL_MAX_WORDS; i++)
        args[20 + i] = i < s.nwords && !(driver == TL_TERMS && s.exact[i]) ? DB_TEXT(s.words[i])
                                                                           : DB_NULLV;
    args[24] = DB_INT(pg->after > 0 ? pg->after : INT64_MAX);
    args[25] = DB_INT(f->equipment_id);
    int nargs;
    if (driver == TL_TERMS) {
        for (size_t i = 0; i < TL_MAX_TERMS; i++)
            args[26 + i] = i < s.nterms ? DB_TEXT(s.terms[i]) : DB_NULLV;
        args[30] = DB_INT(pg->limit + 1);
        nargs = 31;
    } else {
        args[26] = DB_INT(pg->limit + 1);
        nargs = 27;
    }
    int fts = driver == TL_TERMS && db_kind_of(c) == DB_SQLITE;
    if (fts) {
        args[26] = DB_TEXT(ticket_list_fts_match(&s, a));
        args[27] = args[28] = args[29] = DB_NULLV;
    }
    db_rows *r = db_query(c, fts ? tl_list_fts_sql : tl_list_sql[driver], nargs, args, err);
    if (!r) return err->rc;
    while (db_next(r)) {
        ticket_read(r, a, &(*items)[*n]);
        ticket_read_next_due(r, &(*items)[(*n)++]);
    }
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    if (pg->want_total) {
        /* The count ignores the cursor: the whole filtered list. */
        args[24] = DB_INT(INT64_MAX);
        int unfiltered = actor_is_company_wide(who) && driver == TL_SCAN && !f->kind &&
                         !f->equipment_id &&
                         !f->priority && !f->nstatuses && !category_id && !f->from && !f->to &&
                         !s.nwords && !f->project_id;
        int one_term = actor_is_company_wide(who) && driver == TL_TERMS && !f->kind &&
                       !f->priority && !f->nstatuses && !category_id && !f->from && !f->to &&
                       !f->project_id && !f->assignee_id && !f->equipment_id && s.nwords == 1 &&
                       s.exact[0] &&
                       s.nterms == 1;
        if (unfiltered) {
            /* Everything: the planner counts the narrowest index. */
            if (db_scalar(c, "SELECT COUNT(*) FROM tickets", DB_NOARGS, total, err))
                return err->rc;
        } else if (one_term) {
            /* One two-character word over everything: its posting list is the answer. */
            if (db_scalar(c,
                          fts ? "SELECT COUNT(*) FROM ticket_fts WHERE ticket_fts MATCH $1"
                              : "SELECT COUNT(*) FROM ticket_terms WHERE term = $1",
                          DB_ARGS(DB_TEXT(fts ? ticket_list_fts_match(&s, a) : s.terms[0])), total, err))
                return err->rc;
        } else if (driver == TL_TERMS) {
            if (db_scalar(c, fts ? tl_count_fts_sql : tl_count_sql[driver], 30, args, total, err))
                return err->rc;
        } else if (db_scalar(c, tl_count_sql[driver], 26, args, total, err)) {
            return err->rc;
        }
    }
    return 0;
}
