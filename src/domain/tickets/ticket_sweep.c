/* domain/tickets/ticket_sweep.c: what the SLA sweep does to tickets (the job,
 * jobs/sweep.c, says when): resumes holds whose time has come, marks newly
 * breached milestones, fires due escalations once each (as ticket events and
 * notifications) and closes resolved tickets nobody disputed within 7 days.
 * Each step writes in short transactions of a bounded number of tickets and
 * takes on no new ticket after its deadline. */
#include "domain/tickets/ticket_sweep.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "domain/calendar/calendar.h"
#include "domain/core/core.h"
#include "domain/sla/sla.h"
#include "domain/tickets/ticket.h"

/* Tickets per write transaction: short enough that a request waiting for the
 * SQLite writer (or a PostgreSQL row lock) waits milliseconds. */
#define TICKET_SWEEP_BATCH 50
/* Each step gets its first batch (or its first few actions) even past the
 * deadline, so a busy step cannot starve the others. The counts are a
 * backstop. */
#define TICKET_SWEEP_MIN_ACTIONS 5
#define TICKET_SWEEP_MAX_TICKETS 5000
#define TICKET_SWEEP_MAX_ACTIONS 500
/* Running milestones due further ahead than this cannot have an escalation
 * step due: a step before 100% lies less than the target's span before the
 * due time, and targets are at most about two years (calendar.h). It only
 * bounds the index range; the scan reads every running milestone anyway. */
#define TICKET_SWEEP_HORIZON (800LL * 86400)

const char *const ticket_sweep_open[TICKET_SWEEP_NOPEN] = {"new", "accepted", "assigned",
                                                          "in_progress", "on_hold"};

/* One running milestone with something to write: a breach to mark and/or
 * escalation steps (bits of the policy's list) to fire. */
typedef struct ticket_sweep_item {
    int64_t ticket_id, project_id, policy_id;
    sla_milestone milestone;
    int breach, fire;
} ticket_sweep_item;

typedef struct ticket_sweep_policy {
    int64_t id;
    int ok;
    sla_policy p;
} ticket_sweep_policy;

typedef struct ticket_sweep_cal {
    int64_t project_id;
    int ok;
    calendar cal;
} ticket_sweep_cal;

/* What one run reads more than once: policies by id, calendars by project
 * (in a, for the whole run); tmp holds what one batch of tickets needs. */
typedef struct ticket_sweep_ctx {
    db *c;
    int64_t now;
    arena a, tmp;
    actor sys;
    ticket_sweep_policy *pols;
    size_t npols, cappols;
    ticket_sweep_cal *cals;
    size_t ncals, capcals;
    ticket_sweep_stats *st;
    int logged;       /* error lines written this run */
    int64_t deadline; /* clock_mono_us() after which no new work starts */
} ticket_sweep_ctx;

static int ticket_sweep_out_of_time(const ticket_sweep_ctx *x) { return clock_mono_us() >= x->deadline; }

static const char *ticket_sweep_milestone_zh(sla_milestone m)
{
    static const char *const zh[] = {"响应", "派单", "到场", "联系业主", "办结"};
    return m < SLA_NMILESTONES ? zh[m] : "";
}

static const char *ticket_sweep_notify_zh(const char *notify)
{
    if (!strcmp(notify, "assignee")) return "处理人";
    if (!strcmp(notify, "manager")) return "项目经理";
    if (!strcmp(notify, "quality")) return "品质部";
    if (!strcmp(notify, "desk")) return "客服";
    return notify;
}

/* "2026-11-25 20:30" in the project's zone; out holds 40 bytes. */
static void ticket_sweep_local(int64_t t, int off, char out[40])
{
    clock_format(t, off, out, 40);
    out[10] = ' ';
    out[16] = 0;
}

static const sla_policy *ticket_sweep_policy_for(ticket_sweep_ctx *x, int64_t id)
{
    for (size_t i = 0; i < x->npols; i++)
        if (x->pols[i].id == id) return x->pols[i].ok ? &x->pols[i].p : NULL;
    x->pols = arena_grow(&x->a, x->pols, x->npols, &x->cappols, sizeof *x->pols);
    ticket_sweep_policy *sp = &x->pols[x->npols++];
    aj_error err = {0};
    sp->id = id;
    sp->ok = sla_policy_get(x->c, &x->sys, id, &x->a, &sp->p, &err) == 0;
    if (!sp->ok && err.rc != AJ_ENOTFOUND)
        log_error("sweep: cannot read SLA policy %lld: %s", (long long)id, err.message);
    return sp->ok ? &sp->p : NULL;
}

/* The project's calendar for a business-clock row; minutes and hours on the
 * calendar clock never read it (calendar.h), so they get an empty one. */
static const calendar *ticket_sweep_calendar_for(ticket_sweep_ctx *x, int64_t project_id, cal_clock clock)
{
    static const calendar none;
    if (clock != CAL_CLOCK_BUSINESS) return &none;
    for (size_t i = 0; i < x->ncals; i++)
        if (x->cals[i].project_id == project_id) return x->cals[i].ok ? &x->cals[i].cal : NULL;
    x->cals = arena_grow(&x->a, x->cals, x->ncals, &x->capcals, sizeof *x->cals);
    ticket_sweep_cal *sc = &x->cals[x->ncals++];
    aj_error err = {0};
    sc->project_id = project_id;
    sc->ok = calendar_load_project(x->c, project_id, &x->a, &sc->cal, &err) == 0;
    if (!sc->ok)
        log_error("sweep: cannot read the calendar of project %lld: %s", (long long)project_id,
                  err.message);
    return sc->ok ? &sc->cal : NULL;
}

/* Escalation steps of row that are due and have not fired (as
 * sla_escalations_due, step by step): 0 when none, -1 (counted as an error)
 * when its calendar cannot be read or a step cannot be placed. A step that
 * falls in a year the calendar has no official data for yet is simply not
 * due while that year has not begun: the data comes before the year does. */
static int ticket_sweep_due_bits(ticket_sweep_ctx *x, int64_t row_ticket, int64_t policy_id,
                          int64_t project_id, const sla_clock_row *row, int *fire)
{
    *fire = 0;
    if (!policy_id || row->met_at || row->paused_at) return 0;
    const sla_policy *p = ticket_sweep_policy_for(x, policy_id);
    if (!p || !p->nescalations) return 0;
    const calendar *cal = ticket_sweep_calendar_for(x, project_id, row->clock);
    if (!cal) return -1;
    int64_t unpublished = 0;
    if (cal->last_year > 0)
        unpublished = clock_days_from_civil(cal->last_year + 1, 1, 1) * 86400 - cal->offset;
    for (size_t i = 0; i < p->nescalations && i < SLA_MAX_ESCALATIONS; i++) {
        if (row->escalated & (1 << i)) continue;
        int64_t at;
        aj_error err = {0};
        if (sla_escalation_at(cal, row, p->escalations[i].at_percent, &at, &err)) {
            if (unpublished && x->now < unpublished && err.rc == AJ_EINVAL) continue;
            /* The same rows fail every minute: a few lines per run say why,
             * the count says how many. */
            if (x->logged++ < 3)
                log_error("sweep: escalations of ticket %lld (%s): %s", (long long)row_ticket,
                          sla_milestone_name(row->milestone), err.message);
            *fire = 0;
            return -1;
        }
        if (x->now >= at) *fire |= 1 << i;
    }
    return 0;
}

static int ticket_sweep_item_cmp(const void *pa, const void *pb)
{
    const ticket_sweep_item *a = pa, *b = pb;
    if (a->ticket_id != b->ticket_id) return a->ticket_id < b->ticket_id ? -1 : 1;
    return (int)a->milestone - (int)b->milestone;
}

/* Every running milestone (unmet, not paused): which are newly past due and
 * which have escalation steps due. Only rows with work go into *items. */
static int ticket_sweep_scan(ticket_sweep_ctx *x, ticket_sweep_item **items, size_t *n, aj_error *err)
{
    size_t cap = 0;
    *items = NULL;
    *n = 0;
    /* CROSS JOIN keeps SQLite's loop on the small running index, looking each
     * ticket up by key; PostgreSQL plans it as the inner join it is. */
    db_rows *r = db_query(x->c,
                          "SELECT s.ticket_id, s.milestone, s.started_at, s.due_at, s.clock,"
                          " s.escalated, COALESCE(s.breached_at, 0), COALESCE(t.policy_id, 0),"
                          " t.project_id FROM ticket_sla s CROSS JOIN tickets t"
                          " WHERE t.id = s.ticket_id AND s.met_at IS NULL"
                          " AND s.paused_at IS NULL AND s.due_at <= $1",
                          DB_ARGS(DB_INT(x->now + TICKET_SWEEP_HORIZON)), err);
    if (!r) return err->rc;
    while (db_next(r)) {
        int m = sla_milestone_parse(db_text(r, 1));
        if (m < 0) continue;
        sla_clock_row row = {.milestone = (sla_milestone)m,
                             .started_at = db_int(r, 2),
                             .due_at = db_int(r, 3),
                             .clock = calendar_clock_parse(db_text(r, 4)) == 1 ? CAL_CLOCK_BUSINESS
                                                                              : CAL_CLOCK_CALENDAR,
                             .escalated = (int)db_int(r, 5)};
        ticket_sweep_item it = {.ticket_id = db_int(r, 0),
                         .project_id = db_int(r, 8),
                         .policy_id = db_int(r, 7),
                         .milestone = (sla_milestone)m};
        x->st->scanned++;
        it.breach = !db_int(r, 6) && sla_state_at(&row, x->now) == SLA_BREACHED;
        if (ticket_sweep_due_bits(x, it.ticket_id, it.policy_id, it.project_id, &row, &it.fire))
            x->st->errors++;
        if (!it.breach && !it.fire) continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            ticket_sweep_item *g = realloc(*items, cap * sizeof *g);
            if (!g) abort();
            *items = g;
        }
        (*items)[(*n)++] = it;
    }
    if (db_end(r, err)) {
        free(*items);
        *items = NULL;
        *n = 0;
        return err->rc;
    }
    if (*n) qsort(*items, *n, sizeof **items, ticket_sweep_item_cmp);
    return 0;
}

typedef struct ticket_sweep_ticket {
    const char *no, *title;
    int64_t assignee_id, project_id;
    int off;
} ticket_sweep_ticket;

/* Takes the ticket row's lock the way an action does (an UPDATE of its row),
 * so an action and the sweep never interleave on one ticket: its SLA rows are
 * read fresh after this, and event ids cannot collide. The version stays: a
 * client acting on the version it saw is not refused because of the sweep. */
static int ticket_sweep_lock(ticket_sweep_ctx *x, int64_t id, ticket_sweep_ticket *t, aj_error *err)
{
    *t = (ticket_sweep_ticket){0};
    int64_t n = db_exec(x->c, "UPDATE tickets SET version = version WHERE id = $1",
                        DB_ARGS(DB_INT(id)), err);
    if (n < 0) return (int)n;
    db_rows *r = db_query(x->c,
                          "SELECT no, title, COALESCE(assignee_id, 0), project_id,"
                          " (SELECT p.timezone FROM projects p WHERE p.id = tickets.project_id)"
                          " FROM tickets WHERE id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) {
        t->no = arena_strdup(&x->tmp, db_text(r, 0));
        t->title = arena_strdup(&x->tmp, db_text(r, 1));
        t->assignee_id = db_int(r, 2);
        t->project_id = db_int(r, 3);
        t->off = clock_tz_offset_or_default(db_text(r, 4));
    }
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "工单不存在");
}

static int ticket_sweep_breach(ticket_sweep_ctx *x, const ticket_sweep_ticket *t, int64_t id,
                        const sla_clock_row *row, ticket_sweep_stats *d, aj_error *err)
{
    int64_t n = db_exec(x->c,
                        "UPDATE ticket_sla SET breached_at = $3 WHERE ticket_id = $1"
                        " AND milestone = $2 AND breached_at IS NULL AND met_at IS NULL"
                        " AND paused_at IS NULL AND due_at < $3",
                        DB_ARGS(DB_INT(id), DB_TEXT(sla_milestone_name(row->milestone)),
                                DB_INT(x->now)),
                        err);
    if (n <= 0) return (int)n;
    char due[40];
    ticket_sweep_local(row->due_at, t->off, due);
    const char *note =
        arena_printf(&x->tmp, "%s已超时（时限 %s）", ticket_sweep_milestone_zh(row->milestone), due);
    const char *data = arena_printf(&x->tmp, "{\"milestone\":\"%s\",\"due_at\":%lld}",
                                    sla_milestone_name(row->milestone), (long long)row->due_at);
    if (ticket_event_append(x->c, id, 0, "breach", NULL, NULL, note, data, x->now, err))
        return err->rc;
    d->breached++;
    return 0;
}

/* One escalation step: its notifications and its event. */
static int ticket_sweep_escalate(ticket_sweep_ctx *x, const ticket_sweep_ticket *t, int64_t id,
                          const sla_clock_row *row, const sla_escalation *e, ticket_sweep_stats *d,
                          aj_error *err)
{
    int64_t who[NOTIFY_MAX_RECIPIENTS];
    size_t n = 0;
    if (notify_recipients(x->c, t->project_id, t->assignee_id, e->notify, who,
                          NOTIFY_MAX_RECIPIENTS, &n, err))
        return err->rc;
    const char *ms = ticket_sweep_milestone_zh(row->milestone);
    char due[40];
    ticket_sweep_local(row->due_at, t->off, due);
    const char *title =
        e->at_percent < 100
            ? arena_printf(&x->tmp, "【预警】%s %s时限已过 %d%%", t->no, ms, e->at_percent)
        : e->at_percent == 100
            ? arena_printf(&x->tmp, "【超时】%s %s已超时", t->no, ms)
            : arena_printf(&x->tmp, "【严重超时】%s %s已超时（%d%%）", t->no, ms, e->at_percent);
    const char *body = arena_printf(&x->tmp, "%s；%s时限 %s", t->title, ms, due);
    json_t *ids = json_array();
    for (size_t i = 0; i < n; i++) {
        if (notify_create(x->c, who[i], t->project_id, id, NOTIFY_ESCALATION, title, body, x->now,
                          err)) {
            json_decref(ids);
            return err->rc;
        }
        json_array_append_new(ids, json_integer(who[i]));
    }
    json_t *data = json_pack("{s:s, s:i, s:s, s:o}", "milestone",
                             sla_milestone_name(row->milestone), "at_percent", e->at_percent,
                             "notify", e->notify, "recipients", ids);
    char *text = json_dumps(data, JSON_COMPACT);
    json_decref(data);
    const char *note = arena_printf(&x->tmp, "%s时限已过 %d%%，已通知%s（%zu 人）", ms,
                                    e->at_percent, ticket_sweep_notify_zh(e->notify), n);
    int rc = ticket_event_append(x->c, id, 0, "escalate", NULL, NULL, note, text, x->now, err);
    free(text);
    if (rc) return rc;
    d->escalations++;
    d->notifications += (int64_t)n;
    return 0;
}

/* The items of one ticket, inside the caller's transaction: each decision is
 * taken again on the rows as they are now that the ticket is locked. */
static int ticket_sweep_ticket_apply(ticket_sweep_ctx *x, const ticket_sweep_item *items, size_t k, ticket_sweep_stats *d,
                              aj_error *err)
{
    int64_t id = items[0].ticket_id;
    ticket_sweep_ticket t;
    sla_clock_row rows[SLA_NMILESTONES];
    size_t nrows = 0;
    if (ticket_sweep_lock(x, id, &t, err) || sla_rows_load(x->c, id, rows, &nrows, err))
        return err->rc;
    for (size_t i = 0; i < k; i++) {
        const sla_clock_row *row = NULL;
        for (size_t j = 0; j < nrows; j++)
            if (rows[j].milestone == items[i].milestone) row = &rows[j];
        if (!row || row->met_at || row->paused_at) continue; /* an action got there first */
        if (items[i].breach && ticket_sweep_breach(x, &t, id, row, d, err)) return err->rc;
        int fire = 0;
        if (ticket_sweep_due_bits(x, id, items[i].policy_id, t.project_id, row, &fire) || !fire) continue;
        const sla_policy *p = ticket_sweep_policy_for(x, items[i].policy_id);
        for (size_t b = 0; p && b < p->nescalations && b < SLA_MAX_ESCALATIONS; b++)
            if ((fire & (1 << b)) && ticket_sweep_escalate(x, &t, id, row, &p->escalations[b], d, err))
                return err->rc;
        /* OR: a bit once set stays set, whatever else writes the row. */
        if (db_exec(x->c,
                    "UPDATE ticket_sla SET escalated = escalated | $3"
                    " WHERE ticket_id = $1 AND milestone = $2",
                    DB_ARGS(DB_INT(id), DB_TEXT(sla_milestone_name(row->milestone)),
                            DB_INT(fire)),
                    err) < 0)
            return err->rc;
    }
    return 0;
}

static void ticket_sweep_add(ticket_sweep_stats *st, const ticket_sweep_stats *d)
{
    st->breached += d->breached;
    st->escalations += d->escalations;
    st->notifications += d->notifications;
}

/* End of the item group of the ticket at items[i]. */
static size_t ticket_sweep_group_end(const ticket_sweep_item *items, size_t n, size_t i)
{
    size_t j = i;
    while (j < n && items[j].ticket_id == items[i].ticket_id) j++;
    return j;
}

/* Tickets [i, j) of items in one transaction. */
static int ticket_sweep_batch(ticket_sweep_ctx *x, const ticket_sweep_item *items, size_t i, size_t j, aj_error *err)
{
    ticket_sweep_stats d = {0};
    if (db_begin(x->c, err)) return err->rc;
    /* The notifications written here reach live streams only if this commits. */
    live_hold();
    for (size_t g = i; g < j;) {
        size_t e = ticket_sweep_group_end(items, j, g);
        if (ticket_sweep_ticket_apply(x, items + g, e - g, &d, err)) {
            db_rollback(x->c);
            live_release(0);
            return err->rc ? err->rc : AJ_EDB;
        }
        g = e;
    }
    int rc = db_commit(x->c, err);
    live_release(rc == 0);
    if (rc) return err->rc ? err->rc : AJ_EDB;
    ticket_sweep_add(x->st, &d);
    return 0;
}

static int ticket_sweep_scan_and_apply(ticket_sweep_ctx *x, aj_error *err)
{
    ticket_sweep_item *items;
    size_t n;
    if (ticket_sweep_scan(x, &items, &n, err)) return err->rc;
    size_t i = 0, tickets = 0;
    while (i < n && tickets < TICKET_SWEEP_MAX_TICKETS && (i == 0 || !ticket_sweep_out_of_time(x))) {
        size_t j = i, nt = 0;
        while (j < n && nt < TICKET_SWEEP_BATCH) {
            j = ticket_sweep_group_end(items, n, j);
            nt++;
        }
        aj_error e = {0};
        if (ticket_sweep_batch(x, items, i, j, &e)) {
            /* One ticket must not hold the others back: retry them one by one. */
            for (size_t g = i; g < j;) {
                size_t ge = ticket_sweep_group_end(items, j, g);
                aj_error e1 = {0};
                if (ticket_sweep_batch(x, items, g, ge, &e1)) {
                    x->st->errors++;
                    log_error("sweep: ticket %lld: %s", (long long)items[g].ticket_id,
                              e1.message);
                }
                g = ge;
            }
        }
        tickets += nt;
        arena_reset(&x->tmp);
        i = j;
    }
    for (; i < n; i = ticket_sweep_group_end(items, n, i)) x->st->skipped++;
    free(items);
    return 0;
}

/* Ids of up to max tickets a query selects (bound: $1 a time, $2 the limit). */
static int ticket_sweep_ids(ticket_sweep_ctx *x, const char *sql, int64_t at, int64_t *ids, size_t max,
                     size_t *n, aj_error *err)
{
    *n = 0;
    db_rows *r = db_query(x->c, sql, DB_ARGS(DB_INT(at), DB_INT((int64_t)max)), err);
    if (!r) return err->rc;
    while (*n < max && db_next(r)) ids[(*n)++] = db_int(r, 0);
    return db_end(r, err);
}

/* The same action the desk would take, by the system: one transaction per
 * ticket with its event and audit row (ticket_action.c). A race lost to a
 * person acting at that moment is not an error: the next run looks again. */
static int ticket_sweep_act(ticket_sweep_ctx *x, const char *sql, int64_t at, const char *action,
                     const char *note, int64_t *done, aj_error *err)
{
    int64_t *ids = malloc(TICKET_SWEEP_MAX_ACTIONS * sizeof *ids);
    size_t n;
    if (!ids) abort();
    if (ticket_sweep_ids(x, sql, at, ids, TICKET_SWEEP_MAX_ACTIONS, &n, err)) {
        free(ids);
        return err->rc;
    }
    for (size_t i = 0; i < n; i++) {
        if (i >= TICKET_SWEEP_MIN_ACTIONS && ticket_sweep_out_of_time(x)) {
            x->st->skipped += (int64_t)(n - i);
            break;
        }
        ticket_action_input in = {.note = note};
        ticket t;
        aj_error e = {0};
        /* ticket_act tells the live streams: a dispatcher's queue sees it change. */
        int rc = ticket_act(x->c, &x->sys, ids[i], action, &in, &x->tmp, &t, &e);
        arena_reset(&x->tmp);
        if (!rc) {
            (*done)++;
        } else if (rc == AJ_ECONFLICT || rc == AJ_ETRANSITION || rc == AJ_ENOTFOUND) {
            x->st->skipped++;
        } else {
            x->st->errors++;
            log_error("sweep: %s ticket %lld: %s", action, (long long)ids[i], e.message);
        }
    }
    free(ids);
    return 0;
}

static void ticket_sweep_begin(ticket_sweep_ctx *x, db *c, int64_t now, int64_t deadline,
                               ticket_sweep_stats *st)
{
    *x = (ticket_sweep_ctx){.c = c,
                            .now = now,
                            .sys = actor_system("job:sweep"),
                            .st = st,
                            .deadline = deadline};
    arena_init(&x->a, 65536);
    arena_init(&x->tmp, 65536);
}

static void ticket_sweep_end(ticket_sweep_ctx *x)
{
    arena_free(&x->tmp);
    arena_free(&x->a);
}

int ticket_sweep_holds(db *c, int64_t now, int64_t deadline, ticket_sweep_stats *st,
                       aj_error *err)
{
    ticket_sweep_ctx x;
    ticket_sweep_begin(&x, c, now, deadline, st);
    int rc = ticket_sweep_act(&x,
                              "SELECT id FROM tickets WHERE status = 'on_hold' AND hold_until <= $1"
                              " ORDER BY hold_until LIMIT $2",
                              now, "resume", "挂起到期，系统自动恢复处理", &st->resumed, err);
    ticket_sweep_end(&x);
    return rc;
}

int ticket_sweep_milestones(db *c, int64_t now, int64_t deadline, ticket_sweep_stats *st,
                            aj_error *err)
{
    ticket_sweep_ctx x;
    ticket_sweep_begin(&x, c, now, deadline, st);
    int rc = ticket_sweep_scan_and_apply(&x, err);
    ticket_sweep_end(&x);
    return rc;
}

int ticket_sweep_closes(db *c, int64_t now, int64_t deadline, ticket_sweep_stats *st,
                        aj_error *err)
{
    ticket_sweep_ctx x;
    ticket_sweep_begin(&x, c, now, deadline, st);
    /* Complaints close only after the return visit (DESIGN "visit before
     * close"); without one they stay resolved for the desk. */
    int rc = ticket_sweep_act(&x,
                              "SELECT id FROM tickets WHERE status = 'resolved' AND resolved_at <= $1"
                              " AND (kind <> 'complaint' OR visit_at IS NOT NULL)"
                              " ORDER BY resolved_at LIMIT $2",
                              now - TICKET_SWEEP_CLOSE_AFTER, "close",
                              "处理完成 7 天内无异议，系统自动关闭", &st->closed, err);
    ticket_sweep_end(&x);
    return rc;
}

int ticket_sweep_gauges(db *c, int64_t now, int64_t open[TICKET_SWEEP_NOPEN], int64_t *overdue,
                        aj_error *err)
{
    memset(open, 0, TICKET_SWEEP_NOPEN * sizeof *open);
    *overdue = 0;
    /* The same predicate as the tickets_open partial index, which serves it. */
    db_rows *r = db_query(c,
                          "SELECT status, COUNT(*) FROM tickets WHERE status IN ('new',"
                          " 'accepted', 'assigned', 'in_progress', 'on_hold') GROUP BY status",
                          DB_NOARGS, err);
    if (!r) return err->rc;
    while (db_next(r))
        for (int i = 0; i < TICKET_SWEEP_NOPEN; i++)
            if (!strcmp(db_text(r, 0), ticket_sweep_open[i])) open[i] = db_int(r, 1);
    if (db_end(r, err)) return err->rc;
    return db_scalar(c,
                     "SELECT COUNT(*) FROM ticket_sla WHERE met_at IS NULL AND paused_at IS NULL"
                     " AND due_at < $1",
                     DB_ARGS(DB_INT(now)), overdue, err);
}
