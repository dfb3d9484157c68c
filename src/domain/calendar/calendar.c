/* domain/calendar/calendar.c: the arithmetic of working days and the two SLA
 * clocks, on a calendar already loaded (no database; calendar_store.c loads
 * and edits calendars, calendar_import.c reads official schedules).
 *
 * A working day is a makeup workday (调休上班, kind 'W') or a Monday-Friday
 * that is not a holiday ('H'). Official days cover first_year..last_year; a
 * day outside that range without a manual override is an error, never a
 * guess. "N workday" ends at work_end (18:00) on the Nth working day after the
 * local date the clock started on: that date is day 0 whatever the hour, so a
 * ticket at 08:00, 17:59 or 23:00 on a Wednesday, or on a Saturday, with one
 * workday is due at 18:00 on the next working day after it. */
#include "domain/calendar/calendar.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"

#define CAL_SCAN_DAYS 3700 /* ~10 years: no target walks further */

static int64_t calendar_floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int calendar_year_of(int64_t day)
{
    int y, m, d;
    clock_civil_from_days(day, &y, &m, &d);
    return y;
}

/* ---- names ---- */

static const char *const calendar_units[] = {"minute", "hour", "workday"};
static const char *const calendar_clocks[] = {"calendar", "business"};

const char *calendar_unit_name(cal_unit u)
{
    return u >= CAL_MINUTE && u <= CAL_WORKDAY ? calendar_units[u] : "";
}

int calendar_unit_parse(const char *s)
{
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, calendar_units[i]) == 0) return i;
    return -1;
}

const char *calendar_clock_name(cal_clock c)
{
    return c == CAL_CLOCK_BUSINESS ? "business" : "calendar";
}

int calendar_clock_parse(const char *s)
{
    for (int i = 0; s && i < 2; i++)
        if (strcmp(s, calendar_clocks[i]) == 0) return i;
    return -1;
}

int calendar_check_target(int amount, cal_unit unit, cal_clock clock, aj_error *err)
{
    static const int max[] = {[CAL_MINUTE] = 2 * 366 * 24 * 60, [CAL_HOUR] = 2 * 366 * 24,
                              [CAL_WORKDAY] = 500};
    if (unit < CAL_MINUTE || unit > CAL_WORKDAY)
        return aj_fail(err, AJ_EINVAL, "unit", "unit 须为 minute、hour 或 workday");
    if (clock != CAL_CLOCK_CALENDAR && clock != CAL_CLOCK_BUSINESS)
        return aj_fail(err, AJ_EINVAL, "clock", "clock 须为 calendar 或 business");
    if (unit == CAL_WORKDAY && clock != CAL_CLOCK_BUSINESS)
        return aj_fail(err, AJ_EINVAL, "clock", "按工作日计的时限只能使用 business 时钟");
    int min = unit == CAL_WORKDAY ? 1 : 0;
    if (amount < min || amount > max[unit])
        return aj_fail(err, AJ_EINVAL, "amount", "amount 须在 %d 到 %d 之间", min, max[unit]);
    return 0;
}

/* ---- the clock ---- */

static const calendar_day *calendar_find(const calendar *cal, int64_t day)
{
    size_t lo = 0, hi = cal->ndays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->days[mid].day < day) lo = mid + 1;
        else hi = mid;
    }
    return lo < cal->ndays && cal->days[lo].day == day ? &cal->days[lo] : NULL;
}

int calendar_is_workday(const calendar *cal, int64_t day, aj_error *err)
{
    const calendar_day *d = calendar_find(cal, day);
    if (d) return d->kind == 'W';
    int y = calendar_year_of(day);
    if (y < cal->first_year || y > cal->last_year || cal->first_year <= 0) {
        char date[16];
        clock_format_date(day, date, sizeof date);
        return aj_fail(err, AJ_EINVAL, "calendar",
                       "%d 年的官方节假日安排尚未公布（%s 不在日历“%s”已发布的年份内），"
                       "无法计算工作日；请导入该年的安排或手工设置该日",
                       y, date, cal->name ? cal->name : "");
    }
    int wd = clock_weekday(day);
    return wd >= 1 && wd <= 5;
}

/* The instant at which `secs` of working time have passed after t. */
static int calendar_walk(const calendar *cal, int64_t t, int64_t secs, int64_t *out,
                         aj_error *err)
{
    if (secs <= 0) {
        *out = t;
        return 0;
    }
    int64_t local = t + cal->offset, day = calendar_floordiv(local, 86400);
    int64_t sod = local - day * 86400, ws = cal->work_start * 60, we = cal->work_end * 60;
    for (int i = 0; i < CAL_SCAN_DAYS; i++, day++, sod = 0) {
        if (sod >= we) continue;
        int w = calendar_is_workday(cal, day, err);
        if (w < 0) return w;
        if (!w) continue;
        int64_t from = sod > ws ? sod : ws, avail = we - from;
        if (secs <= avail) {
            *out = day * 86400 + from + secs - cal->offset;
            return 0;
        }
        secs -= avail;
    }
    return aj_fail(err, AJ_EINVAL, "calendar", "日历“%s”在十年内没有足够的工作时间",
                   cal->name ? cal->name : "");
}

int calendar_due(const calendar *cal, int64_t start, int amount, cal_unit unit, cal_clock clock,
                 int64_t *due, aj_error *err)
{
    if (calendar_check_target(amount, unit, clock, err)) return err->rc;
    if (unit != CAL_WORKDAY) {
        int64_t secs = (int64_t)amount * (unit == CAL_HOUR ? 3600 : 60);
        if (clock == CAL_CLOCK_CALENDAR) {
            *due = start + secs;
            return 0;
        }
        return calendar_walk(cal, start, secs, due, err);
    }
    int64_t day = calendar_floordiv(start + cal->offset, 86400);
    for (int k = 0, i = 0; k < amount; i++) {
        if (i >= CAL_SCAN_DAYS)
            return aj_fail(err, AJ_EINVAL, "calendar", "日历“%s”在十年内没有足够的工作日",
                           cal->name ? cal->name : "");
        day++;
        int w = calendar_is_workday(cal, day, err);
        if (w < 0) return w;
        k += w;
    }
    *due = day * 86400 + (int64_t)cal->work_end * 60 - cal->offset;
    return 0;
}

int calendar_cannot_place(const aj_error *err)
{
    return err->rc == AJ_EINVAL && strcmp(err->field, "calendar") == 0;
}

int calendar_elapsed(const calendar *cal, int64_t from, int64_t to, cal_clock clock,
                     int64_t *secs, aj_error *err)
{
    *secs = 0;
    if (to <= from) return 0;
    if (clock != CAL_CLOCK_BUSINESS) {
        *secs = to - from;
        return 0;
    }
    int64_t lf = from + cal->offset, lt = to + cal->offset;
    int64_t ws = cal->work_start * 60, we = cal->work_end * 60;
    for (int64_t day = calendar_floordiv(lf, 86400); day * 86400 < lt; day++) {
        int64_t a = day * 86400 + ws, b = day * 86400 + we;
        if (a < lf) a = lf;
        if (b > lt) b = lt;
        if (a >= b) continue;
        int w = calendar_is_workday(cal, day, err);
        if (w < 0) return w;
        if (w) *secs += b - a;
    }
    return 0;
}

int calendar_extend(const calendar *cal, int64_t due, int64_t secs, cal_clock clock,
                    int64_t *out, aj_error *err)
{
    if (clock != CAL_CLOCK_BUSINESS || secs <= 0) {
        *out = due + (secs > 0 ? secs : 0);
        return 0;
    }
    return calendar_walk(cal, due, secs, out, err);
}
