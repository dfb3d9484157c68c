/* domain/tickets/ticket_export.c: the tickets of a list filter as an .xlsx sheet.
 *
 * The rows come from ticket_list page by page (the same filters, scope and
 * plans as the list); each page's SLA rows, rooms, assignees and projects are
 * read in one query each, with the page's ids bound to a fixed IN list. The
 * workbook is written by xlsx_sheet (constant memory), so a sheet of 100,000
 * rows costs a page of tickets in memory, not the sheet. */
#include "domain/tickets/ticket_export.h"

#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"

#define TE_PAGE 200 /* tickets per page */
#define TE_IN 50    /* ids per IN list (the PostgreSQL driver binds at most 64) */

/* -- batch lookups: "... IN ($1, ..., $50)"; unused slots are NULL -------- */

/* $1 .. $50 as one literal (TE_IN), so every lookup is a constant SQL text. */
#define TE_TENS(t)                                                                             \
    "$" #t "0, $" #t "1, $" #t "2, $" #t "3, $" #t "4, $" #t "5, $" #t "6, $" #t "7, $" #t "8, $" #t "9"
#define TE_IN_LIST                                                                             \
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, " TE_TENS(1) ", " TE_TENS(2) ", " TE_TENS(3) ", "      \
    TE_TENS(4) ", $50"
static const char te_sql_sla[] =
    "SELECT ticket_id, milestone, started_at, due_at, met_at, paused_at FROM ticket_sla"
    " WHERE ticket_id IN (" TE_IN_LIST ")";
static const char te_sql_rooms[] = "SELECT r.id, b.name, r.unit, r.number FROM rooms r JOIN"
                                   " buildings b ON b.id = r.building_id WHERE r.id IN (" TE_IN_LIST ")";
static const char te_sql_projects[] = "SELECT id, name FROM projects WHERE id IN (" TE_IN_LIST ")";

/* The distinct nonzero ids of a page, in order of first appearance. */
static size_t ticket_export_distinct(const int64_t *ids, size_t n, int64_t *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int dup = !ids[i];
        for (size_t j = 0; j < k && !dup; j++) dup = out[j] == ids[i];
        if (!dup) out[k++] = ids[i];
    }
    return k;
}

/* Runs sql once per TE_IN ids, the last list padded with NULL; each row goes to fn. */
typedef void (*te_row_fn)(db_rows *r, void *ctx);
static int ticket_export_each(db *c, const char *sql, const int64_t *ids, size_t n, te_row_fn fn, void *ctx,
                   aj_error *err)
{
    for (size_t at = 0; at < n; at += TE_IN) {
        db_val args[TE_IN];
        for (size_t i = 0; i < TE_IN; i++)
            args[i] = at + i < n ? DB_INT(ids[at + i]) : DB_NULLV;
        db_rows *r = db_query(c, sql, TE_IN, args, err);
        if (!r) return err->rc;
        while (db_next(r)) fn(r, ctx);
        if (db_end(r, err)) return err->rc;
    }
    return 0;
}

/* One name per id, for a page. */
typedef struct te_names {
    int64_t id[TE_PAGE];
    const char *name[TE_PAGE];
    size_t n;
    int room; /* rooms read as "1栋 1单元 101" */
    arena *a;
} te_names;

static const char *ticket_export_name(const te_names *m, int64_t id)
{
    for (size_t i = 0; id && i < m->n; i++)
        if (m->id[i] == id) return m->name[i];
    return "";
}

static void ticket_export_name_row(db_rows *r, void *ctx)
{
    te_names *m = ctx;
    if (m->n == TE_PAGE) return;
    m->id[m->n] = db_int(r, 0);
    if (m->room) {
        const char *unit = db_text(r, 2);
        m->name[m->n] = arena_printf(m->a, "%s%s%s %s", db_text(r, 1), *unit ? " " : "", unit,
                                     db_text(r, 3));
    } else {
        m->name[m->n] = arena_strdup(m->a, db_text(r, 1));
    }
    m->n++;
}

/* Names for one column of the page: which: 0 rooms, 1 projects (assignees'
 * names come with the tickets). */
static int ticket_export_lookup(db *c, const ticket *items, size_t n, int which, arena *a, te_names *out,
                     aj_error *err)
{
    static const char *const sql[] = {te_sql_rooms, te_sql_projects};
    int64_t ids[TE_PAGE], distinct[TE_PAGE];
    for (size_t i = 0; i < n; i++) ids[i] = which == 0 ? items[i].room_id : items[i].project_id;
    *out = (te_names){.room = which == 0, .a = a};
    return ticket_export_each(c, sql[which], distinct, ticket_export_distinct(ids, n, distinct), ticket_export_name_row, out, err);
}

typedef struct te_page {
    ticket *items; /* by id descending */
    size_t n;
} te_page;

static void ticket_export_sla_row(db_rows *r, void *ctx)
{
    te_page *p = ctx;
    int64_t id = db_int(r, 0);
    int m = sla_milestone_parse(db_text(r, 1));
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (p->items[mid].id > id) lo = mid + 1;
        else hi = mid;
    }
    if (m < 0 || lo >= p->n || p->items[lo].id != id || p->items[lo].nsla >= SLA_NMILESTONES)
        return;
    ticket *t = &p->items[lo];
    t->sla[t->nsla++] = (sla_clock_row){
        .milestone = (sla_milestone)m,
        .started_at = db_int(r, 2),
        .due_at = db_int(r, 3),
        .met_at = db_null(r, 4) ? 0 : db_int(r, 4),
        .paused_at = db_null(r, 5) ? 0 : db_int(r, 5),
    };
}

/* The page's SLA rows into each ticket's sla[]. */
static int ticket_export_sla(db *c, ticket *items, size_t n, aj_error *err)
{
    int64_t ids[TE_PAGE];
    for (size_t i = 0; i < n; i++) {
        ids[i] = items[i].id;
        items[i].nsla = 0;
    }
    te_page p = {items, n};
    return ticket_export_each(c, te_sql_sla, ids, n, ticket_export_sla_row, &p, err);
}

/* -- words ----------------------------------------------------------------- */

static const char *ticket_export_word(const char *v, const char *const *keys, const char *const *words)
{
    for (size_t i = 0; v && keys[i]; i++)
        if (!strcmp(v, keys[i])) return words[i];
    return v ? v : "";
}

static const char *const te_kind_words[] = {"报修", "投诉", "咨询", "建议", "表扬"};
static const char *const te_priority_words[] = {"紧急", "重大", "常规", "预约"};
static const char *const te_status_words[] = {"待受理", "已受理", "已派单", "处理中",
                                              "挂起",   "已解决", "已关闭", "已取消"};
static const char *const te_channel_words[] = {"App",  "电话", "来访",     "微信",
                                               "巡查", "巡检", "设备告警", "系统"};

const char *ticket_export_outcome(const sla_clock_row *row, const char *status, int64_t now)
{
    if (row->due_at == SLA_DUE_UNPLANNED) return "待排定"; /* the calendar year is unknown */
    if (row->met_at) return row->met_at <= row->due_at ? "按时" : "超时";
    sla_state st = sla_state_at(row, now);
    if (st == SLA_BREACHED) return "超时";
    /* Resolve and cancel stop the clocks that were still running. */
    if (!ticket_is_open(status)) return "未执行";
    return st == SLA_PAUSED ? "暂停" : "进行中";
}

/* -- the sheet --------------------------------------------------------------- */

enum {
    TE_NO, TE_PROJECT, TE_KIND, TE_PRIORITY, TE_CATEGORY, TE_STATUS, TE_TITLE, TE_ROOM,
    TE_CHANNEL, TE_REPORTED, TE_RESOLVED, TE_CLOSED, TE_ASSIGNEE, TE_SLA0,
    TE_RATING = TE_SLA0 + SLA_NMILESTONES, TE_NCOLS
};

static const xlsx_col te_cols[TE_NCOLS] = {
    [TE_NO] = {"工单号", 18},     [TE_PROJECT] = {"项目", 16},    [TE_KIND] = {"类型", 7},
    [TE_PRIORITY] = {"优先级", 8}, [TE_CATEGORY] = {"类别", 16},   [TE_STATUS] = {"状态", 8},
    [TE_TITLE] = {"标题", 32},    [TE_ROOM] = {"房号", 16},       [TE_CHANNEL] = {"渠道", 8},
    [TE_REPORTED] = {"报告时间", 17}, [TE_RESOLVED] = {"解决时间", 17},
    [TE_CLOSED] = {"关闭时间", 17}, [TE_ASSIGNEE] = {"负责人", 10},
    [TE_SLA0 + SLA_RESPOND] = {"响应时限", 9}, [TE_SLA0 + SLA_ASSIGN] = {"派单时限", 9},
    [TE_SLA0 + SLA_ARRIVE] = {"到场时限", 9},  [TE_SLA0 + SLA_CONTACT] = {"联系时限", 9},
    [TE_SLA0 + SLA_RESOLVE] = {"解决时限", 9}, [TE_RATING] = {"评分", 6},
};

static void ticket_export_write(xlsx_sheet *s, const ticket *t, const te_names *rooms,
                     const te_names *projects, int64_t now)
{
    xlsx_sheet_str(s, TE_NO, t->no);
    xlsx_sheet_str(s, TE_PROJECT, ticket_export_name(projects, t->project_id));
    xlsx_sheet_str(s, TE_KIND, ticket_export_word(t->kind, sla_kinds, te_kind_words));
    xlsx_sheet_str(s, TE_PRIORITY, ticket_export_word(t->priority, sla_priorities, te_priority_words));
    xlsx_sheet_str(s, TE_CATEGORY, t->category);
    xlsx_sheet_str(s, TE_STATUS, ticket_export_word(t->status, ticket_statuses, te_status_words));
    xlsx_sheet_str(s, TE_TITLE, t->title);
    xlsx_sheet_str(s, TE_ROOM, ticket_export_name(rooms, t->room_id));
    xlsx_sheet_str(s, TE_CHANNEL, ticket_export_word(t->channel, ticket_channels, te_channel_words));
    xlsx_sheet_time(s, TE_REPORTED, t->reported_at, t->tz_offset);
    xlsx_sheet_time(s, TE_RESOLVED, t->resolved_at, t->tz_offset);
    xlsx_sheet_time(s, TE_CLOSED, t->closed_at, t->tz_offset);
    xlsx_sheet_str(s, TE_ASSIGNEE, t->assignee_name ? t->assignee_name : "");
    for (size_t i = 0; i < t->nsla; i++)
        xlsx_sheet_str(s, TE_SLA0 + (int)t->sla[i].milestone,
                       ticket_export_outcome(&t->sla[i], t->status, now));
    if (t->rating) xlsx_sheet_num(s, TE_RATING, t->rating);
    xlsx_sheet_next(s);
}

int ticket_export(db *c, const actor *who, const ticket_filter *f, const char *data_dir,
                  int64_t max_rows, arena *a, const char **path, int64_t *rows, aj_error *err)
{
    *path = NULL;
    *rows = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");

    /* The first page, with the count: too many rows is refused before a byte is written. */
    arena page;
    arena_init(&page, 1 << 16);
    page_req pg = {.after = 0, .limit = TE_PAGE, .want_total = 1};
    ticket *items;
    size_t n;
    int more;
    int64_t total = 0;
    if (ticket_list(c, who, f, &pg, &page, &items, &n, &more, &total, err)) goto fail_page;
    if (total > max_rows) {
        aj_fail(err, AJ_EINVAL, NULL, "符合条件的工单有 %lld 张，超过导出上限 %lld 张，请缩小筛选范围",
                (long long)total, (long long)max_rows);
        goto fail_page;
    }

    xlsx_sheet s;
    if (xlsx_sheet_open(&s, data_dir, "工单", te_cols, TE_NCOLS, a, err)) goto fail_page;
    int64_t now = clock_now();
    for (;;) {
        te_names rooms, projects;
        if (ticket_export_lookup(c, items, n, 0, &page, &rooms, err) ||
            ticket_export_lookup(c, items, n, 1, &page, &projects, err) || ticket_export_sla(c, items, n, err))
            goto fail_book;
        for (size_t i = 0; i < n && *rows < max_rows; i++, (*rows)++)
            ticket_export_write(&s, &items[i], &rooms, &projects, now);
        if (xlsx_sheet_check(&s, err)) goto fail_book;
        /* Rows added since the count could pass the limit: the sheet stops at it. */
        if (!more || *rows >= max_rows) break;
        pg = (page_req){.after = items[n - 1].id, .limit = TE_PAGE};
        arena_reset(&page);
        if (ticket_list(c, who, f, &pg, &page, &items, &n, &more, &total, err)) goto fail_book;
    }
    if (xlsx_sheet_close(&s, err)) goto fail_page;
    arena_free(&page);
    *path = s.path;
    return 0;

fail_book:
    xlsx_sheet_abort(&s);
fail_page:
    arena_free(&page);
    *rows = 0;
    return err->rc ? err->rc : AJ_EDB;
}
