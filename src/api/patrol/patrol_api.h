/* api/patrol/patrol_api.h: the HTTP face of the patrol context: handlers and the route
 * table (patrol_routes.c). */
#ifndef AJ_PATROL_API_H
#define AJ_PATROL_API_H
#include <jansson.h>

#include "domain/patrol/patrol.h"
#include "http/router.h"

/* ---- routes and rounds (patrol_route_api.c, patrol_rounds.c) ---- */
void api_patrol_routes_list(req *r);
void api_patrol_routes_create(req *r);
void api_patrol_routes_get(req *r);
void api_patrol_routes_update(req *r);
void api_patrol_routes_labels(req *r);
json_t *api_patrol_checkpoint_json(const patrol_checkpoint *p);
void api_patrol_checkpoint(req *r);
void api_patrol_checkin(req *r);
void api_patrol_scans(req *r);
void api_patrol_stats(req *r);
void api_patrol_board(req *r);

/* ---- visitors (visitor_api.c) ---- */
void api_visitors_list(req *r);
void api_visitors_create(req *r);
void api_visitors_arrive(req *r);
void api_visitors_leave(req *r);
void api_me_visitors_list(req *r);
void api_me_visitors_create(req *r);

extern const route patrol_routes[];
extern const int patrol_nroutes;

#endif
