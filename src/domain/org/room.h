/* domain/org/room.h: rooms (房屋) in buildings: the unit residents are bound to. */
#ifndef AJ_ROOM_H
#define AJ_ROOM_H
#include "domain/org/project.h"

typedef struct room {
    int64_t id, project_id, building_id;
    const char *building_name;
    const char *unit, *number;
    int floor;
    double area_m2;
    int has_area;
    int active;
    int64_t created_at, updated_at;
} room;

typedef struct room_input {
    int64_t building_id;
    int has_building_id;
    const char *unit, *number;
    int64_t floor;
    int has_floor;
    double area_m2;
    int has_area;
    int active, has_active;
} room_input;

typedef struct room_filter {
    int64_t building_id; /* 0: any */
    const char *unit;
    int64_t floor;
    int has_floor;
    const char *q; /* in the room number */
    int active;    /* -1 any */
} room_filter;

/* Create and update: admin, or a manager of the project; the building must
 * belong to the project and the floor must exist in it. Reads: staff of the
 * project; a resident sees only the rooms bound to them. */
int room_create(db *c, const actor *who, int64_t project_id, const room_input *in, arena *a,
                room *out, aj_error *err);
int room_get(db *c, const actor *who, int64_t id, arena *a, room *out, aj_error *err);
int room_update(db *c, const actor *who, int64_t id, const room_input *in, arena *a, room *out,
                aj_error *err);
int room_list(db *c, const actor *who, int64_t project_id, const room_filter *f,
              const page_req *pg, arena *a, room **items, size_t *n, int *more, int64_t *total,
              aj_error *err);

#endif
