/* domain/org/staff.h: staff (员工): role, department, skills, projects, on duty. */
#ifndef AJ_STAFF_H
#define AJ_STAFF_H
#include "domain/org/department.h"

typedef struct staff {
    int64_t id;
    const char *username, *name, *phone, *role;
    /* The department: its id (0: none), name ("" for none) and function (NULL for none). */
    int64_t department_id;
    const char *department, *department_function;
    const char **skills;
    size_t nskills;
    int64_t *project_ids;
    size_t nprojects;
    int on_duty;
    int active;
    int64_t created_at, updated_at;
} staff;

typedef struct staff_input {
    const char *username, *password, *name, *phone, *role;
    /* The department by id (0 with has_department_id: none) or by name
     * (department_resolve: 工程部, or the old word 工程); both given must agree. */
    int64_t department_id;
    int has_department_id;
    const char *department;
    const char **skills;
    size_t nskills;
    int has_skills;
    int64_t *project_ids;
    size_t nprojects;
    int has_projects;
    int on_duty, has_on_duty;
    int active, has_active;
} staff_input;

typedef struct staff_filter {
    const char *q; /* in name or username */
    const char *role;
    const char *department; /* a department's name or old word (department_resolve) */
    int64_t department_id;  /* 0: any */
    int64_t project_id;     /* 0: any */
    int on_duty;        /* -1 any */
    int active;         /* -1 any */
} staff_filter;

/* Departments: one of the active departments (department.h); an unknown one is
 * 422 with field department (or department_id). Roles: any staff role (not resident).
 * Create: admin (any role), manager (non-admin roles, only their own projects).
 * Read/list: admin and quality see all; a manager sees staff sharing a project;
 * other staff see only themselves. Update: admin; a manager for front-line
 * staff (desk, technician, guard, cleaner) whose projects are all theirs, and
 * never another's password (a reset instead); anyone may set their own
 * on_duty. Deactivation ends their sessions; an admin cannot deactivate themself. */
int staff_create(db *c, const actor *who, const staff_input *in, arena *a, staff *out,
                 aj_error *err);
int staff_get(db *c, const actor *who, int64_t id, arena *a, staff *out, aj_error *err);
int staff_update(db *c, const actor *who, int64_t id, const staff_input *in, arena *a,
                 staff *out, aj_error *err);
int staff_list(db *c, const actor *who, const staff_filter *f, const page_req *pg, arena *a,
               staff **items, size_t *n, int *more, int64_t *total, aj_error *err);
/* A password reset for staff member id (admin; a manager for the accounts
 * they may manage): a one-time code goes to the member's phone, and only the
 * member completes it (POST /auth/password-reset, password_reset_complete).
 * AJ_EINVAL (field phone) without a phone; AJ_EFORBIDDEN outside the rights. */
typedef struct staff_reset {
    const char *phone_hint; /* "138****0001" */
    int64_t expires_at;
} staff_reset;
int staff_reset_password(db *c, const actor *who, int64_t id, arena *a, staff_reset *out,
                         aj_error *err);

/* Count of active admins, to create the first one at start. */
int staff_count_admins(db *c, int64_t *n, aj_error *err);

#endif
