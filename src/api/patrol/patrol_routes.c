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
    {"GET", P "/patrols/board", api_patrol_board, 0,
     "Today's round board: every round of a project's day with its progress and flags"},
    {"GET", P "/stats/patrols", api_patrol_stats, 0,
     "Patrol figures of a month: rounds due, done, late, missed; checkpoints missed; flags"},

    /* ---- visitors ---- */
    {"GET", P "/visitors", api_visitors_list, 0, "A project's visitors' register of one day, with its shares"},
    {"POST", P "/visitors", api_visitors_create, 0, "Register a visitor at the gate (arrived now)"},
    {"POST", P "/visitors/actions/arrive", api_visitors_arrive, 0,
     "Check in a pre-registered visitor by the pass code alone"},
    {"POST", P "/visitors/{id}/actions/arrive", api_visitors_arrive, 0,
     "Check in a pre-registered visitor (the pass code)"},
    {"POST", P "/visitors/{id}/actions/leave", api_visitors_leave, 0, "A visitor leaves"},
    {"GET", P "/me/visitors", api_me_visitors_list, 0, "A resident's own pre-registered visitors"},
    {"POST", P "/me/visitors", api_me_visitors_create, 0,
     "A resident pre-registers a visitor for their room (a 6-digit pass code)"},
};
const int patrol_nroutes = (int)(sizeof patrol_routes / sizeof patrol_routes[0]);
