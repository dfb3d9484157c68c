/* domain/patrol/patrol_route.h: patrol routes (巡更路线) and their ordered checkpoints, each
 * with the random token its QR label carries (patrol_route.c); the scans (check-ins) of a
 * round — a task of a `patrol` plan whose items are the route's checkpoints — flagged,
 * never refused, and the month's figures (patrol_checkin.c); the day's round board
 * (patrol_board.c). */
#ifndef AJ_PATROL_ROUTE_H
#define AJ_PATROL_ROUTE_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/page.h"
#include "base/token.h"
#include "domain/core/core.h"
#include "domain/work/work.h"

#define PATROL_MAX_POINTS 100 /* a round's items: at most a plan's checklist */

typedef struct patrol_checkpoint {
    int64_t id, route_id, project_id;
    int seq; /* 1, 2, … in walking order */
    const char *name, *place, *token;
    double lat, lng;
    int has_point;     /* lat/lng given */
    int64_t radius_m;  /* 0: no radius (never far) */
    int key_area, active;
} patrol_checkpoint;

typedef struct patrol_route {
    int64_t id, project_id;
    const char *name;
    int active;
    patrol_checkpoint *points; /* the active ones, in order */
    size_t npoints;
    int64_t created_at, updated_at;
} patrol_route;

/* A checkpoint as given: id 0 for a new one; an existing id keeps its token (the labels
 * on the wall stay good). */
typedef struct patrol_checkpoint_input {
    int64_t id;
    const char *name, *place;
    double lat, lng;
    int has_point;
    int64_t radius_m;
    int key_area;
} patrol_checkpoint_input;

typedef struct patrol_route_input {
    int64_t project_id;
    const char *name;
    int active, has_active;
    patrol_checkpoint_input *points; /* with has_points: the whole new list, in order */
    size_t npoints;
    int has_points;
} patrol_route_input;

/* Staff of the project see routes (residents 403 on lists, 404 on records); admins,
 * managers, quality and guards (秩序) edit. A changed list of checkpoints makes a new
 * version of every plan walking the route (future rounds only), in the same transaction;
 * a checkpoint left out is retired, never deleted (its scans stay). */
int patrol_route_create(db *c, const actor *who, const patrol_route_input *in, arena *a,
                        patrol_route *out, aj_error *err);
int patrol_route_get(db *c, const actor *who, int64_t id, arena *a, patrol_route *out,
                     aj_error *err);
int patrol_route_update(db *c, const actor *who, int64_t id, const patrol_route_input *in,
                        arena *a, patrol_route *out, aj_error *err);
int patrol_route_list(db *c, const actor *who, int64_t project_id, const page_req *pg, arena *a,
                      patrol_route **items, size_t *n, int *more, aj_error *err);

/* The route's checkpoint labels (core's label sheet): each QR holds base_url "/w/c/" token,
 * the staff phone's page for the checkpoint. */
int patrol_route_labels(db *c, const actor *who, int64_t id, const char *base_url, arena *a,
                        buf *out, size_t *count, aj_error *err);

/* A checkpoint by its token, for the staff of its project (AJ_ENOTFOUND otherwise). */
int patrol_checkpoint_by_token(db *c, const actor *who, const char *token, arena *a,
                               patrol_checkpoint *out, aj_error *err);

/* For the context's rooms: a checkpoint row of PATROL_CP_COLS. */
#define PATROL_CP_COLS                                                                          \
    "p.id, p.route_id, p.project_id, p.seq, p.name, p.place, p.lat, p.lng, p.radius_m,"       \
    " p.key_area, p.token, p.active"
void patrol_route_read_point(db_rows *r, arena *a, patrol_checkpoint *p);

/* ---- scans (patrol_checkin.c) ---- */

typedef struct patrol_scan_input {
    const char *token;
    double lat, lng;
    int has_point;
    const char *note;
    int64_t *photos;
    size_t nphotos;
    const char *device; /* who scanned from where: a hash of the session, never a secret */
} patrol_scan_input;

typedef struct patrol_scan {
    int64_t id, task_id, checkpoint_id, project_id;
    int64_t scanned_at;
    int64_t distance_m; /* -1: unknown (no point on the scan or on the checkpoint) */
    const char *flags;  /* JSON array: far, speed, device, burst */
    int far, finished;  /* finished: this scan completed the round */
} patrol_scan;

/* A round may be walked from PATROL_EARLY_S before its start: a guard at the first
 * checkpoint a few minutes early is not turned away, but a later round cannot be walked
 * now (its scans would prove nothing about its hour). */
#define PATROL_EARLY_S 600

/* POST /tasks/{id}/checkins: one durable write per scan. AJ_ENOTFOUND for a token unknown
 * or of another project (or not on this round's route); AJ_ECONFLICT when the round is
 * done or the checkpoint already scanned; AJ_ETRANSITION (field starts_at) more than
 * PATROL_EARLY_S before the round's start. */
int patrol_checkin(db *c, const actor *who, int64_t task_id, const patrol_scan_input *in,
                   arena *a, patrol_scan *out, aj_error *err);

/* The caller's open round (scheduled or in progress, window open or opening within
 * PATROL_EARLY_S) that includes the checkpoint and has not scanned it, soonest due first:
 * *task_id 0 when none. */
int patrol_open_round(db *c, const actor *who, const patrol_checkpoint *cp, int64_t *task_id,
                      aj_error *err);

/* The scans of a round, in order. */
int patrol_scans_of(db *c, const actor *who, int64_t task_id, arena *a, patrol_scan **items,
                    size_t *n, aj_error *err);

typedef struct patrol_stats {
    int64_t rounds_due, done, late, missed, open;
    int64_t checkpoints_due, checkpoints_scanned, checkpoints_missed;
    int64_t far, speed, device, burst; /* flagged scans */
} patrol_stats;

/* GET /stats/patrols: rounds whose due time falls in [from, to) in the project. */
int patrol_stats_get(db *c, const actor *who, int64_t project_id, int64_t from, int64_t to,
                     patrol_stats *out, aj_error *err);

/* ---- the day's round board (patrol_board.c) ---- */

#define PATROL_BOARD_MAX 500 /* rounds of one project's day, at most */

typedef struct patrol_board_round {
    int64_t id, plan_id, assignee_id; /* assignee_id 0: nobody */
    const char *title, *assignee_name, *state;
    int64_t starts_at, due_at, last_scan_at; /* last_scan_at 0: no scan */
    int64_t checkpoints, scanned, far, speed, device, burst;
    int tz_offset;
} patrol_board_round;

/* The project's rounds whose window meets [from, to), by start: each with its checkpoints,
 * how many are scanned and its flagged scans, in two queries whatever the stored scans.
 * Staff of the project. */
int patrol_board_get(db *c, const actor *who, int64_t project_id, int64_t from, int64_t to,
                     arena *a, patrol_board_round **rounds, size_t *n, aj_error *err);

#endif
