/* domain/work/plan.h: plans (计划): what recurs, when (an RRULE), for how long each time
 * (the window), who does it (an assignment rule) and what is checked (a checklist). */
#ifndef AJ_PLAN_H
#define AJ_PLAN_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/page.h"
#include "db/db.h"
#include "domain/core/core.h"

#define PLAN_MAX_ITEMS 100
#define PLAN_MAX_EQUIPMENT 200
#define PLAN_NEXT 5 /* occurrences shown ahead on a plan */

extern const char *const plan_kinds[];

typedef struct plan {
    int64_t id, project_id;
    const char *kind, *title, *rrule, *area, *level, *category;
    int64_t dtstart;
    int64_t window_minutes;
    int workdays_only, active, version;
    const char *assign;        /* stored JSON object */
    const char *checklist;     /* stored JSON array, normalised */
    const char *equipment_ids; /* stored JSON array */
    int64_t route_id;          /* 0: none */
    int64_t inspected_department_id; /* inspection plans: whose work it checks; 0: none */
    int64_t generated_until, created_at, updated_at;
    int tz_offset;
    int64_t next[PLAN_NEXT]; /* plan_get only: the next starts after now */
    size_t nnext;
} plan;

/* A create or a change; NULL / has_* 0 for what was not given. JSON values borrowed. */
typedef struct plan_input {
    int64_t project_id;
    const char *kind, *title, *rrule, *area, *level, *category;
    int64_t dtstart, window_minutes, route_id;
    int has_dtstart, has_window, has_route;
    int workdays_only, has_workdays, active, has_active;
    json_t *assign, *checklist;
    int64_t *equipment_ids;
    size_t nequipment;
    int has_equipment;
    int64_t inspected_department_id; /* or inspected_department by name; both 0: not given */
    const char *inspected_department;
} plan_input;

typedef struct plan_filter {
    int64_t project_id;
    const char *kind;
    int active; /* -1 any */
} plan_filter;

/* Creates the plan and its first tasks (one transaction). Admin, manager, quality. */
int plan_create(db *c, const actor *who, const plan_input *in, arena *a, plan *out,
                aj_error *err);
/* Changes it; a change to when, who or what replaces its future unstarted tasks only
 * (the past and what was started stay as they were). */
int plan_update(db *c, const actor *who, int64_t id, const plan_input *in, arena *a, plan *out,
                aj_error *err);
int plan_get(db *c, const actor *who, int64_t id, arena *a, plan *out, aj_error *err);
int plan_list(db *c, const actor *who, const plan_filter *f, const page_req *pg, arena *a,
              plan **items, size_t *n, int *more, aj_error *err);

/* plan_inspect.c: the inspected department an input names (*id 0 when none is given;
 * AJ_EINVAL field inspected_department(_id) for an unknown one), and the rules of an
 * inspection plan: only kind inspection names one; level cross needs one and an
 * assignment rule that puts the work in another department (AJ_EINVAL field assign). */
int plan_inspect_resolve(db *c, const plan_input *in, arena *a, int64_t *id, aj_error *err);
int plan_inspect_check(db *c, const char *kind, const char *level, int64_t inspected,
                       const char *assign, aj_error *err);
/* A spot plan's tasks without buildings yet each get PLAN_SPOT_BUILDINGS of the project's
 * active buildings drawn at random (all of them when it has fewer), stored on the task and
 * audited (action draw); inside the caller's transaction. *drawn: tasks drawn for. */
#define PLAN_SPOT_BUILDINGS 3
#define PLAN_SPOT_MAX_BUILDINGS 500
int plan_inspect_draw(db *c, int64_t plan_id, int64_t project_id, int64_t *drawn, aj_error *err);

/* The equipment a plan covers is the assets context's to check (it sits above this one):
 * it registers this at start. 0 when every id names equipment of project_id that is not
 * retired; AJ_EINVAL with field "equipment_ids" otherwise. Unset: a plan may not name
 * equipment at all. */
typedef int (*plan_equipment_check_fn)(db *c, int64_t project_id, const int64_t *ids, size_t n,
                                       aj_error *err);
void plan_on_equipment_check(plan_equipment_check_fn fn);

/* A patrol plan's items are its route's checkpoints; the patrol context (above) registers
 * this at start. *checklist: a new reference to the route's items as a checklist (key =
 * checkpoint id), AJ_EINVAL with field route_id when the route is not the project's or has
 * no checkpoint. Unset: a plan may not name a route. */
typedef int (*plan_route_items_fn)(db *c, int64_t project_id, int64_t route_id, arena *a,
                                   json_t **checklist, aj_error *err);
void plan_on_route_items(plan_route_items_fn fn);

/* Inside the caller's transaction (a route's checkpoints changed): a new version of the
 * plan with this checklist (checked as a plan's), its future unstarted tasks replaced. */
int plan_reshape_in(db *c, const actor *who, int64_t id, json_t *checklist, arena *a, int64_t now,
                    aj_error *err);

/* The checklist of a plan or task, parsed (a new reference; NULL if unreadable). */
json_t *plan_checklist_parse(const char *text);

#endif
