/* domain/sla/sla_rows.c: the persisted milestone rows of a ticket (ticket_sla). */
#include "domain/sla/sla.h"

int sla_rows_load(db *c, int64_t ticket_id, sla_clock_row *rows, size_t *nrows, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT milestone, started_at, due_at, met_at, paused_at, clock,"
                          " escalated FROM ticket_sla WHERE ticket_id = $1",
                          DB_ARGS(DB_INT(ticket_id)), err);
    if (!r) return err->rc;
    sla_clock_row got[SLA_NMILESTONES];
    int have = 0;
    while (db_next(r)) {
        int m = sla_milestone_parse(db_text(r, 0));
        if (m < 0 || (have & (1 << m))) continue;
        have |= 1 << m;
        got[m] = (sla_clock_row){.milestone = (sla_milestone)m,
                                 .started_at = db_int(r, 1),
                                 .due_at = db_int(r, 2),
                                 .met_at = db_null(r, 3) ? 0 : db_int(r, 3),
                                 .paused_at = db_null(r, 4) ? 0 : db_int(r, 4),
                                 .clock = calendar_clock_parse(db_text(r, 5)) == 1
                                              ? CAL_CLOCK_BUSINESS
                                              : CAL_CLOCK_CALENDAR,
                                 .escalated = (int)db_int(r, 6)};
    }
    if (db_end(r, err)) return err->rc;
    *nrows = 0;
    for (int m = 0; m < SLA_NMILESTONES; m++)
        if (have & (1 << m)) rows[(*nrows)++] = got[m];
    return 0;
}

int sla_rows_save(db *c, int64_t ticket_id, const sla_clock_row *rows, size_t nrows,
                  aj_error *err)
{
    /* breached_at belongs to the sweep job: a new row starts without it and
     * a save never clears it. */
    for (size_t i = 0; i < nrows; i++) {
        const sla_clock_row *r = &rows[i];
        if (db_exec(c,
                    "INSERT INTO ticket_sla (ticket_id, milestone, started_at, due_at, met_at,"
                    " paused_at, clock, escalated) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                    " ON CONFLICT (ticket_id, milestone) DO UPDATE SET"
                    " started_at = excluded.started_at, due_at = excluded.due_at,"
                    " met_at = excluded.met_at, paused_at = excluded.paused_at,"
                    " clock = excluded.clock, escalated = excluded.escalated",
                    DB_ARGS(DB_INT(ticket_id), DB_TEXT(sla_milestone_name(r->milestone)),
                            DB_INT(r->started_at), DB_INT(r->due_at),
                            DB_OPT_INT(r->met_at, r->met_at),
                            DB_OPT_INT(r->paused_at, r->paused_at),
                            DB_TEXT(calendar_clock_name(r->clock)), DB_INT(r->escalated)),
                    err) < 0)
            return err->rc;
    }
    return 0;
}
