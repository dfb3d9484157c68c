/* domain/org/department.h: departments (部门) of the company: a name, the function the
 * rules read, an optional parent. */
#ifndef AJ_DEPARTMENT_H
#define AJ_DEPARTMENT_H
#include "domain/org/project.h"

typedef struct department {
    int64_t id;
    const char *name;
    const char *function; /* desk engineering security cleaning greening quality management */
    int64_t parent_id;    /* 0: a top-level department */
    int active;
    int64_t created_at, updated_at;
} department;

typedef struct department_input {
    const char *name, *function;
    int64_t parent_id; /* 0 with has_parent: no parent */
    int has_parent;
    int active, has_active;
} department_input;

typedef struct department_filter {
    const char *function; /* NULL: any */
    int active;           /* -1 any */
} department_filter;

/* Whether s is one of the seven functions. */
int department_function_ok(const char *s);
/* The function a word names without the database: a function itself, one of the seven
 * short words (工程) or the department it was seeded as (工程部); NULL otherwise. */
const char *department_function_word(const char *w);

/* Reads: admin, manager, quality, desk (403 for anyone else). Create and
 * update: admin. A name is unique among the active departments (409, field
 * name); an unknown function is 422 (field function); the parent must be an
 * active department and never the department itself or one below it (422,
 * field parent_id). Deactivating ({active:false}) needs no active staff and no
 * active child department in it (422, field active). Each change is one
 * transaction and audited; a rename renames users.department of its staff. */
int department_list(db *c, const actor *who, const department_filter *f, const page_req *pg,
                    arena *a, department **items, size_t *n, int *more, int64_t *total,
                    aj_error *err);
int department_get(db *c, const actor *who, int64_t id, arena *a, department *out,
                   aj_error *err);
int department_create(db *c, const actor *who, const department_input *in, arena *a,
                      department *out, aj_error *err);
int department_update(db *c, const actor *who, int64_t id, const department_input *in,
                      arena *a, department *out, aj_error *err);

/* The active department a staff member's `department` text names: the exact
 * name, else one of the old short words (工程 → 工程部, 管理 → 管理处), else
 * the one active department with that short word's function. *id and *name
 * (in a) on success; AJ_EINVAL with `field` otherwise. */
int department_resolve(db *c, const char *text, const char *field, arena *a, int64_t *id,
                       const char **name, aj_error *err);
/* Inside a write transaction, before a staff member joins department id: its
 * name (in a) when it is active (or it is keep, the member's current one), and
 * it stays so until commit — a deactivation waits, then counts the member.
 * AJ_EINVAL with `field` when there is no such active department. */
int department_hold(db *c, int64_t id, int64_t keep, const char *field, arena *a,
                    const char **name, aj_error *err);

/* The function of user_id's department (in a), for rules that care what a
 * department does: *function NULL when the user has no department. */
int department_function_of(db *c, int64_t user_id, arena *a, const char **function,
                           aj_error *err);

#endif
