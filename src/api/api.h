/* api/api.h: the whole HTTP API as one route table: each context's routes
 * (api/<context>/<context>_routes.c) in match order (api/api_routes.c). */
#ifndef AJ_API_H
#define AJ_API_H
#include "http/router.h"

/* The table to install with router_use; built once, owned by api/routes.c. */
const route *api_routes(int *count);

#endif
