/* domain/calendar/calendar.h: working-day calendars (法定节假日 and 调休) and the two SLA
 * clocks: calendar (24x7) and business (working hours on working days). */
#ifndef AJ_CALENDAR_H
#define AJ_CALENDAR_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "domain/core/core.h"

typedef enum { CAL_CLOCK_CALENDAR = 0, CAL_CLOCK_BUSINESS = 1 } cal_clock;
typedef enum { CAL_MINUTE = 0, CAL_HOUR = 1, CAL_WORKDAY = 2 } cal_unit;

typedef struct calendar_day {
    int64_t day;      /* days since 1970-01-01 (local date) */
    char kind;        /* 'H' holiday (off), 'W' workday (调休上班) */
    const char *name; /* e.g. 国庆节 */
    int manual;       /* 1: an override entered by a user, 0: official data */
} calendar_day;

typedef struct calendar {
    int64_t id;
    const char *name, *timezone;
    int offset;                 /* seconds east of UTC, from timezone */
    int work_start, work_end;   /* minutes after local midnight: 540, 1080 */
    calendar_day *days;         /* overrides, sorted by day */
    size_t ndays;
    int first_year, last_year;  /* years with published official data */
} calendar;

/* Loads calendar id with its overrides. AJ_ENOTFOUND if there is none. */
int calendar_load(db *c, int64_t id, arena *a, calendar *out, aj_error *err);

/* 1 working day, 0 day off. A day in a year outside [first_year, last_year]
 * is AJ_EINVAL ("unpublished": the official schedule for that year is not
 * known, so it is not guessed), unless a manual override covers that day. */
int calendar_is_workday(const calendar *cal, int64_t day, aj_error *err);

/* The due time of a target of `amount` `unit`s on `clock`, started at `start`:
 * - minute/hour on the calendar clock: start + amount;
 * - minute/hour on the business clock: that much working time, counted only
 *   inside working hours of working days;
 * - workday (business clock): the end of working hours on the amount-th
 *   working day after the day `start` falls on (local date).
 * AJ_EINVAL with field "calendar" when it runs into an unpublished year. */
int calendar_due(const calendar *cal, int64_t start, int amount, cal_unit unit, cal_clock clock,
                 int64_t *due, aj_error *err);

/* Whether err is calendar_due's (or elapsed's, extend's) "cannot place this
 * on the calendar": a year without official data, or no working time at all
 * for ten years. The SLA engine then leaves the milestone unplanned (sla.h)
 * instead of refusing the ticket. */
int calendar_cannot_place(const aj_error *err);

/* Time between from and to as the clock counts it (calendar: seconds;
 * business: seconds inside working hours). Used to push due times out by a
 * pause measured on the same clock. */
int calendar_elapsed(const calendar *cal, int64_t from, int64_t to, cal_clock clock,
                     int64_t *secs, aj_error *err);

/* due moved later by `secs` of the clock's time (business: working seconds). */
int calendar_extend(const calendar *cal, int64_t due, int64_t secs, cal_clock clock,
                    int64_t *out, aj_error *err);

/* Admin edits: set or drop a manual override for a date; import official data
 * (chinese-days JSON or iCalendar), which marks its years as published. */
int calendar_set_day(db *c, const actor *who, int64_t id, int64_t day, char kind,
                     const char *name, aj_error *err);
int calendar_drop_day(db *c, const actor *who, int64_t id, int64_t day, aj_error *err);
int calendar_import(db *c, const actor *who, int64_t id, const char *data, size_t len,
                    int *imported, aj_error *err);

/* -- added with calendar.c -- */

/* Names and parsing of units ("minute", "hour", "workday") and clocks
 * ("calendar", "business"); parse returns -1 for an unknown name. */
const char *calendar_unit_name(cal_unit u);
int calendar_unit_parse(const char *s);
const char *calendar_clock_name(cal_clock c);
int calendar_clock_parse(const char *s);

/* Whether amount/unit/clock make a target calendar_due accepts: amount 0..2
 * years' worth of minutes or hours, workday 1..500 and only on the business
 * clock. AJ_EINVAL with field "amount" or "clock". */
int calendar_check_target(int amount, cal_unit unit, cal_clock clock, aj_error *err);

/* The calendar of a project (projects.calendar_id) with the project's time
 * zone as its offset: what a ticket of that project is timed on. */
int calendar_load_project(db *c, int64_t project_id, arena *a, calendar *out, aj_error *err);

/* Run after db_migrate (cli/cli.c cli_open, tests): puts the official days compiled in
 * from chinese-days into calendar 1 when it has none yet, or adds the years a
 * newer build knows beyond its last_year; marks them published. One
 * transaction; a no-op when there is nothing to add. */
int calendar_seed(db *c, aj_error *err);

/* The local year of a day (days since 1970-01-01). */
int calendar_year_of(int64_t day);

/* A consumer of working days that must react when a calendar's days change
 * (the SLA engine plans the milestones that waited for a year's data: sla/):
 * called inside the transaction that changed calendar_id, after the change;
 * *changed counts what it re-timed (audited with the edit). A failure rolls
 * the edit back. The calendar context knows nothing of its consumers: they
 * register here, as the stream hub does with core/live.h. */
typedef int (*calendar_hook)(db *c, int64_t calendar_id, int *changed, aj_error *err);
void calendar_on_change(calendar_hook fn);

/* The compiled-in official days (build/gen/holidays.c, scripts/gen_holidays.py),
 * sorted by date; kind 'H' or 'W'. */
typedef struct calendar_official {
    const char *date; /* YYYY-MM-DD */
    char kind;
    const char *name;
} calendar_official;
extern const calendar_official calendar_official_days[];
extern const size_t calendar_official_count;
extern const int calendar_official_first_year, calendar_official_last_year;

#endif
