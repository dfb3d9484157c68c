/* api/patrol/patrol_api.h: the HTTP face of the patrol context: handlers and the route
 * table (patrol_routes.c). */
#ifndef AJ_PATROL_API_H
#define AJ_PATROL_API_H
#include <jansson.h>

#include "domain/patrol/patrol.h"
#include "http/router.h"

/* ---- routes and rounds (patrol_routes_api.c, checkins.c) ---- */

/* ---- visitors (visitors.c) ---- */

extern const route patrol_routes[];
extern const int patrol_nroutes;

#endif
