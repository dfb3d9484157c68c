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
} demo_stats;

/* Fills an empty database (AJ_ECONFLICT if projects exist). The same seed gives
 * the same data. Demo staff and the resident accounts it prints share one
 * password, given here. */
int demo_run(db *c, uint64_t seed, demo_scale scale, const char *password, demo_stats *st,
             aj_error *err);

/* -- tickets (demo_tickets.c) -- */
/* A year of work orders ending at now for the projects, residents and staff in
 * the database (about target in all, ~10% more in summer, fewer at the Spring
 * Festival), inside the caller's transaction. A ticket is the same for a seed
 * whenever this runs; now only decides how far its life has got. */
int demo_tickets_run(db *c, uint64_t seed, int64_t now, int target, demo_stats *st,
                     aj_error *err);

/* -- scheduled work (demo_work.c) -- */
/* Each project's plans from a year before now and the tasks the engine makes of them,
 * with their outcomes, inside the caller's transaction (after the tickets). */
int demo_work_run(db *c, int64_t now, demo_stats *st, aj_error *err);

/* -- patrols (demo_patrol.c): a route per project and 30 days of hourly rounds -- */
int demo_patrol_run(db *c, int64_t now, demo_stats *st, aj_error *err);

#endif
