/* domain/demo.h: realistic, deterministic demo data. */
#ifndef AJ_DEMO_H
#define AJ_DEMO_H
#include <stdint.h>

#include "db/db.h"

typedef enum { DEMO_SMALL, DEMO_MEDIUM, DEMO_LARGE } demo_scale;

typedef struct demo_stats {
    int projects, buildings, rooms, residents, staff;
} demo_stats;

/* Fills an empty database (AJ_ECONFLICT if projects exist). The same seed gives
 * the same data. Demo staff and the resident accounts it prints share one
 * password, given here. */
int demo_run(db *c, uint64_t seed, demo_scale scale, const char *password, demo_stats *st,
             aj_error *err);

#endif
