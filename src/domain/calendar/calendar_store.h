/* domain/calendar/calendar_store.h: what calendar_store.c shares with
 * calendar_import.c inside the calendar context; not for other contexts. */
#ifndef AJ_CALENDAR_STORE_H
#define AJ_CALENDAR_STORE_H
#include <jansson.h>

#include "domain/calendar/calendar.h"

#define CAL_NAME_MAX 100

/* Writes one day of calendar id (inside a transaction): an official day
 * never replaces a manual one; a manual one replaces anything. Returns the
 * rows written, or a negative AJ_E* code. */
int calendar_store_put(db *c, int64_t id, int64_t day, char kind, const char *name, int manual,
                       aj_error *err);
/* The audit row of an edit (takes ch) and the calendar's updated_at. */
int calendar_store_audit(db *c, const actor *who, const char *action, int64_t id, json_t *ch,
                         aj_error *err);
/* Tells every hook (calendar_on_change) that calendar id changed, inside the
 * transaction that changed it; *changed sums what they re-timed. */
int calendar_store_changed(db *c, int64_t id, int *changed, aj_error *err);

#endif
