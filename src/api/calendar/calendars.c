/* api/calendar/calendars.c: HTTP face of working-day calendars: the days, admin
 * overrides, and the due-time calculator the tickets' SLA clock uses. */
#include <stdio.h>
#include <string.h>

#include "api/calendar/calendar_api.h"
#include "api/jv.h"
#include "api/out.h"
#include "base/clock.h"
#include "domain/calendar/calendar.h"

static json_t *calendars_day_json(int64_t day, char kind, const char *name, int manual)
{
    char date[16];
    clock_format_date(day, date, sizeof date);
    return json_pack("{s:s, s:s, s:s, s:b}", "date", date, "kind",
                     kind == 'W' ? "workday" : "holiday", "name", name ? name : "", "manual",
                     manual);
}

static json_t *calendars_hhmm(int minutes)
{
    char s[8];
    snprintf(s, sizeof s, "%02d:%02d", (minutes / 60) % 100, minutes % 60);
    return json_string(s);
}

/* The {date} path parameter: 422 unless YYYY-MM-DD. */
static int calendars_date_or_reply(req *r, int64_t *day)
{
    const char *s = req_param(r, "date");
    if (s && clock_parse_date(s, day) == 0) return 1;
    reply_fail(r, AJ_EINVAL, "date", "日期须为 YYYY-MM-DD");
    return 0;
}

void api_calendars_get(req *r)
{
    int64_t id, year = 0;
    int has_year;
    calendar cal;
    if (!req_staff_or_reply(r) || !req_path_id_or_reply(r, "id", &id)) return;
    if (!req_query_int_or_reply(r, "year", 1900, 9999, &year, &has_year)) return;
    if (calendar_load(r->db, id, &r->a, &cal, &r->err)) return reply_error(r);
    int64_t lo = has_year ? clock_days_from_civil((int)year, 1, 1) : INT64_MIN;
    int64_t hi = has_year ? clock_days_from_civil((int)year, 12, 31) : INT64_MAX;
    json_t *days = json_array();
    for (size_t i = 0; i < cal.ndays; i++) {
        const calendar_day *d = &cal.days[i];
        if (d->day < lo || d->day > hi) continue;
        json_array_append_new(days, calendars_day_json(d->day, d->kind, d->name, d->manual));
    }
    reply_json(r, 200,
               json_pack("{s:I, s:s, s:s, s:o, s:o, s:i, s:i, s:o}", "id", (json_int_t)cal.id,
                         "name", cal.name, "timezone", cal.timezone, "work_start",
                         calendars_hhmm(cal.work_start), "work_end", calendars_hhmm(cal.work_end),
                         "first_year", cal.first_year, "last_year", cal.last_year, "days", days));
}

void api_calendars_set_day(req *r)
{
    static const char *const fields[] = {"kind", "name", NULL};
    int64_t id, day;
    json_t *b;
    const char *kind, *name;
    if (!req_staff_or_reply(r) || !req_path_id_or_reply(r, "id", &id)) return;
    if (!calendars_date_or_reply(r, &day) || !(b = req_json_or_reply(r))) return;
    if (jv_only(b, fields, &r->err) || jv_str(b, "kind", JV_REQUIRED, 16, &kind, &r->err) ||
        jv_str(b, "name", JV_OPTIONAL, 100, &name, &r->err))
        return reply_error(r);
    char k = strcmp(kind, "holiday") == 0 ? 'H' : strcmp(kind, "workday") == 0 ? 'W' : 0;
    if (!k) return reply_fail(r, AJ_EINVAL, "kind", "kind 须为 holiday 或 workday");
    if (calendar_set_day(r->db, &r->who, id, day, k, name, &r->err)) return reply_error(r);
    reply_json(r, 200, calendars_day_json(day, k, name, 1));
}

void api_calendars_drop_day(req *r)
{
    int64_t id, day;
    if (!req_staff_or_reply(r) || !req_path_id_or_reply(r, "id", &id)) return;
    if (!calendars_date_or_reply(r, &day)) return;
    if (calendar_drop_day(r->db, &r->who, id, day, &r->err)) return reply_error(r);
    reply_status(r, 204);
}

void api_calendars_due(req *r)
{
    int64_t id, start, amount = 0, due;
    int has_amount;
    calendar cal;
    if (!req_staff_or_reply(r) || !req_path_id_or_reply(r, "id", &id)) return;
    const char *unit, *clock;
    if (!req_query_time_or_reply(r, "from", &start) ||
        !req_query_text_or_reply(r, "unit", &unit) || !req_query_text_or_reply(r, "clock", &clock))
        return;
    if (!start)
        return reply_fail(r, AJ_EINVAL, "from", "缺少 from（RFC 3339 时间，如 2026-09-30T16:00:00+08:00）");
    if (!req_query_int_or_reply(r, "amount", 0, 1 << 24, &amount, &has_amount)) return;
    if (!has_amount) return reply_fail(r, AJ_EINVAL, "amount", "缺少 amount");
    int u = calendar_unit_parse(unit);
    if (u < 0) return reply_fail(r, AJ_EINVAL, "unit", "unit 须为 minute、hour 或 workday");
    int c = clock ? calendar_clock_parse(clock) : u == CAL_WORKDAY;
    if (c < 0) return reply_fail(r, AJ_EINVAL, "clock", "clock 须为 calendar 或 business");
    if (calendar_load(r->db, id, &r->a, &cal, &r->err) ||
        calendar_due(&cal, start, (int)amount, (cal_unit)u, (cal_clock)c, &due, &r->err))
        return reply_error(r);
    reply_json(r, 200, json_pack("{s:o}", "due_at", out_time(due, cal.offset)));
}
