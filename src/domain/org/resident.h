/* domain/org/resident.h: residents (业主/住户) bound to rooms, with care tags. */
#ifndef AJ_RESIDENT_H
#define AJ_RESIDENT_H
#include "domain/org/project.h"

typedef struct resident {
    int64_t id, user_id, project_id;
    const char *name, *phone, *kind; /* kind: owner | family | tenant */
    const char **tags;
    size_t ntags;
    int64_t *room_ids;
    size_t nrooms;
    int has_password;
    int active;
    int64_t created_at, updated_at;
} resident;

typedef struct resident_input {
    const char *name, *phone, *kind;
    const char **tags;
    size_t ntags;
    int has_tags;
    int64_t *room_ids;
    size_t nrooms;
    int has_rooms;
    int active, has_active;
} resident_input;

typedef struct resident_filter {
    const char *q;     /* in the name */
    const char *phone; /* exact */
    const char *tag;   /* has this tag */
    int64_t room_id;   /* 0: any */
    int active;        /* -1 any */
} resident_filter;

/* Create and update: admin, manager or desk of the project. The phone is a
 * mainland mobile number (11 digits, 1[3-9]…) and unique; every room must be
 * in the project; tags from: elderly, alone, disabled, child, pregnant, vip,
 * key_care. A resident may read only themself. Deactivation ends their sessions. */
int resident_create(db *c, const actor *who, int64_t project_id, const resident_input *in,
                    arena *a, resident *out, aj_error *err);
int resident_get(db *c, const actor *who, int64_t id, arena *a, resident *out, aj_error *err);
int resident_update(db *c, const actor *who, int64_t id, const resident_input *in, arena *a,
                    resident *out, aj_error *err);
int resident_list(db *c, const actor *who, int64_t project_id, const resident_filter *f,
                  const page_req *pg, arena *a, resident **items, size_t *n, int *more,
                  int64_t *total, aj_error *err);
/* Sets the resident's password (admin, manager, desk of the project). */
int resident_set_password(db *c, const actor *who, int64_t id, const char *password,
                          aj_error *err);

#endif
