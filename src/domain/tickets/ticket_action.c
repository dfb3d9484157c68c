/* domain/tickets/ticket_action.c: the ticket state machine: who may do which action
 * from which state, the SLA milestone each action meets, holds that pause the
 * clocks, and one transaction per action guarded by the ticket's version. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"
#include "domain/calendar/calendar.h"
#include "domain/tickets/ticket_sql.h"

typedef enum {
    ACT_ACCEPT,
    ACT_ASSIGN,
    ACT_ARRIVE,
    ACT_CONTACT,
    ACT_INVESTIGATE,
    ACT_HOLD,
    ACT_RESUME,
    ACT_RESOLVE,
    ACT_RATE,
    ACT_VISIT,
    ACT_CLOSE,
    ACT_REOPEN,
    ACT_CANCEL,
    ACT_COMMENT,
    ACT_N
} act_kind;

static const char *const act_names[ACT_N] = {
    "accept", "assign",  "arrive", "contact", "investigate", "hold",   "resume",
    "resolve", "rate",   "visit",  "close",   "reopen",      "cancel", "comment",
};

/* A resident may dispute a resolution for this long. */
#define ACT_DISPUTE_WINDOW (7 * 86400)

static int ticket_action_parse(const char *s)
{
    for (int i = 0; s && i < ACT_N; i++)
        if (strcmp(s, act_names[i]) == 0) return i;
    return -1;
}

static int ticket_action_is(const char *status, const char *a, const char *b, const char *c_)
{
    return (a && !strcmp(status, a)) || (b && !strcmp(status, b)) || (c_ && !strcmp(status, c_));
}

int ticket_transition(const char *action, const char *kind, const char *status,
                      const char *held_from, const char **to)
{
    int act = ticket_action_parse(action);
    if (act < 0) return AJ_ENOTFOUND;
    const char *next = NULL;
    switch ((act_kind)act) {
    case ACT_ACCEPT: next = ticket_action_is(status, "new", NULL, NULL) ? "accepted" : NULL; break;
    case ACT_ASSIGN: next = ticket_action_is(status, "accepted", "assigned", NULL) ? "assigned" : NULL; break;
    case ACT_ARRIVE: next = ticket_action_is(status, "assigned", NULL, NULL) ? "in_progress" : NULL; break;
    case ACT_CONTACT: next = ticket_is_open(status) ? status : NULL; break;
    case ACT_INVESTIGATE:
        next = !strcmp(kind, "complaint") && ticket_action_is(status, "assigned", "in_progress", NULL)
                   ? "in_progress"
                   : NULL;
        break;
    case ACT_HOLD:
        next = ticket_action_is(status, "accepted", "assigned", "in_progress") ? "on_hold" : NULL;
        break;
    case ACT_RESUME:
        next = !strcmp(status, "on_hold") && held_from ? held_from : NULL;
        break;
    case ACT_RESOLVE:
        next = ticket_action_is(status, "assigned", "in_progress", NULL) ||
                       (!strcmp(kind, "inquiry") && !strcmp(status, "accepted"))
                   ? "resolved"
                   : NULL;
        break;
    case ACT_RATE:
    case ACT_VISIT: next = ticket_action_is(status, "resolved", "closed", NULL) ? status : NULL; break;
    case ACT_CLOSE: next = ticket_action_is(status, "resolved", NULL, NULL) ? "closed" : NULL; break;
    case ACT_REOPEN: next = ticket_action_is(status, "resolved", "closed", NULL) ? "assigned" : NULL; break;
    case ACT_CANCEL: next = ticket_is_open(status) ? "cancelled" : NULL; break;
    case ACT_COMMENT: next = status; break;
    case ACT_N: break;
    }
    if (!next) return AJ_ETRANSITION;
    *to = next;
    return 0;
}

static int ticket_action_role(const actor *who, actor_role a, actor_role b, actor_role c_)
{
    return who->role == a || who->role == b || who->role == c_;
}

/* Who may do what: the desk (and managers, admins) run the desk's steps; the
 * assignee does the work; a resident comments, rates, disputes and withdraws
 * their own; quality reads everything and may comment. */
static int ticket_action_may(const actor *who, const ticket *t, act_kind act, int64_t now, aj_error *err)
{
    int desk = ticket_action_role(who, ROLE_DESK, ROLE_MANAGER, ROLE_ADMIN) || who->id == 0;
    int boss = ticket_action_role(who, ROLE_MANAGER, ROLE_ADMIN, ROLE_MANAGER) || who->id == 0;
    int assignee = who->role != ROLE_RESIDENT && t->assignee_id && who->id == t->assignee_id;
    int own = who->role == ROLE_RESIDENT && t->resident_id && t->resident_id == who->resident_id;
    int ok = 0;
    switch (act) {
    case ACT_ACCEPT:
    case ACT_ASSIGN:
    case ACT_VISIT:
    case ACT_CLOSE: ok = desk; break;
    case ACT_ARRIVE: ok = assignee || boss; break;
    case ACT_CONTACT:
    case ACT_INVESTIGATE: ok = desk || assignee; break;
    case ACT_HOLD:
    case ACT_RESUME: ok = assignee || boss || (desk && !t->assignee_id); break;
    case ACT_RESOLVE: ok = assignee || boss || (desk && strcmp(t->kind, "repair") != 0); break;
    case ACT_RATE:
        if (!own) return aj_fail(err, AJ_EFORBIDDEN, NULL, "只有报事住户本人可以评价");
        ok = 1;
        break;
    case ACT_REOPEN:
        if (own) {
            if (t->resolved_at && now - t->resolved_at > ACT_DISPUTE_WINDOW)
                return aj_fail(err, AJ_EFORBIDDEN, NULL, "已超过 7 天异议期，请联系客服");
            ok = 1;
        } else {
            ok = desk;
        }
        break;
    case ACT_CANCEL:
        if (own) {
            if (strcmp(t->status, "new") != 0)
                return aj_fail(err, AJ_EFORBIDDEN, NULL, "工单已受理，如需撤销请联系客服");
            ok = 1;
        } else {
            ok = desk;
        }
        break;
    case ACT_COMMENT: ok = 1; break; /* whoever sees the ticket */
    case ACT_N: break;
    }
    return ok ? 0 : aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权对该工单执行此操作");
}

/* Required text of each action, checked here too: jobs call in without HTTP. */
static int ticket_action_check_input(act_kind act, const ticket *t, const ticket_action_input *in,
                           int64_t now, aj_error *err)
{
    switch (act) {
    case ACT_CONTACT:
        if (!in->note) return aj_fail(err, AJ_EINVAL, "note", "缺少必填字段 note");
        break;
    case ACT_INVESTIGATE:
        if (!in->findings) return aj_fail(err, AJ_EINVAL, "findings", "缺少必填字段 findings");
        if (!in->has_valid) return aj_fail(err, AJ_EINVAL, "valid", "缺少必填字段 valid");
        break;
    case ACT_HOLD:
        if (!in->reason) return aj_fail(err, AJ_EINVAL, "reason", "缺少必填字段 reason");
        if (in->until && in->until <= now)
            return aj_fail(err, AJ_EINVAL, "until", "挂起截止时间须晚于当前时间");
        break;
    case ACT_RESOLVE:
        if (!in->resolution) return aj_fail(err, AJ_EINVAL, "resolution", "缺少必填字段 resolution");
        break;
    case ACT_RATE:
        if (!in->has_score) return aj_fail(err, AJ_EINVAL, "score", "缺少必填字段 score");
        if (in->score < 1 || in->score > 5)
            return aj_fail(err, AJ_EINVAL, "score", "score 须为 1 到 5");
        if (t->rating) return aj_fail(err, AJ_ECONFLICT, "score", "该工单已评价");
        break;
    case ACT_VISIT:
        if (in->has_unreachable && in->unreachable) {
            if (!in->note)
                return aj_fail(err, AJ_EINVAL, "note", "联系不上时须在 note 中说明回访经过");
        } else if (!in->has_satisfied) {
            return aj_fail(err, AJ_EINVAL, "satisfied", "缺少必填字段 satisfied");
        }
        break;
    case ACT_CLOSE:
        /* The closed loop: a complaint is archived only after the return visit. */
        if (!strcmp(t->kind, "complaint") && !t->visit_at)
            return aj_fail(err, AJ_ETRANSITION, NULL, "投诉须先回访（或记录联系不上）才能关闭");
        break;
    case ACT_REOPEN:
    case ACT_CANCEL:
        if (!in->reason) return aj_fail(err, AJ_EINVAL, "reason", "缺少必填字段 reason");
        break;
    case ACT_COMMENT:
        if (!in->text) return aj_fail(err, AJ_EINVAL, "text", "缺少必填字段 text");
        break;
    default: break;
    }
    return 0;
}

/* The ticket after the action (its row only; SLA rows are done separately). */
static void ticket_action_apply(act_kind act, const actor *who, const ticket_action_input *in,
                      const char *to, int64_t now, ticket *t)
{
    const char *from = t->status;
    t->status = to;
    switch (act) {
    case ACT_ACCEPT: t->accepted_at = now; break;
    case ACT_ASSIGN: t->assigned_at = now; break; /* assignee_id is set by the caller */
    case ACT_ARRIVE: t->arrived_at = now; break;
    case ACT_CONTACT:
        t->contacted_at = now;
        t->contact_note = in->note;
        break;
    case ACT_INVESTIGATE:
        t->findings = in->findings;
        t->valid_complaint = in->valid;
        break;
    case ACT_HOLD:
        t->held_from = from;
        t->hold_reason = in->reason;
        t->hold_until = in->until;
        break;
    case ACT_RESUME:
        t->held_from = NULL;
        t->hold_reason = NULL;
        t->hold_until = 0;
        break;
    case ACT_RESOLVE:
        t->resolved_at = now;
        t->resolution = in->resolution;
        break;
    case ACT_RATE:
        t->rating = (int)in->score;
        t->rating_comment = in->comment;
        t->rated_at = now;
        break;
    case ACT_VISIT:
        t->visit_at = now;
        t->visit_by = who->id;
        t->visit_unreachable = in->has_unreachable && in->unreachable;
        t->visit_satisfied = t->visit_unreachable || !in->has_satisfied ? -1 : in->satisfied;
        t->visit_note = in->note;
        break;
    case ACT_CLOSE: t->closed_at = now; break;
    case ACT_REOPEN:
        /* A new round: a new resolution and a new return visit are needed. */
        t->resolved_at = 0;
        t->closed_at = 0;
        t->reopen_count++;
        t->visit_at = 0;
        t->visit_by = 0;
        t->visit_satisfied = -1;
        t->visit_note = NULL;
        t->visit_unreachable = 0;
        break;
    case ACT_CANCEL:
        t->cancelled_at = now;
        t->cancel_reason = in->reason;
        break;
    default: break;
    }
}

#define ACT_OPT(x) DB_OPT_INT((x) != 0, (x))
#define ACT_TRI(x) DB_OPT_INT((x) >= 0, (x))

/* Writes the new row if nobody changed it since it was read: 0, or AJ_ECONFLICT. */
static int ticket_action_write(db *c, const ticket *t, int64_t version, int64_t now, aj_error *err)
{
    db_val args[] = {DB_INT(t->id),
                     DB_INT(version),
                     DB_TEXT(t->status),
                     DB_TEXT(t->held_from),
                     ACT_OPT(t->assignee_id),
                     ACT_OPT(t->accepted_at),
                     ACT_OPT(t->assigned_at),
                     ACT_OPT(t->arrived_at),
                     ACT_OPT(t->contacted_at),
                     ACT_OPT(t->resolved_at),
                     ACT_OPT(t->closed_at),
                     ACT_OPT(t->cancelled_at),
                     DB_TEXT(t->hold_reason),
                     ACT_OPT(t->hold_until),
                     DB_TEXT(t->contact_note),
                     DB_TEXT(t->findings),
                     ACT_TRI(t->valid_complaint),
                     DB_TEXT(t->resolution),
                     DB_TEXT(t->cancel_reason),
                     ACT_OPT(t->rating),
                     DB_TEXT(t->rating_comment),
                     ACT_OPT(t->rated_at),
                     ACT_OPT(t->visit_at),
                     ACT_OPT(t->visit_by),
                     ACT_TRI(t->visit_satisfied),
                     DB_TEXT(t->visit_note),
                     DB_INT(t->visit_unreachable),
                     DB_INT(t->reopen_count),
                     DB_INT(now)};
    int64_t n = db_exec(c,
                        "UPDATE tickets SET status = $3, held_from = $4, assignee_id = $5,"
                        " accepted_at = $6, assigned_at = $7, arrived_at = $8, contacted_at = $9,"
                        " resolved_at = $10, closed_at = $11, cancelled_at = $12,"
                        " hold_reason = $13, hold_until = $14, contact_note = $15, findings = $16,"
                        " valid_complaint = $17, resolution = $18, cancel_reason = $19,"
                        " rating = $20, rating_comment = $21, rated_at = $22, visit_at = $23,"
                        " visit_by = $24, visit_satisfied = $25, visit_note = $26,"
                        " visit_unreachable = $27, reopen_count = $28, updated_at = $29,"
                        " version = version + 1 WHERE id = $1 AND version = $2",
                        (int)(sizeof args / sizeof args[0]), args, err);
    if (n < 0) return (int)n;
    if (n == 0) return aj_fail(err, AJ_ECONFLICT, NULL, "工单刚被他人更新，请刷新后重试");
    return 0;
}

/* The milestone each action meets (-1: none). */
static int ticket_action_milestone(act_kind act)
{
    switch (act) {
    case ACT_ACCEPT: return SLA_RESPOND;
    case ACT_ASSIGN: return SLA_ASSIGN;
    case ACT_ARRIVE: return SLA_ARRIVE;
    case ACT_CONTACT: return SLA_CONTACT;
    case ACT_RESOLVE: return SLA_RESOLVE;
    default: return -1;
    }
}

/* Inside the transaction (the ticket row is ours): the SLA rows after the action. */
static int ticket_action_sla(db *c, act_kind act, const ticket *t, int64_t now, arena *a, aj_error *err)
{
    sla_clock_row rows[SLA_NMILESTONES];
    size_t n = 0;
    int changed = 0;
    if (sla_rows_load(c, t->id, rows, &n, err)) return err->rc;
    if (!n) return 0;
    int m = ticket_action_milestone(act);
    if (m >= 0) changed |= sla_meet(rows, n, (sla_milestone)m, now);
    /* Resolve and cancel stop the clocks still running, as a hold does: only
     * open work can be overdue, and a reopen resumes them where they stopped. */
    if (act == ACT_HOLD || act == ACT_RESOLVE || act == ACT_CANCEL) {
        sla_pause(rows, n, now);
        changed = 1;
    }
    if (act == ACT_RESUME || act == ACT_REOPEN) {
        calendar cal;
        int business = 0;
        for (size_t i = 0; i < n; i++) business |= rows[i].clock == CAL_CLOCK_BUSINESS;
        if (ticket_calendar(c, t->project_id, business, a, &cal, err) ||
            sla_resume(&cal, rows, n, now, err))
            return err->rc ? err->rc : AJ_EDB;
        changed = 1;
    }
    return changed ? sla_rows_save(c, t->id, rows, n, err) : 0;
}

/* The event's note and data for an action. */
static const char *ticket_action_note(act_kind act, const ticket_action_input *in)
{
    switch (act) {
    case ACT_INVESTIGATE: return in->findings;
    case ACT_HOLD:
    case ACT_REOPEN:
    case ACT_CANCEL: return in->reason;
    case ACT_RESOLVE: return in->resolution;
    case ACT_RATE: return in->comment;
    case ACT_COMMENT: return in->text;
    default: return in->note;
    }
}

static json_t *ticket_action_data(act_kind act, const ticket *t, const ticket_action_input *in, int automatic)
{
    switch (act) {
    case ACT_ASSIGN:
        return json_pack("{s:I, s:b}", "assignee_id", (json_int_t)t->assignee_id, "auto",
                         automatic);
    case ACT_INVESTIGATE: return json_pack("{s:b}", "valid", in->valid);
    case ACT_HOLD: return in->until ? json_pack("{s:I}", "until", (json_int_t)in->until) : NULL;
    case ACT_RATE: return json_pack("{s:I}", "score", (json_int_t)in->score);
    case ACT_VISIT:
        return t->visit_unreachable ? json_pack("{s:b}", "unreachable", 1)
                                    : json_pack("{s:b}", "satisfied", t->visit_satisfied == 1);
    default: return NULL;
    }
}

/* Actions that move the ticket along the table record from and to; notes
 * (contact, rate, visit, comment) leave the state as it is. */
static int ticket_action_moves(act_kind act)
{
    return act != ACT_CONTACT && act != ACT_RATE && act != ACT_VISIT && act != ACT_COMMENT;
}

/* The ticket's assignee hears that the work is now theirs: kind "assignment"
 * (assign, manual or automatic) or "reopen" (back to them after a reopen).
 * Nothing when there is no assignee, when the assignee acted themself, or
 * when an assign left the same person in charge (prev_assignee). note is the
 * reason of a reopen (or NULL). Inside the action's transaction. */
static int ticket_action_notify_assigned(db *c, const ticket *t, const char *kind, int64_t prev_assignee,
                               int64_t actor_id, const char *note, int64_t now,
                               aj_error *err)
{
    int reopen = strcmp(kind, NOTIFY_REOPEN) == 0;
    if (!t->assignee_id || t->assignee_id == actor_id) return 0;
    if (!reopen && t->assignee_id == prev_assignee) return 0;
    arena a;
    arena_init(&a, 2048);
    const char *title = reopen ? arena_printf(&a, "工单已重开，请继续处理：%s", t->no)
                               : arena_printf(&a, "新工单派给您：%s", t->no);
    const char *body = arena_printf(&a, "【%s】%s%s%s", t->category ? t->category : "", t->title,
                                    note ? "；原因：" : "", note ? note : "");
    int rc = notify_create(c, t->assignee_id, t->project_id, t->id, kind, title, body, now, err);
    arena_free(&a);
    return rc;
}

/* The action in its transaction; ticket_act holds its live events around it. */
static int ticket_action_run(db *c, const actor *who, int64_t id, const char *action,
                   const ticket_action_input *in, arena *a, ticket *out, aj_error *err)
{
    int act = ticket_action_parse(action);
    ticket t;
    const char *to;
    int64_t now = clock_now();
    if (act < 0) return aj_fail(err, AJ_ENOTFOUND, NULL, "未知操作 %.32s", action ? action : "");
    if (ticket_load(c, who, id, a, &t, err) || ticket_action_may(who, &t, (act_kind)act, now, err))
        return err->rc;
    if (ticket_transition(action, t.kind, t.status, t.held_from, &to))
        return aj_fail(err, AJ_ETRANSITION, NULL, "工单当前状态（%s）不能执行 %s", t.status,
                       action);
    if (ticket_action_check_input((act_kind)act, &t, in, now, err)) return err->rc;
    /* A client that says which version it saw is refused when it is stale,
     * however the requests happened to be scheduled. */
    if (in->version && in->version != t.version)
        return aj_fail(err, AJ_ECONFLICT, "version", "工单已被他人更新，请刷新后重试");
    int automatic = act == ACT_ASSIGN && !in->has_assignee;
    if (act == ACT_ASSIGN && in->has_assignee &&
        dispatch_check_assignee(c, t.project_id, in->assignee_id, err))
        return err->rc;
    const char *from = t.status;
    int64_t version = t.version;
    int64_t prev_assignee = t.assignee_id; /* who is told of a new assignee */
    ticket_action_apply((act_kind)act, who, in, to, now, &t);
    if (db_begin(c, err)) return err->rc;
    /* Automatic dispatch counts open work inside the transaction, where it holds still. */
    if (act == ACT_ASSIGN) {
        if (automatic && dispatch_pick(c, t.project_id, t.category_id, &t.assignee_id, err))
            goto fail;
        if (!automatic) t.assignee_id = in->assignee_id;
    }
    json_t *data = ticket_action_data((act_kind)act, &t, in, automatic);
    char *data_text = data ? json_dumps(data, JSON_COMPACT) : NULL;
    int moves = ticket_action_moves((act_kind)act);
    int rc = ticket_action_write(c, &t, version, now, err);
    if (!rc) rc = ticket_action_sla(c, (act_kind)act, &t, now, a, err);
    if (!rc)
        rc = ticket_event_append(c, id, who->id, action, moves ? from : NULL, moves ? to : NULL,
                                 ticket_action_note((act_kind)act, in), data_text, now, err);
    free(data_text);
    /* -- notifications: whoever the work now belongs to hears of
     * it in this same transaction (assign, automatic or not; reopen). -- */
    if (!rc && (act == ACT_ASSIGN || act == ACT_REOPEN))
        rc = ticket_action_notify_assigned(c, &t, act == ACT_REOPEN ? NOTIFY_REOPEN : NOTIFY_ASSIGNMENT,
                             prev_assignee, who->id, act == ACT_REOPEN ? in->reason : NULL, now,
                             err);
    if (!rc) {
        /* An unreachable return visit lets a complaint close: it is audited by name. */
        const char *what = act == ACT_VISIT && t.visit_unreachable ? "visit_unreachable" : action;
        json_t *ch = json_pack("{s:s, s:s, s:s}", "no", t.no, "from", from, "to", to);
        const char *note = ticket_action_note((act_kind)act, in);
        if (note) json_object_set_new(ch, "note", json_string(note));
        if (data) json_object_set(ch, "data", data);
        rc = audit_append(c, who, what, "ticket", id, ch, err);
        json_decref(ch);
    }
    json_decref(data);
    /* Read back inside the transaction: on SQLite it runs on the writer's
     * warm connection (db_sqlite.c), where a read after the commit would
     * start on this thread's own, whose cache the write just made stale. */
    if (rc || ticket_get(c, who, id, a, out, err) || db_commit(c, err)) goto fail;
    return 0;
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

int ticket_act(db *c, const actor *who, int64_t id, const char *action,
               const ticket_action_input *in, arena *a, ticket *out, aj_error *err)
{
    /* The notifications the action writes reach live streams only if it
     * commits; then the ticket's own change follows them. */
    live_hold();
    int rc = ticket_action_run(c, who, id, action, in, a, out, err);
    live_release(rc == 0);
    if (!rc) ticket_live(out, action);
    return rc;
}
