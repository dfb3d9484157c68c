/* domain/sla/sla.h: SLA policies and the milestones of one ticket: respond,
 * assign, arrive, contact, resolve; each with a due time on its clock, met by
 * one action, paused while the ticket is on hold. The one public header of
 * the context: sla.c (the clocks), sla_policy.c (policies and their rules),
 * sla_rows.c (ticket_sla), sla_replan.c (unplanned rows). */
#ifndef AJ_SLA_H
#define AJ_SLA_H
#include <stddef.h>
#include <stdint.h>

#include "domain/calendar/calendar.h"

typedef enum {
    SLA_RESPOND = 0, /* met by accept */
    SLA_ASSIGN,      /* met by assign */
    SLA_ARRIVE,      /* met by arrive */
    SLA_CONTACT,     /* met by contact */
    SLA_RESOLVE,     /* met by resolve */
    SLA_NMILESTONES
} sla_milestone;

/* Where a target's clock starts: when the ticket was reported, or at the
 * appointment's start or end (scheduled repairs: arrive at the start, resolve
 * by the end + 24 h). */
typedef enum { SLA_FROM_REPORTED = 0, SLA_FROM_APPT_START, SLA_FROM_APPT_END } sla_anchor;

typedef struct sla_target {
    sla_milestone milestone;
    int amount; /* 0 with an appointment anchor: due at that moment */
    cal_unit unit;
    cal_clock clock;
    sla_anchor from;
} sla_target;

typedef struct sla_escalation {
    int at_percent;     /* of the target's span: 80, 100, 200 */
    const char *notify; /* assignee | manager | quality | desk */
} sla_escalation;

#define SLA_MAX_ESCALATIONS 8

typedef struct sla_policy {
    int64_t id;
    int64_t project_id; /* 0: company default */
    const char *kind, *priority;
    const char *category; /* NULL: any category */
    sla_target targets[SLA_NMILESTONES];
    size_t ntargets;
    sla_escalation escalations[SLA_MAX_ESCALATIONS];
    size_t nescalations;
    int active;
    int64_t created_at, updated_at;
} sla_policy;

/* The state of one milestone of one ticket (a ticket_sla row). Unplanned: its
 * due time lies in a year the calendar has no official data for (below). */
typedef enum { SLA_PENDING = 0, SLA_MET, SLA_BREACHED, SLA_PAUSED, SLA_UNPLANNED } sla_state;

/* A milestone whose due time cannot be placed because the calendar has no
 * official data for that year yet (at the turn of the year, before the State
 * Council's 安排 is imported) is not refused and not guessed: the ticket is
 * accepted and the row stored "unplanned" with this due time. It is never
 * reached, so the overdue list, the sweep and escalations pass the row by; it
 * reads as state "unplanned" with no due_at, and sla_replan gives it its real
 * due time when the year's data arrives (import, a day set by hand, or a newer
 * build's seed). 9999-12-31T23:59:59Z. */
#define SLA_DUE_UNPLANNED INT64_C(253402300799)
#define SLA_DUE_UNPLANNED_SQL "253402300799"

typedef struct sla_clock_row {
    sla_milestone milestone;
    int64_t started_at;
    int64_t due_at;
    int64_t met_at;    /* 0: not met */
    int64_t paused_at; /* 0: running */
    cal_clock clock;
    int escalated;     /* bit i set: escalation i of the policy has fired */
} sla_clock_row;

const char *sla_milestone_name(sla_milestone m);
int sla_milestone_parse(const char *s); /* -1 if unknown */
const char *sla_state_name(sla_state s);

/* State against now: met (met_at), paused, breached (now past due), pending.
 * A row put on hold after its due time had passed stays breached. */
sla_state sla_state_at(const sla_clock_row *row, int64_t now);

/* The policies in force for a project: its own active ones, and the company
 * defaults none of its own shadows (same kind, priority and category), in
 * that order; what sla_policy_find chooses from (the disclosure board's
 * promises). A stored policy the rules refuse is not in force. */
int sla_policy_effective(db *c, int64_t project_id, arena *a, sla_policy **items, size_t *n,
                         aj_error *err);

/* The policy for a ticket: the most specific active one wins (project over
 * company default, category over none; a category "水电/漏水" also matches a
 * policy for its parent "水电"). AJ_ENOTFOUND when none applies. */
int sla_policy_find(db *c, int64_t project_id, const char *kind, const char *priority,
                    const char *category, arena *a, sla_policy *out, aj_error *err);

/* The milestone rows for a new ticket under policy p: due times computed on
 * the project's calendar from reported_at (or the appointment). appt_* are 0
 * when there is no appointment; a target anchored on a missing appointment is
 * AJ_EINVAL with field "appointment_start". A target that runs into a year the
 * calendar cannot place gets an unplanned row (SLA_DUE_UNPLANNED). */
int sla_plan(const sla_policy *p, const calendar *cal, int64_t reported_at, int64_t appt_start,
             int64_t appt_end, sla_clock_row *rows, size_t *nrows, aj_error *err);

/* Resume after a hold: each unmet row's due time moves later by the paused
 * time measured on its own clock; paused_at is cleared. A row whose new due
 * time cannot be placed becomes unplanned; an unplanned row stays so (its
 * pauses are replayed from the events when it is planned, sla_replan). */
int sla_resume(const calendar *cal, sla_clock_row *rows, size_t nrows, int64_t now,
               aj_error *err);

/* Persisted rows of a ticket (inside the caller's transaction for writes). */
int sla_rows_load(db *c, int64_t ticket_id, sla_clock_row *rows, size_t *nrows, aj_error *err);
int sla_rows_save(db *c, int64_t ticket_id, const sla_clock_row *rows, size_t nrows,
                  aj_error *err);

/* Policies (admin writes; staff read). */
int sla_policy_list(db *c, const actor *who, arena *a, sla_policy **items, size_t *n,
                    aj_error *err);
int sla_policy_get(db *c, const actor *who, int64_t id, arena *a, sla_policy *out,
                   aj_error *err);
int sla_policy_save(db *c, const actor *who, int64_t id /* 0: create */, const sla_policy *in,
                    arena *a, sla_policy *out, aj_error *err);

/* -- the rules of a policy (sla_policy.c) --
 * The wire format is the api's (api/sla/sla_json.c); these are what any
 * reader of a policy, from a request or from storage, holds it to. */

#define SLA_CATEGORY_MAX 100 /* bytes */

/* The ticket kinds and priorities, NULL-terminated, in the order API.md lists
 * them. The canonical lists: tickets (which sit above sla) use these. */
extern const char *const sla_kinds[];
extern const char *const sla_priorities[];
/* The list's own spelling of s (so it outlives s), NULL when s is not in it. */
const char *sla_one_of(const char *const *list, const char *s);

/* Target t of a policy, the item after the n targets before it: milestone
 * known and not among them, anchor known, amount, unit and clock as
 * calendar_check_target, amount 0 only from an appointment. AJ_EINVAL with
 * the item's own field (milestone, amount, unit, clock, from); the caller
 * names the item ("milestones[2]."). */
int sla_target_check(const sla_target *t, const sla_target *before, size_t n, aj_error *err);
/* Escalation e after the n before it: at_percent 1..1000 and not among
 * them, notify one of assignee, manager, quality, desk. Fields as above. */
int sla_escalation_check(const sla_escalation *e, const sla_escalation *before, size_t n,
                         aj_error *err);
/* Put checked items into p in their canonical order: targets by milestone
 * (respond … resolve), escalations ascending by share (so bit i of a row's
 * escalated always means the same step), notify as the list's spelling. */
void sla_policy_set_targets(sla_policy *p, const sla_target *t, size_t n);
void sla_policy_set_escalations(sla_policy *p, const sla_escalation *e, size_t n);
/* The rules of a whole policy that need no database: kind, priority,
 * category, 1..5 targets and at most 8 escalations, each as above.
 * sla_policy_save adds that the project exists. */
int sla_policy_check_rules(const sla_policy *p, aj_error *err);
/* The stored text of a policy's two arrays (columns milestones and
 * escalations: JSON, the same shape as in the API) into p's targets and
 * escalations, checked as above. escalations NULL: none. AJ_EINVAL with the
 * field ("milestones[0].unit") on anything sla_policy_save would not write. */
int sla_policy_decode(sla_policy *p, const char *milestones, const char *escalations,
                      aj_error *err);
/* The two arrays as JSON, the stored form and the API's alike (sla_policy_save
 * writes them, api/sla/sla_json.c shows them): new references. The type is
 * jansson's json_t, named here without including it. */
struct json_t *sla_policy_targets_json(const sla_policy *p);
struct json_t *sla_policy_escalations_json(const sla_policy *p);

/* -- added with sla.c -- */

const char *sla_anchor_name(sla_anchor f); /* reported | appointment_start | appointment_end */
int sla_anchor_parse(const char *s);       /* -1 if unknown */

/* Hold: every unmet, running row gets paused_at = now. */
void sla_pause(sla_clock_row *rows, size_t nrows, int64_t now);
/* The action that meets milestone m: sets met_at = now on its unmet row.
 * Returns 1 when a row was met, 0 when there is none or it was met before. */
int sla_meet(sla_clock_row *rows, size_t nrows, sla_milestone m, int64_t now);

/* Escalations. A row's span is the time on its clock from started_at to its
 * (current) due_at, so a resume that moved due_at moves the escalation points
 * too. *at is the instant at which at_percent of the span has passed. */
int sla_escalation_at(const calendar *cal, const sla_clock_row *row, int at_percent,
                      int64_t *at, aj_error *err);
/* Bits of the policy's escalations that are due at now and have not fired
 * (not in row->escalated); none for a met or paused row. The caller fires
 * them and ORs them into row->escalated. */
int sla_escalations_due(const sla_policy *p, const calendar *cal, const sla_clock_row *row,
                        int64_t now, int *fire, aj_error *err);

/* Plans the unplanned rows of tickets timed on calendar calendar_id (the
 * projects using it) now that its data changed: each row's due time is
 * computed again from its start on the ticket's policy, pushed out by every
 * hold the event log records (as sla_resume did), and saved; a row that still
 * cannot be placed stays unplanned. Run inside the caller's transaction, the
 * one that changed the calendar. *planned counts the rows that got a time. */
int sla_replan(db *c, int64_t calendar_id, int *planned, aj_error *err);

#endif
