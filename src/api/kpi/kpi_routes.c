/* api/kpi/kpi_routes.c: the routes of the kpi context (dashboard figures and the public disclosure board). */
#include "api/kpi/kpi_api.h"

#define P "/api/v1"

const route kpi_routes[] = {
    {"GET", P "/stats/tickets", api_stats_tickets, 0, "Dashboard figures of work orders"},
    {"GET", P "/public/projects/{code}/disclosure", api_public_disclosure, ROUTE_PUBLIC, 
     "A project's disclosure board: promises and last month's KPIs (no login)"},
};
const int kpi_nroutes = (int)(sizeof kpi_routes / sizeof kpi_routes[0]);
