/* http/router.h: routes and the router: a route names a method, a path
 * pattern, its handler and flags; the table itself is the api layer's
 * (api/api_routes.c), installed with router_use. */
#ifndef AJ_ROUTER_H
#define AJ_ROUTER_H
#include "http/req.h"

typedef void (*route_fn)(req *r);

enum {
    ROUTE_PUBLIC = 1, /* no login needed */
    ROUTE_UPLOAD = 2, /* body limit 10 MiB instead of 1 MiB */
    /* With ROUTE_PUBLIC: the caller is still known when a valid session comes
     * (r->who), and anonymous (ROLE_NONE) otherwise, never refused: a page
     * anyone may open that shows staff more (the equipment QR, /q/e/{token}). */
    ROUTE_WHO = 4,
};

typedef struct route {
    const char *method;
    const char *pattern; /* "/api/v1/projects/{id}" */
    route_fn fn;
    unsigned flags;
    const char *summary;
} route;

/* The table the router matches against, set once before serving (the
 * command line installs api_routes(): http/ knows no handler). */
void router_use(const route *table, int count);
const route *router_table(int *count);
/* Finds the route for method and path, filling r's path parameters. Sets
 * *path_known when some route has this path under another method. */
const route *router_match(req *r, const char *method, const char *path, int *path_known);
void router_dispatch(req *r);
/* Before a body is read (from the headers alone): 1 when this caller may send
 * one to this route (a public route, or a valid session with its CSRF token);
 * otherwise replies (401, 403, 404, 405...) and returns 0. The session found
 * here is the one router_dispatch uses. */
int router_admit_or_reply(req *r);

#endif
