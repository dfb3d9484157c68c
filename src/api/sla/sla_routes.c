/* api/sla/sla_routes.c: the routes of the sla context (SLA policies). */
#include "api/sla/sla_api.h"

#define P "/api/v1"

const route sla_routes[] = {
    {"GET", P "/sla-policies", api_sla_policies_list, 0, "List SLA policies"},
    {"POST", P "/sla-policies", api_sla_policies_create, 0, "Create an SLA policy"},
    {"GET", P "/sla-policies/{id}", api_sla_policies_get, 0, "Get an SLA policy"},
    {"PATCH", P "/sla-policies/{id}", api_sla_policies_update, 0,
     "Update or deactivate an SLA policy"},
};
const int sla_nroutes = (int)(sizeof sla_routes / sizeof sla_routes[0]);
