/* tests/unit/work/test_plan_rule.c: RRULE expansion through libical in Asia/Shanghai
 * (month ends, a fixed offset, jumps, COUNT, bad rules), and task generation on working
 * days only across National Day 2026 and Spring Festival 2026, idempotent, with a changed
 * plan replacing only its future tasks — on both backends. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/clock.h"
#include "dbtest.h"
#include "domain/calendar/calendar.h"
#include "domain/work/work.h"

#define SH (8 * 3600)

static int64_t at(const char *rfc3339)
{
    int64_t t;
    cr_assert_eq(clock_parse_rfc3339(rfc3339, &t), 0, "%s", rfc3339);
    return t;
}

static void day_of(int64_t t, char out[16])
{
    clock_format_date((t + SH) / 86400, out, 16);
}

Test(plan_rule, month_ends_skip_short_months)
{
    arena a;
    arena_init(&a, 4096);
    aj_error err = {0};
    int64_t *t;
    size_t n;
    int capped;
    cr_assert_eq(plan_rule_expand("FREQ=MONTHLY;BYMONTHDAY=31", at("2026-01-01T09:00:00+08:00"), SH,
                                  at("2026-01-01T00:00:00+08:00"), at("2027-01-01T00:00:00+08:00"),
                                  100, &a, &t, &n, &capped, &err),
                 0, "%s", err.message);
    const char *want[] = {"2026-01-31", "2026-03-31", "2026-05-31", "2026-07-31",
                          "2026-08-31", "2026-10-31", "2026-12-31"};
    cr_assert_eq(n, 7);
    cr_assert_eq(capped, 0);
    for (size_t i = 0; i < n; i++) {
        char d[16];
        day_of(t[i], d);
        cr_assert_str_eq(d, want[i]);
        /* 09:00 in Shanghai is 01:00 UTC, every time: no daylight saving */
        cr_assert_eq((t[i] + SH) % 86400, 9 * 3600);
    }
    /* BYMONTHDAY=-1: the last day of every month, February included */
    cr_assert_eq(plan_rule_expand("FREQ=MONTHLY;BYMONTHDAY=-1", at("2026-01-01T09:00:00+08:00"), SH,
                                  at("2026-02-01T00:00:00+08:00"), at("2026-03-01T00:00:00+08:00"),
                                  100, &a, &t, &n, &capped, &err),
                 0);
    cr_assert_eq(n, 1);
    char d[16];
    day_of(t[0], d);
    cr_assert_str_eq(d, "2026-02-28");
    arena_free(&a);
}

Test(plan_rule, daily_in_shanghai_and_jumps)
{
    arena a;
    arena_init(&a, 4096);
    aj_error err = {0};
    int64_t *t;
    size_t n;
    int capped;
    /* a whole year of days, each exactly 24 h after the last (no DST in Asia/Shanghai) */
    cr_assert_eq(plan_rule_expand("FREQ=DAILY", at("2026-01-01T08:00:00+08:00"), SH,
                                  at("2026-01-01T00:00:00+08:00"), at("2027-01-01T00:00:00+08:00"),
                                  1000, &a, &t, &n, &capped, &err),
                 0);
    cr_assert_eq(n, 365);
    for (size_t i = 1; i < n; i++) cr_assert_eq(t[i] - t[i - 1], 86400);
    /* hourly from January, asked for June: starts at June 1 00:00, not from January */
    cr_assert_eq(plan_rule_expand("FREQ=HOURLY", at("2026-01-01T00:00:00+08:00"), SH,
                                  at("2026-06-01T00:00:00+08:00"), at("2026-06-03T00:00:00+08:00"),
                                  1000, &a, &t, &n, &capped, &err),
                 0);
    cr_assert_eq(n, 48);
    cr_assert_eq(t[0], at("2026-06-01T00:00:00+08:00"));
    /* the cap is reported */
    cr_assert_eq(plan_rule_expand("FREQ=HOURLY", at("2026-01-01T00:00:00+08:00"), SH,
                                  at("2026-06-01T00:00:00+08:00"), at("2026-06-03T00:00:00+08:00"),
                                  10, &a, &t, &n, &capped, &err),
                 0);
    cr_assert_eq(n, 10);
    cr_assert_eq(capped, 1);
    /* COUNT counts from dtstart */
    cr_assert_eq(plan_rule_expand("FREQ=WEEKLY;COUNT=3", at("2026-01-05T09:00:00+08:00"), SH,
                                  at("2026-01-10T00:00:00+08:00"), at("2026-12-01T00:00:00+08:00"),
                                  100, &a, &t, &n, &capped, &err),
                 0);
    cr_assert_eq(n, 2);
    cr_assert_eq(t[0], at("2026-01-12T09:00:00+08:00"));
    /* Monday, Wednesday, Friday: the smallest gap is two days; weekly horizon 21 days */
    cr_assert_eq(plan_rule_min_gap("FREQ=WEEKLY;BYDAY=MO,WE,FR", at("2026-01-05T09:00:00+08:00"), SH),
                 2 * 86400);
    cr_assert_eq(plan_rule_horizon("FREQ=WEEKLY;BYDAY=MO,WE,FR"), 21 * 86400);
    cr_assert_eq(plan_rule_horizon("FREQ=HOURLY"), 48 * 3600);
    cr_assert_eq(plan_rule_horizon("FREQ=MONTHLY;BYMONTHDAY=10"), 40 * 86400);
    arena_free(&a);
}

Test(plan_rule, bad_rules_name_the_field)
{
    const char *bad[] = {"", "FREQ=FOO", "BYDAY=MO", "FREQ=SECONDLY", "FREQ=MINUTELY;INTERVAL=5",
                         "FREQ=DAILY;BYSECOND=5", "FREQ=DAILY;RSCALE=CHINESE", "garbage;;=",
                         /* fuzz_plan: an ordinal BYDAY outside MONTHLY/YEARLY */
                         "FREQ=WEEKLY;BYDAY=5MO,WE,FR;COUNT=20", "FREQ=DAILY;BYDAY=-1FR"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        aj_error err = {0};
        cr_assert_eq(plan_rule_check(bad[i], &err), AJ_EINVAL, "%s accepted", bad[i]);
        cr_assert_str_eq(err.field, "rrule");
    }
    aj_error err = {0};
    cr_assert_eq(plan_rule_check("FREQ=MINUTELY;INTERVAL=30", &err), 0, "%s", err.message);
    cr_assert_eq(plan_rule_check("RRULE:FREQ=MONTHLY;BYMONTHDAY=10", &err), 0, "%s", err.message);
    cr_assert_eq(plan_rule_check("FREQ=MONTHLY;BYDAY=-1FR", &err), 0, "%s", err.message);
}

/* Inserts a daily 09:00 workdays-only plan from dtstart with an 8 h window. */
static int64_t gen_plan(db *c, int64_t project, const char *dtstart)
{
    aj_error err = {0};
    int64_t id;
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO plans (project_id, kind, title, rrule, dtstart, window_minutes,"
                           " workdays_only, checklist, horizon, generated_until, created_at, updated_at)"
                           " VALUES ($1, 'cleaning', '公共区域清扫', 'FREQ=DAILY', $2, 480, 1,"
                           " '[{\"key\":\"a\",\"label\":\"地面\",\"type\":\"check\",\"required\":true}]',"
                           " $3, $2, 0, 0) RETURNING id",
                           DB_ARGS(DB_INT(project), DB_INT(at(dtstart)), DB_INT(7 * 86400)), &id, &err),
                 0, "%s", err.message);
    cr_assert_eq(db_exec(c,
                         "INSERT INTO plan_versions (plan_id, version, checklist, created_at)"
                         " SELECT id, version, checklist, 0 FROM plans WHERE id = $1",
                         DB_ARGS(DB_INT(id)), &err),
                 1, "%s", err.message);
    return id;
}

/* The local dates of the plan's tasks, comma-separated, and how many are missed. */
static void gen_days(db *c, int64_t plan, char *out, size_t n, int64_t *missed)
{
    aj_error err = {0};
    db_rows *r = db_query(c, "SELECT starts_at, state FROM tasks WHERE plan_id = $1 ORDER BY starts_at",
                          DB_ARGS(DB_INT(plan)), &err);
    cr_assert(r, "%s", err.message);
    out[0] = 0;
    *missed = 0;
    while (db_next(r)) {
        char d[16];
        day_of(db_int(r, 0), d);
        strncat(out, d + 5, n - strlen(out) - 2);
        strcat(out, ",");
        *missed += !strcmp(db_text(r, 1), "missed");
    }
    cr_assert_eq(db_end(r, &err), 0);
}

static void gen_workdays(db_kind kind)
{
    db *c = dbtest_open(kind);
    if (!c) return;
    aj_error err = {0};
    cr_assert_eq(calendar_seed(c, &err), 0, "%s", err.message);
    int64_t pid;
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO projects (code, name, created_at, updated_at)"
                           " VALUES ('GEN', '生成项目', 0, 0) RETURNING id",
                           DB_NOARGS, &pid, &err),
                 0, "%s", err.message);
    /* National Day 2026: 9-25..27 and 10-01..07 off, Sunday 9-20 and Saturday 10-10 worked */
    int64_t p1 = gen_plan(c, pid, "2026-09-20T09:00:00+08:00");
    plan_gen_stats st = {0};
    int64_t now = at("2026-10-12T12:00:00+08:00");
    cr_assert_eq(db_begin(c, &err), 0);
    cr_assert_eq(plan_gen_fill(c, p1, now, &st, &err), 0, "%s", err.message);
    cr_assert_eq(db_commit(c, &err), 0);
    char days[512];
    int64_t missed;
    gen_days(c, p1, days, sizeof days, &missed);
    cr_assert_str_eq(days, "09-20,09-21,09-22,09-23,09-24,09-28,09-29,09-30,10-08,10-09,10-10,"
                           "10-12,10-13,10-14,10-15,10-16,10-19,");
    /* the server "was down" until 10-12 noon: the past occurrences exist, missed */
    cr_assert_eq(missed, 11);
    cr_assert_eq(st.missed, 11);

    /* run again, and again from the start: still one task per occurrence */
    cr_assert_eq(db_begin(c, &err), 0);
    cr_assert_eq(plan_gen_fill(c, p1, now, &st, &err), 0);
    cr_assert_eq(db_exec(c, "UPDATE plans SET generated_until = dtstart WHERE id = $1",
                         DB_ARGS(DB_INT(p1)), &err),
                 1);
    cr_assert_eq(plan_gen_fill(c, p1, now, &st, &err), 0);
    cr_assert_eq(db_commit(c, &err), 0);
    gen_days(c, p1, days, sizeof days, &missed);
    cr_assert_str_eq(days, "09-20,09-21,09-22,09-23,09-24,09-28,09-29,09-30,10-08,10-09,10-10,"
                           "10-12,10-13,10-14,10-15,10-16,10-19,");

    /* a change replaces the future only: 10-13 on go; 10-12 (open now) and the past stay.
     * (The horizon is 7 days from now: up to 10-19 noon.) */
    int64_t dropped;
    cr_assert_eq(db_begin(c, &err), 0);
    cr_assert_eq(plan_gen_drop_future(c, p1, now, &dropped, &err), 0);
    cr_assert_eq(db_commit(c, &err), 0);
    cr_assert_eq(dropped, 5);
    gen_days(c, p1, days, sizeof days, &missed);
    cr_assert_str_eq(days, "09-20,09-21,09-22,09-23,09-24,09-28,09-29,09-30,10-08,10-09,10-10,10-12,");

    /* Spring Festival 2026: 2-15..23 off, Saturdays 2-14 and 2-28 worked */
    int64_t p2 = gen_plan(c, pid, "2026-02-12T09:00:00+08:00");
    cr_assert_eq(db_begin(c, &err), 0);
    cr_assert_eq(plan_gen_fill(c, p2, at("2026-02-22T12:00:00+08:00"), &st, &err), 0);
    cr_assert_eq(db_commit(c, &err), 0);
    gen_days(c, p2, days, sizeof days, &missed);
    cr_assert_str_eq(days, "02-12,02-13,02-14,02-24,02-25,02-26,02-27,02-28,");
    cr_assert_eq(missed, 3);
    dbtest_close(c);
}

Test(plan_gen, workdays_sqlite) { gen_workdays(DB_SQLITE); }
Test(plan_gen, workdays_pg) { gen_workdays(DB_PG); }
