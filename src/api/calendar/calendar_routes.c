/* api/calendar/calendar_routes.c: the routes of the calendar context (working-day calendars). */
#include "api/calendar/calendar_api.h"

#define P "/api/v1"

const route calendar_routes[] = {
    {"GET", P "/calendars/{id}", api_calendars_get, 0, "Get a working-day calendar and its days"},
    {"PUT", P "/calendars/{id}/days/{date}", api_calendars_set_day, 0,
     "Set a day override (holiday or workday)"},
    {"DELETE", P "/calendars/{id}/days/{date}", api_calendars_drop_day, 0,
     "Drop a day override"},
    {"GET", P "/calendars/{id}/due", api_calendars_due, 0,
     "Due time of a target on this calendar"},
};
const int calendar_nroutes = (int)(sizeof calendar_routes / sizeof calendar_routes[0]);
