/* tests/unit/test_calendar.c: working days (法定节假日 and 调休) and the two SLA
 * clocks, on the official data compiled in from chinese-days; then the stored
 * calendars (seed, overrides, import) on both backends. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "dbtest.h"
#include "domain/core/audit.h"
#include "domain/calendar/calendar.h"

/* Each stored test its own audit key and checkpoints: the tests run in parallel processes,
 * and checkpoints appended by another one to the shared default file made audit_verify see
 * a chain going back. */
static void cal_audit_dir(void)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/anju-cal-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    audit_key_dir(dir);
}

static const actor cal_admin = {.id = 0, .role = ROLE_ADMIN, .ip = "", .request_id = "unit"};
static const actor cal_desk = {.id = 7, .role = ROLE_DESK, .ip = "", .request_id = "unit"};

/* Calendar 1 as calendar_seed stores it, built in memory. */
static calendar cal_official(arena *a)
{
    calendar c = {.id = 1, .name = "中国大陆法定节假日", .timezone = "Asia/Shanghai",
                  .offset = 8 * 3600, .work_start = 540, .work_end = 1080,
                  .first_year = calendar_official_first_year,
                  .last_year = calendar_official_last_year};
    c.days = arena_alloc(a, calendar_official_count * sizeof(calendar_day));
    for (size_t i = 0; i < calendar_official_count; i++) {
        const calendar_official *o = &calendar_official_days[i];
        cr_assert_eq(clock_parse_date(o->date, &c.days[i].day), 0);
        c.days[i].kind = o->kind;
        c.days[i].name = o->name;
    }
    c.ndays = calendar_official_count;
    return c;
}

static int64_t T(const char *s)
{
    int64_t t;
    cr_assert_eq(clock_parse_rfc3339(s, &t), 0, "bad time %s", s);
    return t;
}

static int64_t D(const char *s)
{
    int64_t d;
    cr_assert_eq(clock_parse_date(s, &d), 0, "bad date %s", s);
    return d;
}

static int is_work(const calendar *c, const char *date)
{
    aj_error err = {0};
    int w = calendar_is_workday(c, D(date), &err);
    cr_assert_geq(w, 0, "%s: %s", date, err.message);
    return w;
}

/* Asserts that amount unit on clock from `from` is due at `want`. */
static void due_is(const calendar *c, const char *from, int amount, cal_unit u, cal_clock k,
                   const char *want)
{
    aj_error err = {0};
    int64_t due = 0;
    char got[40];
    cr_assert_eq(calendar_due(c, T(from), amount, u, k, &due, &err), 0, "%s +%d: %s", from,
                 amount, err.message);
    clock_format(due, c->offset, got, sizeof got);
    cr_assert_str_eq(got, want, "%s + %d %s (%s)", from, amount, calendar_unit_name(u),
                     calendar_clock_name(k));
}

#define WORKDAY(c, from, n, want) due_is(c, from, n, CAL_WORKDAY, CAL_CLOCK_BUSINESS, want)
#define BIZ_MIN(c, from, n, want) due_is(c, from, n, CAL_MINUTE, CAL_CLOCK_BUSINESS, want)
#define BIZ_HOUR(c, from, n, want) due_is(c, from, n, CAL_HOUR, CAL_CLOCK_BUSINESS, want)

Test(calendar, official_data_2026)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar c = cal_official(&a);
    cr_assert_eq(c.first_year, 2004);
    cr_assert_geq(c.last_year, 2026);
    /* National Day: 10-01..07 off; Sunday 09-20 and Saturday 10-10 worked */
    for (int d = 1; d <= 7; d++) {
        char date[16];
        snprintf(date, sizeof date, "2026-10-%02d", d);
        cr_assert_not(is_work(&c, date), "%s", date);
    }
    cr_assert(is_work(&c, "2026-09-20"));
    cr_assert(is_work(&c, "2026-10-10"));
    cr_assert(is_work(&c, "2026-10-08"));
    cr_assert_not(is_work(&c, "2026-10-11")); /* an ordinary Sunday */
    /* Spring Festival: 02-15..23 off; Saturdays 02-14 and 02-28 worked */
    for (int d = 15; d <= 23; d++) {
        char date[16];
        snprintf(date, sizeof date, "2026-02-%02d", d);
        cr_assert_not(is_work(&c, date), "%s", date);
    }
    cr_assert(is_work(&c, "2026-02-14"));
    cr_assert(is_work(&c, "2026-02-28"));
    cr_assert(is_work(&c, "2026-02-24"));
    /* New Year: 01-01..03 off, Sunday 01-04 worked; 2025-12-31 is a Wednesday */
    cr_assert_not(is_work(&c, "2026-01-01"));
    cr_assert_not(is_work(&c, "2026-01-02"));
    cr_assert_not(is_work(&c, "2026-01-03"));
    cr_assert(is_work(&c, "2026-01-04"));
    cr_assert(is_work(&c, "2025-12-31"));
    /* names come from the data */
    for (size_t i = 0; i < c.ndays; i++)
        if (c.days[i].day == D("2026-10-10")) cr_assert_str_eq(c.days[i].name, "国庆节");
    arena_free(&a);
}

Test(calendar, workdays_across_national_day)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar c = cal_official(&a);
    WORKDAY(&c, "2026-09-30T16:00:00+08:00", 1, "2026-10-08T18:00:00+08:00");
    WORKDAY(&c, "2026-09-30T16:00:00+08:00", 2, "2026-10-09T18:00:00+08:00");
    /* the makeup Saturday counts */
    WORKDAY(&c, "2026-09-30T16:00:00+08:00", 3, "2026-10-10T18:00:00+08:00");
    WORKDAY(&c, "2026-09-30T16:00:00+08:00", 4, "2026-10-12T18:00:00+08:00");
    /* reported on a holiday: day 0 is the holiday */
    WORKDAY(&c, "2026-10-03T11:00:00+08:00", 1, "2026-10-08T18:00:00+08:00");
    /* Saturday 09-19 -> the makeup Sunday 09-20 */
    WORKDAY(&c, "2026-09-19T10:00:00+08:00", 1, "2026-09-20T18:00:00+08:00");
    /* reported on the makeup Saturday 10-10: next working day is Monday */
    WORKDAY(&c, "2026-10-10T10:00:00+08:00", 1, "2026-10-12T18:00:00+08:00");
    arena_free(&a);
}

Test(calendar, workdays_across_spring_festival_and_new_year)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar c = cal_official(&a);
    WORKDAY(&c, "2026-02-13T10:00:00+08:00", 1, "2026-02-14T18:00:00+08:00");
    WORKDAY(&c, "2026-02-13T10:00:00+08:00", 3, "2026-02-25T18:00:00+08:00");
    WORKDAY(&c, "2026-02-14T17:00:00+08:00", 1, "2026-02-24T18:00:00+08:00");
    WORKDAY(&c, "2026-02-27T09:30:00+08:00", 1, "2026-02-28T18:00:00+08:00");
    /* New Year crossing years: 01-01..03 off, 01-04 (Sunday) worked */
    WORKDAY(&c, "2025-12-31T10:00:00+08:00", 1, "2026-01-04T18:00:00+08:00");
    WORKDAY(&c, "2025-12-31T10:00:00+08:00", 2, "2026-01-05T18:00:00+08:00");
    WORKDAY(&c, "2025-12-31T23:30:00+08:00", 1, "2026-01-04T18:00:00+08:00");
    /* 2025-12-31T16:30Z is already 01-01 in Shanghai: day 0 is the holiday */
    WORKDAY(&c, "2025-12-31T16:30:00Z", 1, "2026-01-04T18:00:00+08:00");
    arena_free(&a);
}

/* The start day is day 0 whatever the hour: before 09:00, at 17:59, at 18:01,
 * late at night, or on a weekend, one workday is the end of the next working day. */
Test(calendar, workday_rule_at_the_edges_of_the_day)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar c = cal_official(&a);
    WORKDAY(&c, "2026-09-16T17:59:00+08:00", 1, "2026-09-17T18:00:00+08:00");
    WORKDAY(&c, "2026-09-16T18:01:00+08:00", 1, "2026-09-17T18:00:00+08:00");
    WORKDAY(&c, "2026-09-16T08:00:00+08:00", 1, "2026-09-17T18:00:00+08:00");
    WORKDAY(&c, "2026-09-16T00:00:00+08:00", 1, "2026-09-17T18:00:00+08:00");
    WORKDAY(&c, "2026-09-16T23:59:59+08:00", 1, "2026-09-17T18:00:00+08:00");
    /* Friday evening and Saturday -> Monday */
    WORKDAY(&c, "2026-03-13T17:59:00+08:00", 1, "2026-03-16T18:00:00+08:00");
    WORKDAY(&c, "2026-03-14T10:00:00+08:00", 1, "2026-03-16T18:00:00+08:00");
    WORKDAY(&c, "2026-03-15T22:00:00+08:00", 1, "2026-03-16T18:00:00+08:00");
    arena_free(&a);
}

Test(calendar, business_hours)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar c = cal_official(&a);
    /* one minute left at 17:59; none at 18:01 */
    BIZ_HOUR(&c, "2026-09-16T17:59:00+08:00", 2, "2026-09-17T10:59:00+08:00");
    BIZ_HOUR(&c, "2026-09-16T18:01:00+08:00", 2, "2026-09-17T11:00:00+08:00");
    BIZ_MIN(&c, "2026-09-16T17:59:00+08:00", 1, "2026-09-16T18:00:00+08:00");
    BIZ_MIN(&c, "2026-09-16T17:59:00+08:00", 2, "2026-09-17T09:01:00+08:00");
    BIZ_MIN(&c, "2026-09-16T17:50:00+08:00", 15, "2026-09-17T09:05:00+08:00");
    /* before opening: the clock starts at 09:00 */
    BIZ_MIN(&c, "2026-09-16T07:00:00+08:00", 15, "2026-09-16T09:15:00+08:00");
    /* a whole working day is 9 hours and ends at 18:00, not the next 09:00 */
    BIZ_HOUR(&c, "2026-09-16T09:00:00+08:00", 9, "2026-09-16T18:00:00+08:00");
    BIZ_MIN(&c, "2026-09-16T09:00:00+08:00", 541, "2026-09-17T09:01:00+08:00");
    /* across National Day onto the makeup Saturday */
    BIZ_HOUR(&c, "2026-09-30T17:00:00+08:00", 2, "2026-10-08T10:00:00+08:00");
    BIZ_HOUR(&c, "2026-10-09T17:00:00+08:00", 3, "2026-10-10T11:00:00+08:00");
    /* amount 0 is the start itself */
    BIZ_MIN(&c, "2026-10-03T12:00:00+08:00", 0, "2026-10-03T12:00:00+08:00");
    arena_free(&a);
}

Test(calendar, calendar_clock_ignores_the_calendar)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar c = cal_official(&a);
    due_is(&c, "2026-09-30T16:00:00+08:00", 24, CAL_HOUR, CAL_CLOCK_CALENDAR,
           "2026-10-01T16:00:00+08:00");
    due_is(&c, "2026-09-30T16:00:00+08:00", 15, CAL_MINUTE, CAL_CLOCK_CALENDAR,
           "2026-09-30T16:15:00+08:00");
    /* the 24 h desk needs no published schedule */
    due_is(&c, "2026-12-31T20:00:00+08:00", 48, CAL_HOUR, CAL_CLOCK_CALENDAR,
           "2027-01-02T20:00:00+08:00");
    arena_free(&a);
}

Test(calendar, elapsed_and_extend_over_a_holiday)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar c = cal_official(&a);
    aj_error err = {0};
    int64_t secs, out;
    int64_t from = T("2026-09-30T17:00:00+08:00"), to = T("2026-10-08T10:00:00+08:00");
    cr_assert_eq(calendar_elapsed(&c, from, to, CAL_CLOCK_BUSINESS, &secs, &err), 0);
    cr_assert_eq(secs, 2 * 3600); /* 17:00-18:00 on 09-30 and 09:00-10:00 on 10-08 */
    cr_assert_eq(calendar_elapsed(&c, from, to, CAL_CLOCK_CALENDAR, &secs, &err), 0);
    cr_assert_eq(secs, to - from);
    cr_assert_eq(calendar_elapsed(&c, to, from, CAL_CLOCK_BUSINESS, &secs, &err), 0);
    cr_assert_eq(secs, 0);
    /* a whole ordinary week: 5 x 9 h */
    cr_assert_eq(calendar_elapsed(&c, T("2026-03-16T00:00:00+08:00"),
                                  T("2026-03-23T00:00:00+08:00"), CAL_CLOCK_BUSINESS, &secs, &err),
                 0);
    cr_assert_eq(secs, 5 * 9 * 3600);
    /* 3 workdays due Friday 10-09 18:00 pushed by 2 working hours: the makeup Saturday */
    cr_assert_eq(calendar_extend(&c, T("2026-10-09T18:00:00+08:00"), 7200, CAL_CLOCK_BUSINESS,
                                 &out, &err),
                 0);
    cr_assert_eq(out, T("2026-10-10T11:00:00+08:00"));
    cr_assert_eq(calendar_extend(&c, T("2026-10-01T16:00:00+08:00"), to - from,
                                 CAL_CLOCK_CALENDAR, &out, &err),
                 0);
    cr_assert_eq(out, T("2026-10-09T09:00:00+08:00"));
    cr_assert_eq(calendar_extend(&c, 12345, 0, CAL_CLOCK_BUSINESS, &out, &err), 0);
    cr_assert_eq(out, 12345);
    arena_free(&a);
}

static void unpublished(const calendar *c, const char *from, int amount, cal_unit u,
                        const char *year)
{
    aj_error err = {0};
    int64_t due;
    cr_assert_eq(calendar_due(c, T(from), amount, u, CAL_CLOCK_BUSINESS, &due, &err), AJ_EINVAL,
                 "%s should be unpublished", from);
    cr_assert_str_eq(err.field, "calendar");
    cr_assert(strstr(err.message, year) && strstr(err.message, "尚未公布"), "%s", err.message);
}

Test(calendar, unpublished_years_are_errors_not_guesses)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar c = cal_official(&a);
    cr_assert_eq(c.last_year, 2026, "update this test when chinese-days publishes 2027");
    unpublished(&c, "2026-12-31T10:00:00+08:00", 1, CAL_WORKDAY, "2027");
    unpublished(&c, "2027-03-01T10:00:00+08:00", 2, CAL_HOUR, "2027");
    unpublished(&c, "2003-12-01T10:00:00+08:00", 1, CAL_WORKDAY, "2003");
    unpublished(&c, "2003-06-02T10:00:00+08:00", 30, CAL_MINUTE, "2003");
    aj_error err = {0};
    cr_assert_eq(calendar_is_workday(&c, D("2027-01-04"), &err), AJ_EINVAL);
    /* the last published days still work */
    WORKDAY(&c, "2026-12-29T10:00:00+08:00", 2, "2026-12-31T18:00:00+08:00");
    /* a manual override makes that one day known */
    calendar m = c;
    m.days = arena_alloc(&a, (c.ndays + 1) * sizeof(calendar_day));
    memcpy(m.days, c.days, c.ndays * sizeof(calendar_day));
    m.days[c.ndays] = (calendar_day){.day = D("2027-01-01"), .kind = 'W', .manual = 1};
    m.ndays = c.ndays + 1;
    WORKDAY(&m, "2026-12-31T10:00:00+08:00", 1, "2027-01-01T18:00:00+08:00");
    unpublished(&m, "2026-12-31T10:00:00+08:00", 2, CAL_WORKDAY, "2027");
    /* a calendar without any data knows no year */
    calendar empty = {.name = "空", .offset = 8 * 3600, .work_start = 540, .work_end = 1080};
    cr_assert_eq(calendar_is_workday(&empty, D("2026-09-16"), &err), AJ_EINVAL);
    arena_free(&a);
}

Test(calendar, targets_and_names)
{
    aj_error err = {0};
    cr_assert_eq(calendar_check_target(3, CAL_WORKDAY, CAL_CLOCK_BUSINESS, &err), 0);
    cr_assert_eq(calendar_check_target(3, CAL_WORKDAY, CAL_CLOCK_CALENDAR, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "clock");
    cr_assert_eq(calendar_check_target(0, CAL_WORKDAY, CAL_CLOCK_BUSINESS, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "amount");
    cr_assert_eq(calendar_check_target(-1, CAL_MINUTE, CAL_CLOCK_CALENDAR, &err), AJ_EINVAL);
    cr_assert_eq(calendar_check_target(0, CAL_MINUTE, CAL_CLOCK_CALENDAR, &err), 0);
    cr_assert_eq(calendar_check_target(100000, CAL_HOUR, CAL_CLOCK_CALENDAR, &err), AJ_EINVAL);
    cr_assert_eq(calendar_unit_parse("workday"), CAL_WORKDAY);
    cr_assert_eq(calendar_unit_parse("day"), -1);
    cr_assert_eq(calendar_unit_parse(NULL), -1);
    cr_assert_eq(calendar_clock_parse("business"), CAL_CLOCK_BUSINESS);
    cr_assert_eq(calendar_clock_parse("wall"), -1);
    cr_assert_str_eq(calendar_unit_name(CAL_HOUR), "hour");
    cr_assert_str_eq(calendar_clock_name(CAL_CLOCK_CALENDAR), "calendar");
}

Test(calendar, local_dates_follow_the_offset)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar c = cal_official(&a);
    c.offset = 6 * 3600; /* Asia/Urumqi */
    /* 17:30 in Shanghai is 15:30 in Urumqi: 2.5 working hours left that day */
    BIZ_HOUR(&c, "2026-09-16T17:30:00+08:00", 3, "2026-09-17T09:30:00+06:00");
    WORKDAY(&c, "2026-09-30T23:30:00+08:00", 1, "2026-10-08T18:00:00+06:00");
    arena_free(&a);
}

/* ---- stored calendars ---- */

static int64_t cal_count(db *c, const char *sql, int64_t id)
{
    int64_t n = -1;
    aj_error err = {0};
    cr_assert_eq(db_scalar(c, sql, DB_ARGS(DB_INT(id)), &n, &err), 0, "%s", err.message);
    return n;
}

static void cal_stored(db_kind kind)
{
    db *c = dbtest_open(kind);
    arena a;
    arena_init(&a, 1 << 16);
    aj_error err = {0};
    calendar cal;
    cr_assert_eq(calendar_load(c, 1, &a, &cal, &err), 0, "%s", err.message);
    cr_assert_str_eq(cal.name, "中国大陆法定节假日");
    cr_assert_eq(cal.offset, 8 * 3600);
    cr_assert_eq(cal.work_start, 540);
    cr_assert_eq(cal.work_end, 1080);
    cr_assert_eq(cal.first_year, calendar_official_first_year);
    cr_assert_eq(cal.last_year, calendar_official_last_year);
    cr_assert_eq(cal.ndays, calendar_official_count);
    for (size_t i = 1; i < cal.ndays; i++) cr_assert_lt(cal.days[i - 1].day, cal.days[i].day);
    /* seeding again changes nothing */
    cr_assert_eq(calendar_seed(c, &err), 0, "%s", err.message);
    cr_assert_eq(cal_count(c, "SELECT COUNT(*) FROM calendar_days WHERE calendar_id = $1", 1),
                 (int64_t)calendar_official_count);
    cr_assert_eq(calendar_load(c, 99, &a, &cal, &err), AJ_ENOTFOUND);

    /* a manual holiday on 10-08 moves the due time; dropping it restores it */
    int64_t from = T("2026-09-30T16:00:00+08:00"), due;
    cr_assert_eq(calendar_set_day(c, &cal_desk, 1, D("2026-10-08"), 'H', "停电", &err),
                 AJ_EFORBIDDEN);
    cr_assert_eq(calendar_set_day(c, &cal_admin, 1, D("2026-10-08"), 'X', NULL, &err), AJ_EINVAL);
    cr_assert_eq(calendar_set_day(c, &cal_admin, 99, D("2026-10-08"), 'H', NULL, &err),
                 AJ_ENOTFOUND);
    cr_assert_eq(calendar_set_day(c, &cal_admin, 1, D("2026-10-08"), 'H', "停电", &err), 0,
                 "%s", err.message);
    cr_assert_eq(calendar_load(c, 1, &a, &cal, &err), 0);
    cr_assert_eq(calendar_due(&cal, from, 1, CAL_WORKDAY, CAL_CLOCK_BUSINESS, &due, &err), 0);
    cr_assert_eq(due, T("2026-10-09T18:00:00+08:00"));
    /* an official workday turned holiday, then dropped: the official day is back */
    cr_assert_eq(calendar_set_day(c, &cal_admin, 1, D("2026-10-10"), 'H', NULL, &err), 0);
    cr_assert_eq(calendar_drop_day(c, &cal_admin, 1, D("2026-10-10"), &err), 0, "%s",
                 err.message);
    cr_assert_eq(cal_count(c,
                           "SELECT COUNT(*) FROM calendar_days WHERE calendar_id = $1"
                           " AND date = '2026-10-10' AND kind = 'workday' AND manual = 0",
                           1),
                 1);
    cr_assert_eq(calendar_drop_day(c, &cal_admin, 1, D("2026-10-08"), &err), 0);
    cr_assert_eq(calendar_drop_day(c, &cal_admin, 1, D("2026-10-08"), &err), AJ_ENOTFOUND);
    cr_assert_eq(calendar_drop_day(c, &cal_desk, 1, D("2026-10-08"), &err), AJ_EFORBIDDEN);
    cr_assert_eq(calendar_load(c, 1, &a, &cal, &err), 0);
    cr_assert_eq(calendar_due(&cal, from, 1, CAL_WORKDAY, CAL_CLOCK_BUSINESS, &due, &err), 0);
    cr_assert_eq(due, T("2026-10-08T18:00:00+08:00"));
    /* a manual day in an unpublished year is known */
    cr_assert_eq(calendar_set_day(c, &cal_admin, 1, D("2027-01-01"), 'H', "元旦", &err), 0);
    cr_assert_eq(calendar_load(c, 1, &a, &cal, &err), 0);
    cr_assert_eq(calendar_is_workday(&cal, D("2027-01-01"), &err), 0);
    cr_assert_eq(calendar_is_workday(&cal, D("2027-01-04"), &err), AJ_EINVAL);
    /* every change is audited */
    cr_assert_eq(cal_count(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'calendar'"
                              " AND entity_id = $1",
                           1),
                 5);
    int64_t rows, bad;
    char msg[256];
    cr_assert_eq(audit_verify(c, &rows, &bad, msg, sizeof msg), 0, "%s", msg);

    /* a project's calendar comes in the project's time zone */
    int64_t pid;
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO projects (code, name, timezone, created_at, updated_at)"
                           " VALUES ('URQ', '乌鲁木齐项目', 'Asia/Urumqi', 0, 0) RETURNING id",
                           DB_NOARGS, &pid, &err),
                 0, "%s", err.message);
    cr_assert_eq(calendar_load_project(c, pid, &a, &cal, &err), 0, "%s", err.message);
    cr_assert_eq(cal.offset, 6 * 3600);
    cr_assert_eq(cal.id, 1);
    cr_assert_eq(calendar_load_project(c, 424242, &a, &cal, &err), AJ_ENOTFOUND);
    arena_free(&a);
    dbtest_close(c);
}

Test(calendar, stored_sqlite, .init = cal_audit_dir) { cal_stored(DB_SQLITE); }
Test(calendar, stored_pg, .init = cal_audit_dir) { cal_stored(DB_PG); }

static char *cal_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

static void cal_import(db_kind kind)
{
    db *c = dbtest_open(kind);
    arena a;
    arena_init(&a, 1 << 16);
    aj_error err = {0};
    int n = 0;
    size_t len;
    char *ics = cal_read_file("web/node_modules/chinese-days/dist/holidays.ics", &len);
    cr_assert_not_null(ics, "run from the repository root with web/node_modules installed");
    cr_assert_eq(calendar_import(c, &cal_desk, 3, ics, len, &n, &err), AJ_EFORBIDDEN);
    cr_assert_eq(calendar_import(c, &cal_admin, 3, ics, len, &n, &err), 0, "%s", err.message);
    cr_assert_gt(n, 100);
    calendar one, three;
    cr_assert_eq(calendar_load(c, 1, &a, &one, &err), 0);
    cr_assert_eq(calendar_load(c, 3, &a, &three, &err), 0, "%s", err.message);
    cr_assert_eq(three.first_year, 2024);
    cr_assert_eq(three.last_year, 2026);
    /* the .ics agrees with the JSON day by day, and names drop the (休)/(班) suffix */
    for (int64_t d = D("2024-01-01"); d <= D("2026-12-31"); d++) {
        aj_error e1 = {0}, e3 = {0};
        cr_assert_eq(calendar_is_workday(&three, d, &e3), calendar_is_workday(&one, d, &e1),
                     "day %lld", (long long)d);
    }
    for (size_t i = 0; i < three.ndays; i++)
        if (three.days[i].day == D("2026-10-10")) cr_assert_str_eq(three.days[i].name, "国庆节");
    aj_error e2 = {0};
    cr_assert_eq(calendar_is_workday(&three, D("2023-12-29"), &e2), AJ_EINVAL);

    /* importing again replaces official days of those years, keeps manual ones */
    cr_assert_eq(calendar_set_day(c, &cal_admin, 3, D("2026-10-08"), 'H', "停电", &err), 0);
    cr_assert_eq(calendar_import(c, &cal_admin, 3, ics, len, &n, &err), 0, "%s", err.message);
    cr_assert_eq(cal_count(c,
                           "SELECT COUNT(*) FROM calendar_days WHERE calendar_id = $1"
                           " AND date = '2026-10-08' AND manual = 1 AND kind = 'holiday'",
                           3),
                 1);

    /* chinese-days JSON: a year next to the published range extends it */
    const char *j2027 = "{\"holidays\":{\"2027-01-01\":\"New Year's Day,元旦,1\"},"
                        "\"workdays\":{\"2027-02-06\":\"Spring Festival,春节,4\"}}";
    cr_assert_eq(calendar_import(c, &cal_admin, 3, j2027, strlen(j2027), &n, &err), 0, "%s",
                 err.message);
    cr_assert_eq(n, 2);
    cr_assert_eq(calendar_load(c, 3, &a, &three, &err), 0);
    cr_assert_eq(three.last_year, 2027);
    cr_assert_eq(calendar_is_workday(&three, D("2027-02-06"), &err), 1);
    cr_assert_eq(calendar_is_workday(&three, D("2027-01-01"), &err), 0);
    /* refused: a gap inside the file, a gap to the published years, junk */
    const char *gap = "{\"holidays\":{\"2030-01-01\":\"x,元旦,1\",\"2032-01-01\":\"x,元旦,1\"}}";
    cr_assert_eq(calendar_import(c, &cal_admin, 3, gap, strlen(gap), &n, &err), AJ_EINVAL);
    const char *far = "{\"holidays\":{\"2030-01-01\":\"x,元旦,1\"}}";
    cr_assert_eq(calendar_import(c, &cal_admin, 3, far, strlen(far), &n, &err), AJ_EINVAL);
    cr_assert(strstr(err.message, "不相连"), "%s", err.message);
    const char *junk[] = {"", "hello", "{\"holidays\":[]}", "{\"holidays\":{\"2026-13-01\":\"x\"}}",
                          "{}", "BEGIN:VCALENDAR\nEND:VCALENDAR\n",
                          "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:x\nEND:VEVENT\nEND:VCALENDAR\n"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        cr_assert_eq(calendar_import(c, &cal_admin, 3, junk[i], strlen(junk[i]), &n, &err),
                     AJ_EINVAL, "junk %zu accepted", i);
        cr_assert_str_eq(err.field, "file");
    }
    /* a workday marked by its summary alone */
    const char *ev = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:a\r\n"
                     "DTSTART;VALUE=DATE:20280101\r\nDTEND;VALUE=DATE:20280103\r\n"
                     "SUMMARY:元旦\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:b\r\n"
                     "DTSTART;VALUE=DATE:20280108\r\nSUMMARY:元旦补班\r\nEND:VEVENT\r\n"
                     "END:VCALENDAR\r\n";
    cr_assert_eq(calendar_import(c, &cal_admin, 4, ev, strlen(ev), &n, &err), 0, "%s",
                 err.message);
    cr_assert_eq(n, 3);
    cr_assert_eq(calendar_load(c, 4, &a, &three, &err), 0);
    cr_assert_eq(calendar_is_workday(&three, D("2028-01-02"), &err), 0);
    cr_assert_eq(calendar_is_workday(&three, D("2028-01-03"), &err), 1);
    cr_assert_eq(calendar_is_workday(&three, D("2028-01-08"), &err), 1); /* a Saturday */
    free(ics);
    arena_free(&a);
    dbtest_close(c);
}

Test(calendar, import_sqlite, .init = cal_audit_dir) { cal_import(DB_SQLITE); }
Test(calendar, import_pg, .init = cal_audit_dir) { cal_import(DB_PG); }
