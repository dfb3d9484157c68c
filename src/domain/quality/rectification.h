/* domain/quality/rectification.h: rectifications (整改单, rectification.c): a problem an
 * inspection found (or someone raised by hand), owned by a department and optionally a
 * person, with a deadline by severity; submit with evidence; a re-check by someone else
 * than the submitter passes it or sends it back with a new deadline; overdue ones are told
 * to the project's managers once per round. */
#ifndef AJ_RECTIFICATION_H
#define AJ_RECTIFICATION_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/page.h"
#include "db/db.h"
#include "domain/core/core.h"

#define RECT_MAX_PHOTOS 9

typedef struct rectification {
    int64_t id, project_id, task_id, standard_id, standard_version, assignee_id; /* 0: none */
    const char *department, *problem, *location, *photos, *severity, *state;
    const char *assignee_name; /* NULL without an assignee */
    int64_t due_at, rounds, submitted_by, submitted_at, checked_by, checked_at, created_by;
    const char *submit_note, *submit_photos, *check_note, *cancel_reason;
    int64_t escalated_at, created_at, updated_at;
    int tz_offset;
} rectification;

typedef struct rectification_input {
    int64_t project_id, task_id, standard_id, assignee_id;
    const char *department, *problem, *location, *severity;
    const int64_t *photos;
    size_t nphotos;
    int64_t due_at; /* 0: by severity (critical 1 day, major 2, minor 3) */
} rectification_input;

typedef struct rectification_filter {
    int64_t project_id;      /* 0: every project the caller sees */
    const char *state;       /* NULL: any */
    const char *department;  /* a function or its word; NULL: any */
    int overdue;             /* 1: open or submitted past due */
} rectification_filter;

/* Create: admin, manager or quality of the project. 422 with the field: a department that
 * is not one of the six, problem 1–1000 bytes, an unknown severity, a due time in the past,
 * an assignee who does not work in the project, a standard that does not exist. */
int rectification_create(db *c, const actor *who, const rectification_input *in, arena *a, rectification *out,
                aj_error *err);
/* The same checks without the role's, inside the caller's transaction (an inspection's
 * failed item, whoever finishes it); *id the new row. */
int rectification_raise_in(db *c, const actor *who, const rectification_input *in, arena *a,
                           int64_t *id, aj_error *err);
int rectification_get(db *c, const actor *who, int64_t id, arena *a, rectification *out, aj_error *err);
/* By due time, soonest first (pg->after: the last id seen is not used: keyset on id). */
int rectification_list(db *c, const actor *who, const rectification_filter *f, const page_req *pg, arena *a,
              rectification **items, size_t *n, int *more, aj_error *err);
/* open → submitted: staff of the project; note 1–1000 bytes (422 field note). */
int rectification_submit(db *c, const actor *who, int64_t id, const char *note, const int64_t *photos,
                size_t nphotos, arena *a, rectification *out, aj_error *err);
/* submitted → passed, or → open with due_at (required, in the future: 422 field due_at) and
 * a new round. Admin, manager or quality, never the submitter (AJ_EFORBIDDEN). */
int rectification_recheck(db *c, const actor *who, int64_t id, int passed, const char *note,
                 int64_t due_at, arena *a, rectification *out, aj_error *err);
/* open or submitted → cancelled, with a reason (422 field reason). Admin, manager, quality. */
int rectification_cancel(db *c, const actor *who, int64_t id, const char *reason, arena *a,
                rectification *out, aj_error *err);
/* No login (the disclosure board): the open and submitted rectifications of the active
 * project with this code, soonest due first, at most 50 — department, location, problem,
 * due, state and round; never who. AJ_ENOTFOUND for an unknown project. */
int rectification_public(db *c, const char *project_code, arena *a, rectification **items,
                         size_t *n, aj_error *err);
/* The job: every open or submitted one past due and not yet told this round notifies the
 * project's managers (kind escalation) — once; *n: how many were told. */
int rectification_escalate(db *c, int64_t now, int64_t *n, aj_error *err);

#endif
