/* domain/org/building.h: buildings (楼栋) of a project. */
#ifndef AJ_BUILDING_H
#define AJ_BUILDING_H
#include "domain/org/project.h"

typedef struct building {
    int64_t id, project_id;
    const char *name;
    int floors;
    int active;
    int64_t created_at, updated_at;
} building;

typedef struct building_input {
    const char *name;
    int64_t floors;
    int has_floors;
    int active, has_active;
} building_input;

typedef struct building_filter {
    const char *q;
    int active; /* -1 any */
} building_filter;

/* Create and update: admin, or a manager of the project. Reads: staff of the
 * project; residents see the buildings of their own rooms only. */
int building_create(db *c, const actor *who, int64_t project_id, const building_input *in,
                    arena *a, building *out, aj_error *err);
int building_get(db *c, const actor *who, int64_t id, arena *a, building *out, aj_error *err);
int building_update(db *c, const actor *who, int64_t id, const building_input *in, arena *a,
                    building *out, aj_error *err);
int building_list(db *c, const actor *who, int64_t project_id, const building_filter *f,
                  const page_req *pg, arena *a, building **items, size_t *n, int *more,
                  int64_t *total, aj_error *err);

#endif
