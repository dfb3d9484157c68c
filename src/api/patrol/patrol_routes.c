/* api/patrol/patrol_routes.c: the routes of the patrol context (routes, checkpoints and
 * rounds; the visitors' register). */
#include "api/patrol/patrol_api.h"

#define P "/api/v1"

const route patrol_routes[] = {
    /* ---- routes and rounds ---- */

    /* ---- visitors ---- */

    {NULL, NULL, NULL, 0, NULL},
};
const int patrol_nroutes = (int)(sizeof patrol_routes / sizeof patrol_routes[0]) - 1;
