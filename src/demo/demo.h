/* demo/demo.h: realistic, deterministic demo data. */
#ifndef AJ_DEMO_H
#define AJ_DEMO_H
#include <stdint.h>

#include "db/db.h"

typedef enum { DEMO_SMALL, DEMO_MEDIUM, DEMO_LARGE } demo_scale;

typedef struct demo_stats {
    int projects, buildings, rooms, residents, staff;
    int tickets, open_tickets; /* -- tickets (demo_tickets.c) -- */
    int equipment, plans, tasks, findings; /* -- equipment and scheduled work (demo_work.c) -- */
    int rectifications;                    /* -- inspections (demo_quality.c) -- */
    int surveys, survey_responses, improvements; /* -- surveys (demo_voice.c) -- */
    int meetings, mystery_visits;                /* -- demo_meeting.c -- */
} demo_stats;

/* Fills an empty database (AJ_ECONFLICT if projects exist). The same seed gives
 * the same data. Demo staff and the resident accounts it prints share one
 * password, given here; uploads (the rounds' photos) go under data_dir. */
/* The demo company's project ids in order (at most DEMO_MAX_PROJECTS), for the generators
 * that add a capability per project. */
#define DEMO_MAX_PROJECTS 64
int demo_project_ids(db *c, int64_t *ids, int *n, aj_error *err);

int demo_run(db *c, uint64_t seed, demo_scale scale, const char *password, const char *data_dir,
             demo_stats *st, aj_error *err);

/* -- tickets (demo_tickets.c) -- */
/* A year of work orders ending at now for the projects, residents and staff in
 * the database (about target in all, ~10% more in summer, fewer at the Spring
 * Festival), inside the caller's transaction. A ticket is the same for a seed
 * whenever this runs; now only decides how far its life has got. */
int demo_tickets_run(db *c, uint64_t seed, int64_t now, int target, demo_stats *st,
                     aj_error *err);

/* -- scheduled work (demo_work.c) -- */
/* Each project's plans from a year before now and the tasks the engine makes of them,
 * with their outcomes, inside the caller's transaction (after the tickets); the rounds'
 * site photos are stored under data_dir. */
int demo_work_run(db *c, int64_t now, const char *data_dir, demo_stats *st, aj_error *err);

/* -- site photos (demo_photo.c) -- */
typedef struct demo_photo {
    const char *title, *place; /* the watermark */
    uint32_t wall, floor;      /* 0xRRGGBB */
    int door;                  /* a door (or a lift's doors) in the wall */
} demo_photo;
/* Draws the photo as a PNG and stores it as an upload of the project (inside the caller's
 * transaction); *file_id its file. */
int demo_photo_make(db *c, const char *data_dir, int64_t project_id, const demo_photo *p,
                    arena *a, int64_t *file_id, aj_error *err);

/* -- patrols (demo_patrol.c): a route per project and 30 days of hourly rounds -- */
int demo_patrol_run(db *c, int64_t now, demo_stats *st, aj_error *err);

/* -- inspections (demo_quality.c): a year of three-level inspections and their
 * rectifications per project, scores improving over the year -- */
int demo_quality_run(db *c, int64_t now, demo_stats *st, aj_error *err);

/* -- surveys (demo_voice.c): four quarters of satisfaction surveys per project -- */
int demo_voice_run(db *c, int64_t now, demo_stats *st, aj_error *err);
/* Four quarters of resident meetings per project, their topics as tickets and plans, and
 * two mystery-shopper visits, the first one's plan carried to effective (demo_meeting.c). */
int demo_meeting_run(db *c, int64_t now, demo_stats *st, aj_error *err);

#endif
