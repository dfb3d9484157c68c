/* domain/sla/sla_replan.c: giving unplanned SLA milestones their due time once the
 * calendar can place it (sla.h, SLA_DUE_UNPLANNED). A row went unplanned when
 * its target ran into a year without official data; its start, clock and the
 * ticket's policy are stored, and the event log holds every hold and resume
 * since, so the due time is rebuilt exactly as plan + resumes would have made
 * it had the year been known from the start. */
#include <stdlib.h>
#include <string.h>

#include "domain/sla/sla.h"

/* Of the actions that stop running clocks and start them again (ticket_action.c
 * ticket_action_sla), the ones that stop them: hold, resolve and cancel; resume and
 * reopen start them (the query below reads only these five). */
static int sla_replan_pauses(const char *action)
{
    return strcmp(action, "hold") == 0 || strcmp(action, "resolve") == 0 ||
           strcmp(action, "cancel") == 0;
}

typedef struct sla_replan_event {
    int64_t at;
    int pause; /* 1 pause, 0 resume */
} sla_replan_event;

/* The ticket's pause and resume events in order. */
static int sla_replan_events(db *c, int64_t ticket_id, arena *a, sla_replan_event **out,
                             size_t *n, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT at, action FROM ticket_events WHERE ticket_id = $1"
                          " AND action IN ('hold', 'resolve', 'cancel', 'resume', 'reopen')"
                          " ORDER BY id",
                          DB_ARGS(DB_INT(ticket_id)), err);
    if (!r) return err->rc;
    size_t cap = 8;
    *out = arena_alloc(a, cap * sizeof **out);
    *n = 0;
    while (db_next(r)) {
        *out = arena_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = (sla_replan_event){.at = db_int(r, 0), .pause = sla_replan_pauses(db_text(r, 1))};
    }
    return db_end(r, err);
}

/* The due time of row under target t, with every pause in ev replayed
 * through sla_pause and sla_resume on a copy of the row as it stood at each
 * moment (met only once it had been met). SLA_DUE_UNPLANNED when the calendar
 * still cannot place it. */
static int sla_replan_row(const calendar *cal, const sla_target *t, const sla_clock_row *row,
                          const sla_replan_event *ev, size_t nev, int64_t *due, aj_error *err)
{
    sla_clock_row r = *row;
    r.paused_at = 0;
    *due = SLA_DUE_UNPLANNED;
    if (calendar_due(cal, r.started_at, t->amount, t->unit, t->clock, &r.due_at, err))
        return calendar_cannot_place(err) ? 0 : err->rc;
    for (size_t i = 0; i < nev && r.due_at != SLA_DUE_UNPLANNED; i++) {
        r.met_at = row->met_at && row->met_at <= ev[i].at ? row->met_at : 0;
        if (ev[i].pause) sla_pause(&r, 1, ev[i].at);
        else if (sla_resume(cal, &r, 1, ev[i].at, err)) return err->rc;
    }
    *due = r.due_at;
    return 0;
}

typedef struct sla_replan_ticket {
    int64_t id, project_id, policy_id;
} sla_replan_ticket;

/* The tickets with unplanned rows on calendar calendar_id. The constant
 * matches the partial index ticket_sla_unplanned (006_unplanned). */
static int sla_replan_tickets(db *c, int64_t calendar_id, sla_replan_ticket **out, size_t *n,
                              aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT t.id, t.project_id, COALESCE(t.policy_id, 0) FROM tickets t"
                          " WHERE t.id IN (SELECT s.ticket_id FROM ticket_sla s"
                          "  WHERE s.due_at = " SLA_DUE_UNPLANNED_SQL ")"
                          " AND t.project_id IN (SELECT p.id FROM projects p"
                          "  WHERE p.calendar_id = $1) ORDER BY t.project_id, t.id",
                          DB_ARGS(DB_INT(calendar_id)), err);
    if (!r) return err->rc;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    while (db_next(r)) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 64;
            sla_replan_ticket *g = realloc(*out, cap * sizeof *g);
            if (!g) abort();
            *out = g;
        }
        (*out)[(*n)++] = (sla_replan_ticket){db_int(r, 0), db_int(r, 1), db_int(r, 2)};
    }
    if (db_end(r, err)) {
        free(*out);
        *out = NULL;
        return err->rc;
    }
    return 0;
}

/* One ticket: its unplanned rows get their times where the calendar allows. */
static int sla_replan_one(db *c, const sla_replan_ticket *tk, const calendar *cal, arena *a,
                          int *planned, aj_error *err)
{
    const actor sys = actor_system("calendar:replan");
    sla_clock_row rows[SLA_NMILESTONES];
    size_t nrows = 0;
    sla_policy pol;
    sla_replan_event *ev = NULL;
    size_t nev = 0;
    if (!tk->policy_id) return 0; /* no policy, no targets to place */
    int rc = sla_policy_get(c, &sys, tk->policy_id, a, &pol, err);
    if (rc == AJ_ENOTFOUND) return 0;
    if (rc || sla_rows_load(c, tk->id, rows, &nrows, err) ||
        sla_replan_events(c, tk->id, a, &ev, &nev, err))
        return err->rc;
    int changed = 0;
    for (size_t i = 0; i < nrows; i++) {
        if (rows[i].due_at != SLA_DUE_UNPLANNED) continue;
        const sla_target *t = NULL;
        for (size_t k = 0; k < pol.ntargets; k++)
            if (pol.targets[k].milestone == rows[i].milestone) t = &pol.targets[k];
        if (!t) continue; /* the policy no longer has this milestone */
        int64_t due;
        if (sla_replan_row(cal, t, &rows[i], ev, nev, &due, err)) return err->rc;
        if (due == SLA_DUE_UNPLANNED) continue; /* still beyond the data */
        rows[i].due_at = due;
        changed = 1;
        (*planned)++;
    }
    return changed ? sla_rows_save(c, tk->id, rows, nrows, err) : 0;
}

int sla_replan(db *c, int64_t calendar_id, int *planned, aj_error *err)
{
    sla_replan_ticket *tk = NULL;
    size_t n = 0;
    *planned = 0;
    if (sla_replan_tickets(c, calendar_id, &tk, &n, err)) return err->rc;
    /* Tickets come by project: each project's calendar (its days, in its
     * time zone) is loaded once. */
    arena a, ca;
    arena_init(&a, 16384);
    arena_init(&ca, 16384);
    calendar cal;
    int64_t cal_project = 0;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (tk[i].project_id != cal_project) {
            arena_reset(&ca);
            if ((rc = calendar_load_project(c, tk[i].project_id, &ca, &cal, err))) break;
            cal_project = tk[i].project_id;
        }
        rc = sla_replan_one(c, &tk[i], &cal, &a, planned, err);
        arena_reset(&a);
    }
    arena_free(&ca);
    arena_free(&a);
    free(tk);
    return rc;
}

/* The calendar context tells the SLA engine of changed days through its hook
 * (calendar.h) instead of calling it: time sits below sla. Registered when
 * the program loads, so no entry point (server, CLI, tests) can forget it;
 * every object of the build is linked into each binary. */
__attribute__((constructor)) static void sla_replan_register(void)
{
    calendar_on_change(sla_replan);
}
