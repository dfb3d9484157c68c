/* api/api_routes.c: every context's routes concatenated in one table, in the
 * order they are matched (the router walks it from the top: contexts with
 * the busiest routes first would be faster, but no context shares a path
 * with another, so the order only costs, never changes, a match). */
#include "api/api.h"

#include <pthread.h>

#include "api/assets/assets_api.h"
#include "api/calendar/calendar_api.h"
#include "api/core/core_api.h"
#include "api/identity/identity_api.h"
#include "api/kpi/kpi_api.h"
#include "api/org/org_api.h"
#include "api/patrol/patrol_api.h"
#include "api/quality/quality_api.h"
#include "api/sla/sla_api.h"
#include "api/tickets/tickets_api.h"
#include "api/voice/voice_api.h"
#include "api/work/work_api.h"

#define API_MAX_ROUTES 256

static const struct {
    const route *table;
    const int *count;
} api_groups[] = {
    {core_routes, &core_nroutes},         {identity_routes, &identity_nroutes},
    {org_routes, &org_nroutes},           {sla_routes, &sla_nroutes},
    {calendar_routes, &calendar_nroutes}, {tickets_routes, &tickets_nroutes},
    {kpi_routes, &kpi_nroutes},           {work_routes, &work_nroutes},
    {assets_routes, &assets_nroutes},     {patrol_routes, &patrol_nroutes},
    {quality_routes, &quality_nroutes},   {voice_routes, &voice_nroutes},
};

static route api_all[API_MAX_ROUTES];
static int api_nall;
static pthread_once_t api_once = PTHREAD_ONCE_INIT;

static void api_routes_build(void)
{
    for (size_t g = 0; g < sizeof api_groups / sizeof api_groups[0]; g++)
        for (int i = 0; i < *api_groups[g].count && api_nall < API_MAX_ROUTES; i++)
            api_all[api_nall++] = api_groups[g].table[i];
}

const route *api_routes(int *count)
{
    pthread_once(&api_once, api_routes_build);
    *count = api_nall;
    return api_all;
}
