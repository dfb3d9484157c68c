/* domain/sla/sla.c: the clocks of one ticket's milestones (no database, no JSON). */
#include "domain/sla/sla.h"

#include <string.h>

static const char *const sla_milestones[] = {"respond", "assign", "arrive", "contact", "resolve"};
static const char *const sla_states[] = {"pending", "met", "breached", "paused", "unplanned"};
static const char *const sla_anchors[] = {"reported", "appointment_start", "appointment_end"};

const char *sla_milestone_name(sla_milestone m)
{
    return m >= SLA_RESPOND && m < SLA_NMILESTONES ? sla_milestones[m] : "";
}

int sla_milestone_parse(const char *s)
{
    for (int i = 0; s && i < SLA_NMILESTONES; i++)
        if (strcmp(s, sla_milestones[i]) == 0) return i;
    return -1;
}

const char *sla_state_name(sla_state s)
{
    return s >= SLA_PENDING && s <= SLA_UNPLANNED ? sla_states[s] : "";
}

const char *sla_anchor_name(sla_anchor f)
{
    return f >= SLA_FROM_REPORTED && f <= SLA_FROM_APPT_END ? sla_anchors[f] : "";
}

int sla_anchor_parse(const char *s)
{
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, sla_anchors[i]) == 0) return i;
    return -1;
}

/* ---- the clocks of one ticket ---- */

sla_state sla_state_at(const sla_clock_row *row, int64_t now)
{
    if (row->met_at) return SLA_MET;
    if (row->due_at == SLA_DUE_UNPLANNED) return SLA_UNPLANNED;
    /* A row put on hold after it was already late stays breached. */
    if (row->paused_at) return row->paused_at > row->due_at ? SLA_BREACHED : SLA_PAUSED;
    return now > row->due_at ? SLA_BREACHED : SLA_PENDING;
}

int sla_plan(const sla_policy *p, const calendar *cal, int64_t reported_at, int64_t appt_start,
             int64_t appt_end, sla_clock_row *rows, size_t *nrows, aj_error *err)
{
    *nrows = 0;
    for (size_t i = 0; i < p->ntargets && i < SLA_NMILESTONES; i++) {
        const sla_target *t = &p->targets[i];
        int64_t from = reported_at, due;
        if (t->from == SLA_FROM_APPT_START || (t->from == SLA_FROM_APPT_END && !appt_start)) {
            if (!appt_start)
                return aj_fail(err, AJ_EINVAL, "appointment_start",
                               "该类工单的时限从预约时间起算，须填写预约时间");
            from = appt_start;
        }
        if (t->from == SLA_FROM_APPT_END) {
            if (!appt_end)
                return aj_fail(err, AJ_EINVAL, "appointment_end", "须填写预约结束时间");
            from = appt_end;
        }
        if (calendar_due(cal, from, t->amount, t->unit, t->clock, &due, err)) {
            if (!calendar_cannot_place(err)) return err->rc;
            due = SLA_DUE_UNPLANNED;
        }
        rows[(*nrows)++] = (sla_clock_row){
            .milestone = t->milestone, .started_at = from, .due_at = due, .clock = t->clock};
    }
    return 0;
}

void sla_pause(sla_clock_row *rows, size_t nrows, int64_t now)
{
    for (size_t i = 0; i < nrows; i++)
        if (!rows[i].met_at && !rows[i].paused_at) rows[i].paused_at = now;
}

int sla_meet(sla_clock_row *rows, size_t nrows, sla_milestone m, int64_t now)
{
    for (size_t i = 0; i < nrows; i++) {
        if (rows[i].milestone != m) continue;
        if (rows[i].met_at) return 0;
        rows[i].met_at = now;
        return 1;
    }
    return 0;
}

int sla_resume(const calendar *cal, sla_clock_row *rows, size_t nrows, int64_t now,
               aj_error *err)
{
    int64_t due[SLA_NMILESTONES];
    if (nrows > SLA_NMILESTONES) nrows = SLA_NMILESTONES;
    /* All or nothing: compute every new due time before changing any row. */
    for (size_t i = 0; i < nrows; i++) {
        const sla_clock_row *r = &rows[i];
        due[i] = r->due_at;
        if (r->met_at || !r->paused_at || r->due_at == SLA_DUE_UNPLANNED) continue;
        /* Only time after the clock started counts (an appointment may lie ahead). */
        int64_t from = r->paused_at > r->started_at ? r->paused_at : r->started_at;
        int64_t to = now > r->started_at ? now : r->started_at, secs;
        if (calendar_elapsed(cal, from, to, r->clock, &secs, err) ||
            calendar_extend(cal, r->due_at, secs, r->clock, &due[i], err)) {
            if (!calendar_cannot_place(err)) return err->rc;
            due[i] = SLA_DUE_UNPLANNED;
        }
    }
    for (size_t i = 0; i < nrows; i++) {
        rows[i].due_at = due[i];
        rows[i].paused_at = 0;
    }
    return 0;
}

int sla_escalation_at(const calendar *cal, const sla_clock_row *row, int at_percent,
                      int64_t *at, aj_error *err)
{
    int64_t span;
    if (row->due_at == SLA_DUE_UNPLANNED)
        return aj_fail(err, AJ_EINVAL, "calendar", "该时限尚未排定，没有升级时间");
    if (calendar_elapsed(cal, row->started_at, row->due_at, row->clock, &span, err))
        return err->rc;
    return calendar_extend(cal, row->started_at, span * at_percent / 100, row->clock, at, err);
}

int sla_escalations_due(const sla_policy *p, const calendar *cal, const sla_clock_row *row,
                        int64_t now, int *fire, aj_error *err)
{
    *fire = 0;
    if (row->met_at || row->paused_at || row->due_at == SLA_DUE_UNPLANNED) return 0;
    for (size_t i = 0; i < p->nescalations && i < SLA_MAX_ESCALATIONS; i++) {
        if (row->escalated & (1 << i)) continue;
        int64_t at;
        if (sla_escalation_at(cal, row, p->escalations[i].at_percent, &at, err)) return err->rc;
        if (now >= at) *fire |= 1 << i;
    }
    return 0;
}
