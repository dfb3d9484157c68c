/* domain/patrol/visitor.h: the visitors' register (外来人员登记, visitor.c): the guard
 * registers a visitor at the gate in a few keystrokes; a resident pre-registers one for
 * their room and gets a 6-digit pass code the guard checks; the day's register with the
 * share of visits pre-registered and registered at the gate (the seeds: 登记率 100 %). */
#ifndef AJ_VISITOR_H
#define AJ_VISITOR_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "domain/core/core.h"

#define VISITOR_CODE_VALID (24 * 3600) /* a pass code works until a day after expected_at */
#define VISITOR_MAX_LIST 500           /* one day's register, at most */

typedef struct visitor {
    int64_t id, project_id, room_id, resident_id; /* 0: none */
    const char *source;                           /* gate | resident */
    const char *name, *phone, *purpose, *plate;   /* phone, plate NULL when not given */
    const char *room;                             /* "1栋 1单元 101", NULL without a room */
    const char *code;                             /* the pass code: to its resident, until used */
    int64_t expected_at, arrived_at, left_at, created_at; /* 0: not (yet) */
    int tz_offset;
} visitor;

typedef struct visitor_input {
    int64_t project_id, room_id; /* room_id 0: none */
    const char *name, *phone, *purpose, *plate;
    int64_t expected_at; /* pre-registration only */
} visitor_input;

typedef struct visitor_day {
    int64_t total, arrived, inside, pre_registered, at_gate, expected; /* expected: not come */
} visitor_day;

/* At the gate (admin, manager, desk, guard of the project): arrived now. 422 with the
 * field for a missing name, a phone that is not a mainland mobile, a room of another
 * project, a purpose over 100 or a plate over 16 bytes. */
int visitor_register(db *c, const actor *who, const visitor_input *in, arena *a, visitor *out,
                     aj_error *err);
/* A resident for a room of theirs (AJ_ENOTFOUND for any other room): expected_at from
 * an hour ago to 30 days ahead; out->code the pass code. */
int visitor_preregister(db *c, const actor *who, const visitor_input *in, arena *a,
                        visitor *out, aj_error *err);
/* The resident's own pre-registrations, newest first (at most 50). */
int visitor_mine(db *c, const actor *who, arena *a, visitor **items, size_t *n, aj_error *err);
/* The guard checks a pass code: of visit id (id > 0), or the project's visit waiting for
 * that code (id 0). A wrong, used or expired code is AJ_EINVAL field code; a visit that
 * already arrived AJ_ECONFLICT. */
int visitor_arrive(db *c, const actor *who, int64_t id, int64_t project_id, const char *code,
                   arena *a, visitor *out, aj_error *err);
/* Leaves once (AJ_ECONFLICT before arriving or a second time). */
int visitor_leave(db *c, const actor *who, int64_t id, arena *a, visitor *out, aj_error *err);
/* The register of one day [from, from + 1 day) of a project — arrived that day or
 * expected that day — by time, with the day's figures. Staff of the project. */
int visitor_day_list(db *c, const actor *who, int64_t project_id, int64_t from, arena *a,
                     visitor **items, size_t *n, visitor_day *sum, aj_error *err);

#endif
