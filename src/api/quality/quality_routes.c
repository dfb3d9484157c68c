/* api/quality/quality_routes.c: the routes of the quality context (the service-standards
 * catalogue and its public page, rectifications). */
#include "api/quality/quality_api.h"

#define P "/api/v1"

const route quality_routes[] = {
    {"GET", P "/standards", api_standards_list, 0, "The service-standards catalogue (服务标准库)"},
    {"POST", P "/standards", api_standards_create, 0, "Add a standard to the catalogue"},
    {"GET", P "/standards/{id}", api_standards_get, 0, "Get a standard"},
    {"PATCH", P "/standards/{id}", api_standards_update, 0,
     "Change a standard (a new version) or retire it"},
    {"GET", P "/rectifications", api_rectifications_list, 0,
     "Rectifications (整改单) by state, department, overdue"},
    {"POST", P "/rectifications", api_rectifications_create, 0, "Raise a rectification"},
    {"GET", P "/rectifications/{id}", api_rectifications_get, 0, "Get a rectification"},
    {"POST", P "/rectifications/{id}/actions/{action}", api_rectifications_action, 0,
     "submit (the evidence), recheck (passed, or back with a new deadline), cancel"},
    {"GET", P "/stats/quality", api_quality_stats, 0,
     "A month's inspection scores per department and level; rectifications raised, open, overdue, passed"},
    {"GET", P "/reports/self-check", api_quality_selfcheck, 0,
     "The weekly self-check report: each department's self-checks of the week"},
    {"GET", P "/public/projects/{code}/standards", api_public_standards, ROUTE_PUBLIC,
     "The service standards a project keeps, for its residents (no login)"},
};
const int quality_nroutes = (int)(sizeof quality_routes / sizeof quality_routes[0]);
