/* domain/org/project.h: projects (物业项目), the unit of scope for staff and data. */
#ifndef AJ_PROJECT_H
#define AJ_PROJECT_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/page.h"
#include "db/db.h"
#include "domain/core/core.h"

typedef struct project {
    int64_t id;
    const char *code, *name, *address, *timezone;
    int service_level;
    int64_t calendar_id;
    int active;
    int64_t created_at, updated_at;
} project;

/* Fields given in a create or a patch; NULL / has_* = 0 means not given. */
typedef struct project_input {
    const char *code, *name, *address, *timezone;
    int64_t service_level;
    int has_service_level;
    int active, has_active;
} project_input;

typedef struct project_filter {
    const char *q; /* in code or name */
    int active;    /* -1 any, 0, 1 */
} project_filter;

int project_create(db *c, const actor *who, const project_input *in, arena *a, project *out,
                   aj_error *err);
int project_get(db *c, const actor *who, int64_t id, arena *a, project *out, aj_error *err);
int project_update(db *c, const actor *who, int64_t id, const project_input *in, arena *a,
                   project *out, aj_error *err);
int project_list(db *c, const actor *who, const project_filter *f, const page_req *pg, arena *a,
                 project **items, size_t *n, int *more, int64_t *total, aj_error *err);
/* The id of the project with this code, for public pages and the CLI. */
int project_id_by_code(db *c, const char *code, int64_t *id, aj_error *err);
/* The project's UTC offset in seconds, for showing its times. */
int project_tz_offset(const project *p);

#endif
