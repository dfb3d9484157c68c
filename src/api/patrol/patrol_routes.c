/* api/patrol/patrol_routes.c: the routes of the patrol context (routes, checkpoints and
 * rounds; the visitors' register). */
#include "api/patrol/patrol_api.h"

#define P "/api/v1"

const route patrol_routes[] = {
    /* ---- routes and rounds ---- */
    {"GET", P "/patrol-routes", api_patrol_routes_list, 0, "List a project's patrol routes"},
    {"POST", P "/patrol-routes", api_patrol_routes_create, 0, "Create a patrol route with its checkpoints"},
    {"GET", P "/patrol-routes/{id}", api_patrol_routes_get, 0, "Get a patrol route"},
    {"PATCH", P "/patrol-routes/{id}", api_patrol_routes_update, 0,
     "Change a patrol route (a new list of checkpoints re-plans its future rounds)"},
    {"GET", P "/patrol-routes/{id}/labels.pdf", api_patrol_routes_labels, 0,
     "The QR labels of a route's checkpoints to print (A4 PDF)"},
    {"GET", P "/checkpoints/{token}", api_patrol_checkpoint, 0,
     "What a checkpoint's QR opens: the checkpoint and the caller's open round"},
    {"POST", P "/tasks/{id}/checkins", api_patrol_checkin, 0,
     "Scan a checkpoint of a round (flagged, never refused)"},
    {"GET", P "/tasks/{id}/checkins", api_patrol_scans, 0, "A round's scans in order"},
    {"GET", P "/stats/patrols", api_patrol_stats, 0,
     "Patrol figures of a month: rounds due, done, late, missed; checkpoints missed; flags"},

    /* ---- visitors ---- */
};
const int patrol_nroutes = (int)(sizeof patrol_routes / sizeof patrol_routes[0]);
