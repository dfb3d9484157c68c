/* demo/demo_life.c: the life of a demo work order (demo_tickets.c draws
 * it): the SLA policy and clocks, each action as ticket_action.c would take
 * it, who is picked to do the work, the resident's rating, the return visit
 * and the close. All chance comes from the ticket's own generator, in a fixed
 * order, so a seed gives the same life whenever the demo runs; "now" only
 * stops it (demo_life_do does nothing once an action's time is to come). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "demo/demo_tickets.h"
#include "domain/sla/sla.h"
#include "domain/tickets/tickets.h"

/* What residents write with a score (by score; 0 unused). */
static const char *const dt_comments[6][3] = {
    {NULL, NULL, NULL},
    {"问题没彻底解决，很不满意", "拖了好几天，态度也不好", "修完没多久又坏了"},
    {"等了很久才来人", "处理得不太好", "沟通不到位"},
    {"一般吧，来得有点慢", "还行，就是效率不高", "解决了，但过程很折腾"},
    {"处理得挺好，就是等得有点久", "还不错", "师傅挺认真的"},
    {"师傅很专业，速度快", "服务很好，点赞", "处理及时，非常满意"},
};

static const char *const dt_prios[4] = {"emergency", "high", "normal", "scheduled"};

static int demo_life_prio(const char *p)
{
    for (int i = 0; i < 4; i++)
        if (!strcmp(p, dt_prios[i])) return i;
    return 2;
}

/* Looked up once per project, template and priority. */
const sla_policy *demo_life_policy(dt_ctx *x, dt_tk *t)
{
    dt_proj *p = t->p;
    int prio = demo_life_prio(t->priority);
    if (!p->pol_known[t->tpl][prio]) {
        sla_policy *pol = arena_alloc(&x->a, sizeof *pol);
        aj_error e = {0};
        int rc = sla_policy_find(x->c, p->id, dt_kinds[t->tp->kind], dt_prios[prio], t->tp->cat,
                                 &x->a, pol, &e);
        p->pol[t->tpl][prio] = rc ? NULL : pol;
        p->pol_known[t->tpl][prio] = 1;
    }
    return p->pol[t->tpl][prio];
}

/* ---- the state machine, as ticket_action.c runs it ---- */

/* The due time of a milestone whose clock runs; 0 when there is none. */
static int64_t demo_life_due(const dt_tk *t, sla_milestone m)
{
    for (size_t i = 0; i < t->nrows; i++)
        if (t->rows[i].milestone == m && !t->rows[i].met_at && !t->rows[i].paused_at)
            return t->rows[i].due_at;
    return 0;
}

/* When the action meeting milestone m happens after prev: with chance ok on
 * time (lo..hi later, never past due), else late by late_lo..late_hi. */
static int64_t demo_life_when(dt_tk *t, int64_t prev, sla_milestone m, double ok, int64_t lo,
                              int64_t hi, int64_t late_lo, int64_t late_hi)
{
    int64_t due = demo_life_due(t, m), d = demo_rng_span(&t->r, lo, hi);
    int on_time = demo_rng_pct(&t->r, ok);
    if (m == SLA_RESOLVE && t->stuck) /* forgotten, or waiting on someone else: days late */
        on_time = 0, late_lo = DT_DAY, late_hi = 14 * DT_DAY;
    if (!due) return prev + d;
    if (on_time && prev < due) {
        if (prev + d > due) d = 1 + (int64_t)(demo_rng_unit(&t->r) * (double)(due - prev - 1));
        return prev + d;
    }
    return (prev > due ? prev : due) + demo_rng_span(&t->r, late_lo, late_hi);
}

/* One action at `at`, or nothing from now on when `at` is still to come. */
int demo_life_do(dt_ctx *x, dt_tk *t, const char *action, int64_t at, int64_t by, const char *note,
                 const char *data)
{
    const char *to;
    if (t->stopped || at > x->now || t->nev >= DT_MAXEV) {
        t->stopped = 1;
        return 0;
    }
    if (ticket_transition(action, dt_kinds[t->kind], t->status, t->held_from, &to)) {
        t->stopped = 1; /* a bug in this file; the ticket stays as it was */
        return 0;
    }
    static const struct {
        const char *action;
        int milestone;
    } meets[] = {{"accept", SLA_RESPOND},
                 {"assign", SLA_ASSIGN},
                 {"arrive", SLA_ARRIVE},
                 {"contact", SLA_CONTACT},
                 {"resolve", SLA_RESOLVE}};
    for (size_t i = 0; i < sizeof meets / sizeof meets[0]; i++)
        if (!strcmp(action, meets[i].action))
            sla_meet(t->rows, t->nrows, (sla_milestone)meets[i].milestone, at);
    if (!strcmp(action, "hold") || !strcmp(action, "resolve") || !strcmp(action, "cancel"))
        sla_pause(t->rows, t->nrows, at);
    if (!strcmp(action, "resume") || !strcmp(action, "reopen")) {
        aj_error e = {0};
        sla_resume(&t->p->cal, t->rows, t->nrows, at, &e);
    }
    const char *from = t->status;
    if (!strcmp(action, "accept")) t->accepted = at;
    else if (!strcmp(action, "assign")) t->assigned = at;
    else if (!strcmp(action, "arrive")) t->arrived = at;
    else if (!strcmp(action, "contact")) t->contacted = at, t->contact_note = note;
    else if (!strcmp(action, "investigate")) t->findings = note;
    else if (!strcmp(action, "hold")) t->held_from = from, t->hold_reason = note;
    else if (!strcmp(action, "resume")) t->held_from = NULL, t->hold_reason = NULL;
    else if (!strcmp(action, "resolve")) t->resolved = at, t->resolution = note;
    else if (!strcmp(action, "rate")) t->rated = at, t->rating_comment = note;
    else if (!strcmp(action, "visit")) t->visit_at = at, t->visit_note = note;
    else if (!strcmp(action, "close")) t->closed = at;
    else if (!strcmp(action, "cancel")) t->cancelled = at, t->cancel_reason = note;
    else if (!strcmp(action, "reopen")) {
        t->resolved = t->closed = t->visit_at = 0;
        t->visit_note = NULL;
        t->visit_satisfied = -1;
        t->visit_unreachable = 0;
        t->reopen_count++;
    }
    int moves = strcmp(action, "contact") && strcmp(action, "rate") && strcmp(action, "visit");
    dt_ev *e = &t->ev[t->nev++];
    *e = (dt_ev){.at = at, .actor = by, .action = action, .from = moves ? from : NULL,
                 .to = moves ? to : NULL, .note = note};
    snprintf(e->data, sizeof e->data, "%s", data ? data : "");
    t->status = to;
    t->version++;
    return 1;
}

/* Someone of the project's team, preferably already hired when the ticket came in. */
int64_t demo_life_pick(dt_tk *t, int team, unsigned skills)
{
    dt_proj *p = t->p;
    int64_t any = 0;
    for (int pass = 0; pass < 2; pass++) {
        int n = 0;
        for (int i = 0; i < p->nstaff; i++) {
            const dt_staff *s = &p->staff[i];
            n += s->team == team && (!skills || (s->skills & skills) || pass);
        }
        if (!n) continue;
        for (int tries = 0; tries < 6; tries++) {
            int k = demo_rng_int(&t->r, 0, n - 1);
            for (int i = 0; i < p->nstaff; i++) {
                const dt_staff *s = &p->staff[i];
                if (s->team != team || !(!skills || (s->skills & skills) || pass) || k--) continue;
                if (s->since <= t->reported) return s->id;
                any = s->id;
                break;
            }
        }
        if (any) return any;
    }
    return team == T_MANAGER || team == T_DESK ? 0 : demo_life_pick(t, T_DESK, 0);
}

/* A score: mostly 4 and 5, lower when the ticket ran late. */
static int demo_life_score(dt_tk *t)
{
    int late = 0;
    for (size_t i = 0; i < t->nrows; i++)
        late |= t->rows[i].met_at > t->rows[i].due_at ||
                (t->rows[i].paused_at && t->rows[i].paused_at > t->rows[i].due_at);
    static const double ok[5] = {.01, .02, .05, .20, .72}, bad[5] = {.07, .10, .17, .28, .38};
    double u = demo_rng_unit(&t->r), acc = 0;
    for (int s = 0; s < 5; s++)
        if (u < (acc += late ? bad[s] : ok[s])) return s + 1;
    return 5;
}

/* After the resolution: the resident's rating, the return visit (回访), the close. */
static void demo_life_after(dt_ctx *x, dt_tk *t, int64_t at, double rate_share, double visit_share)
{
    char data[64];
    if (t->user && demo_rng_pct(&t->r, rate_share)) {
        int s = demo_life_score(t);
        at += demo_rng_span(&t->r, 10 * DT_MIN, 36 * DT_HOUR);
        const char *c = demo_rng_pct(&t->r, 0.7) ? dt_comments[s][demo_rng_int(&t->r, 0, 2)] : NULL;
        snprintf(data, sizeof data, "{\"score\":%d}", s);
        if (demo_life_do(x, t, "rate", at, t->user, c, data)) t->rating = s;
    }
    int visit = t->kind == DT_COMPLAINT || demo_rng_pct(&t->r, visit_share) ||
                (t->rating && t->rating <= 3);
    if (visit) {
        at += demo_rng_span(&t->r, 2 * DT_HOUR, 3 * DT_DAY);
        int unreachable = t->kind == DT_COMPLAINT && demo_rng_pct(&t->r, 0.04);
        int satisfied = t->rating ? t->rating >= 4 : demo_rng_pct(&t->r, t->valid == 0 ? 0.7 : 0.9);
        if (unreachable)
            snprintf(data, sizeof data, "{\"unreachable\":true}");
        else
            snprintf(data, sizeof data, "{\"satisfied\":%s}", satisfied ? "true" : "false");
        const char *note = unreachable ? "三次电话回访均未接通，已短信告知处理结果"
                           : satisfied ? "业主对处理结果表示满意"
                                       : "业主对处理结果不太满意，已记录并反馈相关部门";
        if (demo_life_do(x, t, "visit", at, t->desk, note, data)) {
            t->visit_unreachable = unreachable;
            t->visit_satisfied = unreachable ? -1 : satisfied;
        }
        demo_life_do(x, t, "close", at + demo_rng_span(&t->r, 2 * DT_MIN, 40 * DT_MIN), t->desk,
                     NULL, NULL);
    } else if (t->kind != DT_REPAIR && demo_rng_pct(&t->r, 0.5)) {
        demo_life_do(x, t, "close", at + demo_rng_span(&t->r, 5 * DT_MIN, 20 * DT_HOUR), t->desk,
                     NULL, NULL);
    } else { /* the sweep closes what nobody disputed in 7 days */
        demo_life_do(x, t, "close", t->resolved + 7 * DT_DAY + demo_rng_int(&t->r, 0, 59), 0,
                     "7 天内无异议，系统自动关闭", NULL);
    }
}

static int demo_life_local_hour(const dt_tk *t, int64_t at)
{
    return (int)((at + t->p->off) % DT_DAY / DT_HOUR);
}

static void demo_life_assign(dt_ctx *x, dt_tk *t, int64_t at, int team, int auto_share)
{
    char data[64];
    t->assignee = demo_life_pick(t, team, team == T_TECH ? x->cats[t->tpl].skills : 0);
    if (!t->assignee) t->assignee = t->desk;
    snprintf(data, sizeof data, "{\"assignee_id\":%" PRId64 ",\"auto\":%s}", t->assignee,
             demo_rng_pct(&t->r, auto_share / 100.0) ? "true" : "false");
    demo_life_do(x, t, "assign", at, t->desk, NULL, data);
}

void demo_life_repair(dt_ctx *x, dt_tk *t)
{
    const dt_tpl *tp = t->tp;
    int emergency = !strcmp(t->priority, "emergency"), sched = !strcmp(t->priority, "scheduled");
    int64_t at = demo_life_when(t, t->reported, SLA_RESPOND, t->q + 0.03, DT_MIN, 13 * DT_MIN,
                                DT_MIN, 150 * DT_MIN);
    if (!demo_life_do(x, t, "accept", at, t->desk, NULL, NULL)) return;
    demo_life_assign(x, t, at + demo_rng_span(&t->r, DT_MIN, 25 * DT_MIN), tp->team, 70);
    at = t->assigned;
    if (emergency) {
        at = demo_life_when(t, at, SLA_ARRIVE, t->q, 5 * DT_MIN, 25 * DT_MIN, 3 * DT_MIN,
                            90 * DT_MIN);
    } else if (sched) {
        int64_t from = t->appt_start - 30 * DT_MIN > at ? t->appt_start - 30 * DT_MIN : at;
        at =
            demo_life_when(t, from, SLA_ARRIVE, t->q, DT_MIN, 29 * DT_MIN, 5 * DT_MIN, 60 * DT_MIN);
    } else {
        int h = demo_life_local_hour(t, at);
        if (h >= 21 || h < 7) /* not urgent at night: the morning shift goes */
            at += ((32 - h) % 24) * DT_HOUR + demo_rng_int(&t->r, 0, 90) * DT_MIN;
        else
            at += demo_rng_span(&t->r, 15 * DT_MIN, 4 * DT_HOUR);
    }
    demo_life_do(x, t, "arrive", at, t->assignee, NULL, NULL);
    if (!emergency && demo_rng_pct(&t->r, 0.03)) {
        int parts = demo_rng_pct(&t->r, 0.7);
        at += demo_rng_span(&t->r, 10 * DT_MIN, DT_HOUR);
        demo_life_do(x, t, "hold", at, t->assignee,
                     parts ? "等待配件到货" : "业主临时外出，约定改期上门", NULL);
        at += demo_rng_span(&t->r, 12 * DT_HOUR, 4 * DT_DAY);
        demo_life_do(x, t, "resume", at, t->assignee,
                     parts ? "配件已到，继续维修" : "已与业主约好时间", NULL);
    }
    int64_t work = emergency ? 5 * DT_HOUR : sched ? 2 * DT_HOUR : 4 * DT_HOUR;
    at = demo_life_when(t, at, SLA_RESOLVE, t->q, 15 * DT_MIN, work, DT_HOUR, 48 * DT_HOUR);
    if (!demo_life_do(x, t, "resolve", at, t->assignee, tp->fix, NULL)) return;
    if (t->user && demo_rng_pct(&t->r, 0.015)) { /* the fix did not last: a dispute within 7 days */
        at += demo_rng_span(&t->r, 2 * DT_HOUR, 5 * DT_DAY);
        demo_life_do(x, t, "reopen", at, t->user, "维修后问题又出现了，请再派人看看", NULL);
        at += demo_rng_span(&t->r, 30 * DT_MIN, 6 * DT_HOUR);
        demo_life_do(x, t, "arrive", at, t->assignee, NULL, NULL);
        at += demo_rng_span(&t->r, 20 * DT_MIN, 3 * DT_HOUR);
        demo_life_do(x, t, "resolve", at, t->assignee,
                     "二次上门彻底排查，更换相关部件，已恢复正常。", NULL);
    }
    demo_life_after(x, t, at, 0.55, 0.3);
}

void demo_life_complaint(dt_ctx *x, dt_tk *t)
{
    const dt_tpl *tp = t->tp;
    int high = !strcmp(t->priority, "high");
    int64_t at = demo_life_when(t, t->reported, SLA_RESPOND, t->q + 0.03, DT_MIN, 13 * DT_MIN,
                                DT_MIN, 120 * DT_MIN);
    if (!demo_life_do(x, t, "accept", at, t->desk, NULL, NULL)) return;
    at = demo_life_when(t, at, SLA_ASSIGN, t->q, 5 * DT_MIN, 80 * DT_MIN, 10 * DT_MIN, 5 * DT_HOUR);
    demo_life_assign(x, t, at, tp->team, 0);
    at = demo_life_when(t, at, SLA_CONTACT, t->q, 10 * DT_MIN, high ? 90 * DT_MIN : 8 * DT_HOUR,
                        20 * DT_MIN, 20 * DT_HOUR);
    demo_life_do(x, t, "contact", at, t->assignee,
                 demo_rng_pct(&t->r, 0.6) ? "已电话联系业主，说明处理安排"
                                          : "已上门与业主面谈，了解具体情况",
                 NULL);
    int share = !strncmp(tp->cat, "收费", 6) ? 35 : !strncmp(tp->cat, "服务态度", 12) ? 55 : 70;
    t->valid = demo_rng_pct(&t->r, share / 100.0);
    at += demo_rng_span(&t->r, 30 * DT_MIN, 20 * DT_HOUR);
    if (demo_life_do(x, t, "investigate", at, t->assignee,
                     t->valid ? "经现场核实，反映情况属实"
                              : "经核实，该问题不属于物业服务范围或情况不实",
                     t->valid ? "{\"valid\":true}" : "{\"valid\":false}") == 0)
        t->valid = -1;
    at = demo_life_when(t, at, SLA_RESOLVE, t->q, DT_HOUR, 3 * DT_DAY, 2 * DT_HOUR, 3 * DT_DAY);
    if (!demo_life_do(x, t, "resolve", at, t->assignee,
                      t->valid == 0 ? "经核实不属于物业服务范围，已向业主解释说明并提供建议。"
                                    : tp->fix,
                      NULL))
        return;
    demo_life_after(x, t, at, 0.35, 1);
}

void demo_life_other(dt_ctx *x, dt_tk *t)
{
    const dt_tpl *tp = t->tp;
    int64_t at = demo_life_when(t, t->reported, SLA_RESPOND, t->q + 0.03, DT_MIN, 13 * DT_MIN,
                                DT_MIN, 100 * DT_MIN);
    if (!demo_life_do(x, t, "accept", at, t->desk, NULL, NULL)) return;
    if (t->kind == DT_INQUIRY) { /* the desk answers it */
        int high = !strcmp(t->priority, "high");
        at = demo_life_when(t, at, SLA_RESOLVE, t->q, 5 * DT_MIN,
                            high ? 36 * DT_HOUR : 100 * DT_MIN, 10 * DT_MIN, 6 * DT_HOUR);
        if (!demo_life_do(x, t, "resolve", at, t->desk, tp->fix, NULL)) return;
        demo_life_after(x, t, at, 0.15, 0.05);
        return;
    }
    demo_life_assign(x, t, at + demo_rng_span(&t->r, 10 * DT_MIN, 3 * DT_HOUR), T_MANAGER, 0);
    at = t->assigned;
    if (t->kind == DT_SUGGESTION)
        at = demo_life_when(t, at, SLA_RESOLVE, t->q, 2 * DT_HOUR, 2 * DT_DAY, 3 * DT_HOUR,
                            3 * DT_DAY);
    else
        at += demo_rng_span(&t->r, DT_HOUR, DT_DAY);
    if (!demo_life_do(x, t, "resolve", at, t->assignee, tp->fix, NULL)) return;
    demo_life_after(x, t, at, 0.2, t->kind == DT_SUGGESTION ? 0.4 : 0);
}

/* breached_at and the escalations already fired, as the sweep would have left
 * them; clocks still running are left to the sweep. */
void demo_life_settle(dt_tk *t)
{
    for (size_t i = 0; i < t->nrows; i++) {
        sla_clock_row *row = &t->rows[i];
        int64_t end = row->met_at ? row->met_at : row->paused_at;
        t->breached[i] = 0;
        row->escalated = 0;
        if (!end) continue;
        if (end > row->due_at) {
            t->breached[i] = row->due_at + demo_rng_int(&t->r, 1, 60);
            if (t->breached[i] > end) t->breached[i] = end;
        }
        for (size_t k = 0; t->pol && k < t->pol->nescalations; k++) {
            int64_t at;
            aj_error e = {0};
            if (!sla_escalation_at(&t->p->cal, row, t->pol->escalations[k].at_percent, &at, &e) &&
                at <= end)
                row->escalated |= 1 << k;
        }
    }
}
