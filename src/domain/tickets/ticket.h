/* domain/tickets/ticket.h: work orders (工单): create, read, list and search; the
 * actions of the state machine (ticket_action.c) and dispatch (dispatch.c). */
#ifndef AJ_TICKET_H
#define AJ_TICKET_H
#include <stddef.h>
#include <stdint.h>

#include "domain/org/org.h"
#include "domain/sla/sla.h"

#define TICKET_MAX_PHOTOS 9
#define TICKET_MAX_STATUSES 8

typedef struct ticket_event {
    int64_t id, at, actor_id; /* actor_id 0: the system */
    const char *action, *from, *to, *note; /* from/to NULL when no state change */
    const char *data;                      /* JSON text or NULL */
} ticket_event;

typedef struct ticket {
    int64_t id;
    const char *no;
    int64_t project_id;
    const char *kind, *priority, *category, *status, *held_from;
    int64_t category_id;
    const char *title, *description, *channel;
    int64_t room_id, resident_id, assignee_id; /* 0: none */
    const char *assignee_name;                 /* NULL: none */
    int64_t reported_at, appointment_start, appointment_end;
    int64_t accepted_at, assigned_at, arrived_at, contacted_at, resolved_at, closed_at,
        cancelled_at;
    const char *hold_reason;
    int64_t hold_until;
    const char *contact_note, *findings, *resolution, *cancel_reason;
    int valid_complaint; /* -1 unknown, 0, 1 */
    int rating;          /* 0 none, 1..5 */
    const char *rating_comment;
    int64_t rated_at, visit_at, visit_by;
    int visit_satisfied; /* -1 unknown */
    const char *visit_note;
    int visit_unreachable;
    int reopen_count;
    int64_t repeat_of, policy_id, created_by, created_at, updated_at, version;
    int64_t equipment_id; /* 0: none (the equipment book, domain/assets/) */
    int tz_offset;       /* the project's, for showing times */
    int64_t next_due_at; /* lists: the nearest running due time, 0 none */
    /* Full reads only: */
    sla_clock_row sla[SLA_NMILESTONES];
    size_t nsla;
    ticket_event *events;
    size_t nevents;
    int64_t *photos;
    size_t nphotos;
} ticket;

typedef struct ticket_input {
    int64_t project_id;
    int has_project;
    const char *kind, *priority, *category, *title, *description, *channel;
    int64_t room_id, resident_id, equipment_id;
    int has_room, has_resident, has_equipment;
    int64_t reported_at, appointment_start, appointment_end; /* 0: not given */
    int64_t *photos;
    size_t nphotos;
    /* A ticket opened by a scheduled task's abnormal result (domain/work): its
     * timeline names the task and the checklist item. 0: none. */
    int64_t task_id;
    const char *task_item;
} ticket_input;

typedef struct ticket_filter {
    int64_t project_id, assignee_id, room_id, equipment_id; /* 0: any */
    const char *kind, *priority, *category;
    const char *statuses[TICKET_MAX_STATUSES];
    size_t nstatuses;
    int overdue;
    int64_t from, to; /* reported_at range, 0: open */
    const char *q;
} ticket_filter;

/* The body of an action; has_* / NULL for what was not given. */
typedef struct ticket_action_input {
    int64_t assignee_id;
    int has_assignee;
    const char *note, *reason, *findings, *resolution, *comment, *text;
    int valid, has_valid;
    int satisfied, has_satisfied;
    int unreachable, has_unreachable;
    int64_t score;
    int has_score;
    int64_t until;   /* hold: 0 when not given */
    int64_t version; /* the version the client acted on; 0: whatever is current */
} ticket_action_input;

/* One staff member dispatch could choose, with their open work orders. */
typedef struct dispatch_candidate {
    int64_t id;
    const char *name, *role;
    int on_duty;
    int64_t open;
} dispatch_candidate;

/* Enumerations (NULL-terminated). Kinds and priorities are the SLA
 * context's lists, sla_kinds and sla_priorities (sla.h): one list each. */
extern const char *const ticket_channels[];
extern const char *const ticket_statuses[];
int ticket_in(const char *s, const char *const *set);
/* new, accepted, assigned, in_progress, on_hold: a ticket still being worked on. */
int ticket_is_open(const char *status);

/* The equipment a ticket names is the assets context's (above this one): it
 * registers its check here when the program loads (domain/assets/equipment.c).
 * The check returns 0 when equipment_id is equipment of project_id that may
 * take a ticket, else AJ_EINVAL with field "equipment_id" (or a database error).
 * Without a registered check a ticket naming equipment is refused (422). */
typedef int (*ticket_equipment_check_fn)(db *c, int64_t project_id, int64_t equipment_id,
                                         aj_error *err);
void ticket_equipment_check(ticket_equipment_check_fn fn);

/* Staff of the project, and residents, create: kind, title, category
 * required; a resident's own resident and room are filled in and no others
 * may be named; staff may back-date reported_at (never into the future);
 * scheduled needs appointment_start < appointment_end; equipment_id must pass
 * the equipment check (ticket_equipment_check). The SLA rows come from
 * the policy and the project's calendar, started at reported_at. */
/* Announces a committed change of t to the live streams (domain/core/live.h):
 * event "ticket", {"id","no","project_id","status","action","assignee_id","at"},
 * for staff of its project, company-wide staff and its resident. */
void ticket_live(const ticket *t, const char *action);
/* The same inside the caller's write transaction (a task's finish opens its tickets in
 * its own): the caller commits, then announces each with ticket_live(out, "create"). */
int ticket_create_in(db *c, const actor *who, const ticket_input *in, arena *a, ticket *out,
                     aj_error *err);
int ticket_create(db *c, const actor *who, const ticket_input *in, arena *a, ticket *out,
                  aj_error *err);
/* The ticket with its SLA rows, events and photos. Staff see their projects'
 * tickets; a resident the tickets of their rooms and their own. AJ_ENOTFOUND otherwise. */
int ticket_get(db *c, const actor *who, int64_t id, arena *a, ticket *out, aj_error *err);
/* 0 when who may see the ticket (for files attached to it); AJ_ENOTFOUND otherwise. */
int ticket_visible(db *c, const actor *who, int64_t id, aj_error *err);
/* Newest first (id descending); pg->after is the last id seen (0: from the top). */
int ticket_list(db *c, const actor *who, const ticket_filter *f, const page_req *pg, arena *a,
                ticket **items, size_t *n, int *more, int64_t *total, aj_error *err);

/* The state machine (ticket_action.c): one action as one transaction with its
 * event, SLA rows and audit row. AJ_ETRANSITION when not allowed from the
 * current state; AJ_ECONFLICT when another change to the ticket won the race. */
int ticket_act(db *c, const actor *who, int64_t id, const char *action,
               const ticket_action_input *in, arena *a, ticket *out, aj_error *err);
/* The state machine as a pure rule: the status `action` leads to from
 * `status` (held_from: where an on_hold ticket returns), kind-specific rules
 * included. 0 and *to; AJ_ENOTFOUND for an unknown action; AJ_ETRANSITION. */
int ticket_transition(const char *action, const char *kind, const char *status,
                      const char *held_from, const char **to);
/* Appends an event inside the caller's transaction (for jobs: escalations,
 * breaches). data is JSON text or NULL. Event ids count within the ticket:
 * two writers appending to one ticket at once meet as AJ_ECONFLICT, so a job
 * retries (actions avoid it by updating the ticket row first). */
int ticket_event_append(db *c, int64_t ticket_id, int64_t actor_id, const char *action,
                        const char *from, const char *to, const char *note, const char *data,
                        int64_t at, aj_error *err);

/* Dispatch (dispatch.c): staff of the ticket's project, active, on duty, with
 * the category's skill (any technician when it has none), fewest open work
 * orders first. dispatch_ticket_candidates is the console's picker (staff only). */
int dispatch_candidates(db *c, int64_t project_id, int64_t category_id, arena *a,
                        dispatch_candidate **items, size_t *n, aj_error *err);
int dispatch_pick(db *c, int64_t project_id, int64_t category_id, int64_t *assignee,
                  aj_error *err);
int dispatch_ticket_candidates(db *c, const actor *who, int64_t id, arena *a, dispatch_candidate **items,
                      size_t *n, aj_error *err);
/* 0 when user may be assigned work of the project (active staff of it). */
int dispatch_check_assignee(db *c, int64_t project_id, int64_t user_id, aj_error *err);

/* Search (ticket_search.c): the distinct character bigrams of a text, lower-
 * cased ASCII; runs of letters and digits are broken by spaces and punctuation. */
size_t ticket_search_terms(const char *text, arena *a, const char ***terms, size_t max);
/* A new ticket's terms are indexed later (search_pending, 007_search_queue):
 * enqueue inside its create transaction; ticket_search_catch_up indexes what
 * is queued, in batches of their own transactions. It runs before every
 * search and on every sweep; outside a write transaction only (a read one is
 * ended and begun again around it). */
int ticket_search_enqueue(db *c, int64_t ticket_id, aj_error *err);
int ticket_search_catch_up(db *c, aj_error *err);
int ticket_search_index(db *c, int64_t ticket_id, const char *title, const char *description,
                        arena *a, aj_error *err);

#endif
