/* api/calendar/calendar_api.h: the HTTP face of the calendar context: its handlers and its
 * route table (calendar_routes.c), and what its resources share. */
#ifndef AJ_CALENDAR_API_H
#define AJ_CALENDAR_API_H
#include "http/router.h"

/* calendars.c */
void api_calendars_get(req *r);
void api_calendars_set_day(req *r);
void api_calendars_drop_day(req *r);
void api_calendars_due(req *r);

extern const route calendar_routes[];
extern const int calendar_nroutes;

#endif
