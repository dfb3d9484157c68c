/* domain/voice/meeting.h: resident meetings (业主座谈会, meeting.c) — each topic raised
 * becomes a ticket or an improvement plan in one click — and mystery-shopper visits (神秘客,
 * mystery.c), scorecards whose findings feed a plan. */
#ifndef AJ_MEETING_H
#define AJ_MEETING_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/page.h"
#include "db/db.h"
#include "domain/core/core.h"

#define MEETING_MAX_TOPICS 50
#define MYSTERY_MAX_SCORES 20

typedef struct meeting_topic {
    int seq;
    const char *text;
    int64_t ticket_id, improvement_id;
} meeting_topic;

typedef struct meeting {
    int64_t id, project_id, held_at, attendees, created_by, created_at, updated_at;
    const char *title, *place, *attendee_note, *summary;
    int tz_offset;
    meeting_topic *topics;
    size_t ntopics;
} meeting;

typedef struct meeting_input {
    int64_t project_id, held_at, attendees;
    const char *title, *place, *attendee_note, *summary;
    const char *const *topics; /* texts, 1–1000 bytes each */
    size_t ntopics;
} meeting_input;

/* Staff who see the project read; admin, manager, quality and the desk record (a meeting
 * held, not in the future; title 1–100 bytes; 0..MEETING_MAX_TOPICS topics). */
int meeting_create(db *c, const actor *who, const meeting_input *in, arena *a, meeting *out,
                   aj_error *err);
int meeting_get(db *c, const actor *who, int64_t id, arena *a, meeting *out, aj_error *err);
int meeting_list(db *c, const actor *who, int64_t project_id, const page_req *pg, arena *a,
                 meeting **items, size_t *n, int *more, aj_error *err);
/* Topic seq becomes a ticket (kind suggestion unless given, channel meeting, the category
 * given) or an improvement plan (source meeting, a KPI metric to be measured by hand unless
 * a complaint category is given); 409 invalid_transition when it already became one. */
int meeting_topic_ticket(db *c, const actor *who, int64_t id, int seq, const char *kind,
                         const char *category_path, arena *a, meeting *out, aj_error *err);
int meeting_topic_plan(db *c, const actor *who, int64_t id, int seq, const char *category_path,
                       arena *a, meeting *out, aj_error *err);

typedef struct mystery_visit {
    int64_t id, project_id, visited_at, improvement_id, created_by, created_at;
    const char *agency, *scenario, *scores, *findings; /* scores: {"item": 0–100} */
    double total;                                       /* their mean */
    int tz_offset;
} mystery_visit;

typedef struct mystery_input {
    int64_t project_id, visited_at;
    const char *agency, *scenario, *findings;
    const char *const *score_keys;
    const double *score_values;
    size_t nscores;
} mystery_input;

/* Admin, manager and quality record (visited, not in the future; agency and scenario 1–100
 * bytes; 1..MYSTERY_MAX_SCORES scores 0–100); staff who see the project read. */
int mystery_create(db *c, const actor *who, const mystery_input *in, arena *a, mystery_visit *out,
                   aj_error *err);
int mystery_get(db *c, const actor *who, int64_t id, arena *a, mystery_visit *out, aj_error *err);
int mystery_list(db *c, const actor *who, int64_t project_id, const page_req *pg, arena *a,
                 mystery_visit **items, size_t *n, int *more, aj_error *err);
/* Its findings become an improvement plan (source mystery, the visit's total as a KPI's
 * baseline, target 90); 409 invalid_transition when it already did, 422 without findings. */
int mystery_plan(db *c, const actor *who, int64_t id, arena *a, mystery_visit *out, aj_error *err);

#endif
