/* domain/core/actor.h: who is acting and from where; roles and project scope. */
#ifndef AJ_ACTOR_H
#define AJ_ACTOR_H
#include <stdint.h>

#include "base/error.h"
#include "db/db.h"

typedef enum {
    ROLE_NONE = 0,
    ROLE_ADMIN,
    ROLE_MANAGER,
    ROLE_QUALITY,
    ROLE_DESK,
    ROLE_TECHNICIAN,
    ROLE_GUARD,
    ROLE_CLEANER,
    ROLE_RESIDENT,
} actor_role;

typedef struct actor {
    int64_t id;          /* users.id; 0 for the system (jobs, demo, command line) */
    actor_role role;
    const char *name;
    int64_t resident_id; /* residents.id for a resident, else 0 */
    const char *ip;      /* where the request came from, for the audit log */
    const char *request_id;
} actor;

/* The system acting for the whole company (jobs, the command line, demo
 * data): id 0, admin rights, name 系统. `source` names who it acts for in the
 * audit log's request_id ("job:sweep", "cli", "demo"); a static string. */
actor actor_system(const char *source);

actor_role actor_role_parse(const char *s); /* ROLE_NONE if unknown */
const char *actor_role_name(actor_role r);
int actor_is_staff(const actor *a);
/* Company-wide roles see every project. */
int actor_is_company_wide(const actor *a);
/* A role check: AJ_EFORBIDDEN unless the actor has one of the roles (0-terminated). */
int actor_require(const actor *a, aj_error *err, ...);

/* 0 when the actor may see project_id; AJ_ENOTFOUND otherwise (also when the
 * project does not exist), so nothing outside the caller's scope is revealed. */
int actor_can_see_project(db *c, const actor *a, int64_t project_id, aj_error *err);
/* 0 when a resident actor is bound to room_id, or a staff actor sees its project. */
int actor_can_see_room(db *c, const actor *a, int64_t room_id, aj_error *err);

#endif
