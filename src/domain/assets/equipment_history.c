/* domain/assets/equipment_history.c: one piece of equipment's history, newest first: its
 * tickets (from the tickets context), its downtime periods, and what registered sources
 * add (equipment_history_hook: the work context's tasks, later devices' alarms). */
#include "domain/assets/equipment_sql.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/tickets/tickets.h"

#define EQUIPMENT_HISTORY_SOURCES 4

static _Atomic(equipment_history_source) equipment_history_sources[EQUIPMENT_HISTORY_SOURCES];

void equipment_history_hook(equipment_history_source fn)
{
    for (int i = 0; i < EQUIPMENT_HISTORY_SOURCES; i++) {
        equipment_history_source none = NULL;
        if (atomic_load(&equipment_history_sources[i]) == fn) return;
        if (atomic_compare_exchange_strong(&equipment_history_sources[i], &none, fn)) return;
    }
    abort(); /* more sources than slots is a build mistake, not a runtime state */
}

typedef struct equipment_history_acc {
    arena *a;
    equipment_history_item *items;
    size_t n, cap;
} equipment_history_acc;

static void equipment_history_add(void *ctx, const char *type, int64_t id, int64_t at,
                                  json_t *fields)
{
    equipment_history_acc *h = ctx;
    h->items = arena_grow(h->a, h->items, h->n, &h->cap, sizeof *h->items);
    h->items[h->n++] = (equipment_history_item){.type = arena_strdup(h->a, type), .id = id,
                                                .at = at,
                                                .fields = fields ? fields : json_object()};
}

static json_t *equipment_history_time(int64_t t, int offset)
{
    if (!t) return json_null();
    char s[40];
    clock_format(t, offset, s, sizeof s);
    return json_string(s);
}

static int equipment_history_downtime(db *c, const equipment *e, int64_t before, int limit,
                                      equipment_history_acc *h, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT id, started_at, COALESCE(ended_at, 0), cause,"
                          " COALESCE(ticket_id, 0) FROM equipment_downtime"
                          " WHERE equipment_id = $1 AND (CAST($2 AS BIGINT) = 0 OR started_at < $2)"
                          " ORDER BY started_at DESC, id DESC LIMIT $3",
                          DB_ARGS(DB_INT(e->id), DB_INT(before), DB_INT(limit)), err);
    if (!r) return err->rc;
    while (db_next(r)) {
        int64_t start = db_int(r, 1), end = db_int(r, 2), ticket_id = db_int(r, 4);
        json_t *f = json_pack("{s:o, s:o, s:s, s:o}", "started_at",
                              equipment_history_time(start, e->tz_offset), "ended_at",
                              equipment_history_time(end, e->tz_offset), "cause", db_text(r, 3),
                              "ticket_id", ticket_id ? json_integer(ticket_id) : json_null());
        equipment_history_add(h, "downtime", db_int(r, 0), start, f);
    }
    return db_end(r, err) ? err->rc : 0;
}

/* The tickets on the equipment that who may see, through the ticket list. */
static int equipment_history_tickets(db *c, const actor *who, const equipment *e,
                                     int64_t before, int limit, equipment_history_acc *h,
                                     aj_error *err)
{
    ticket_filter f = {.equipment_id = e->id, .to = before ? before - 1 : 0};
    page_req pg = {.after = 0, .limit = limit};
    ticket *items;
    size_t n;
    int more;
    int64_t total;
    if (ticket_list(c, who, &f, &pg, h->a, &items, &n, &more, &total, err)) return err->rc;
    for (size_t i = 0; i < n; i++) {
        const ticket *t = &items[i];
        json_t *fl = json_pack("{s:s, s:s, s:s, s:s, s:s, s:o}", "no", t->no, "title", t->title,
                               "kind", t->kind, "priority", t->priority, "status", t->status,
                               "reported_at", equipment_history_time(t->reported_at, e->tz_offset));
        equipment_history_add(h, "ticket", t->id, t->reported_at, fl);
    }
    return 0;
}

static int equipment_history_cmp(const void *x, const void *y)
{
    const equipment_history_item *a = x, *b = y;
    if (a->at != b->at) return a->at > b->at ? -1 : 1;
    int t = strcmp(a->type, b->type);
    if (t) return t;
    return a->id > b->id ? -1 : a->id < b->id;
}

int equipment_history_get(db *c, const actor *who, int64_t id, int64_t before, int limit,
                          arena *a, equipment_history *out, aj_error *err)
{
    memset(out, 0, sizeof *out);
    equipment e;
    if (limit < 1 || limit > 500) return aj_fail(err, AJ_EINVAL, "limit", "limit 须在 1 到 500 之间");
    if (equipment_get(c, who, id, a, &e, err)) return err->rc;
    out->tz_offset = e.tz_offset;
    equipment_history_acc h = {.a = a};
    /* Each source gives its newest limit + 1; merged, the newest limit of all,
     * and one more tells that another page follows. */
    int ask = limit + 1;
    int rc = equipment_history_downtime(c, &e, before, ask, &h, err);
    if (!rc) rc = equipment_history_tickets(c, who, &e, before, ask, &h, err);
    for (int i = 0; !rc && i < EQUIPMENT_HISTORY_SOURCES; i++) {
        equipment_history_source fn = atomic_load(&equipment_history_sources[i]);
        if (!fn) break;
        if (fn(c, id, before, ask, equipment_history_add, &h, err)) rc = err->rc ? err->rc : AJ_EDB;
    }
    out->items = h.items;
    out->n = h.n;
    if (rc) {
        equipment_history_free(out);
        return rc;
    }
    if (h.n) qsort(h.items, h.n, sizeof *h.items, equipment_history_cmp);
    if (out->n > (size_t)limit) {
        for (size_t i = (size_t)limit; i < out->n; i++) json_decref(out->items[i].fields);
        out->n = (size_t)limit;
        out->more = 1;
    }
    return 0;
}

void equipment_history_free(equipment_history *h)
{
    for (size_t i = 0; i < h->n; i++) json_decref(h->items[i].fields);
    h->n = 0;
}
