/* tests/unit/assets/test_equipment_stats.c: the intact-rate arithmetic of the equipment
 * figures (equipment_stats.c): downtime periods clipped to a month, open periods, the
 * rate and its edges, local months in a zone; and the query's list of ids (req.c). */
#include <criterion/criterion.h>
#include <math.h>

#include "base/clock.h"
#include "domain/assets/assets.h"
#include "http/req.h"

#define H 3600
#define CST (8 * 3600)

static int64_t T(const char *s)
{
    int64_t t;
    cr_assert_eq(clock_parse_rfc3339(s, &t), 0, "bad time %s", s);
    return t;
}

Test(equipment_stats, month_in_zone)
{
    int64_t from, to;
    cr_assert_eq(clock_month_range("2026-10", CST, &from, &to), 0);
    cr_assert_eq(from, T("2026-10-01T00:00:00+08:00"));
    cr_assert_eq(to, T("2026-11-01T00:00:00+08:00"));
    cr_assert_eq(clock_month_range("2026-12", CST, &from, &to), 0);
    cr_assert_eq(to, T("2027-01-01T00:00:00+08:00"));
    cr_assert_eq(clock_month_range("2024-02", CST, &from, &to), 0);
    cr_assert_eq(to - from, 29 * 24 * H);
    cr_assert_eq(clock_month_range("2026-02", 0, &from, &to), 0);
    cr_assert_eq(from, T("2026-02-01T00:00:00Z"));
    cr_assert_eq(to - from, 28 * 24 * H);
    const char *bad[] = {"2026-13", "2026-00", "2026-1", "2026/10", "20261", "abcd-ef", "1969-12",
                         "2026-10-01", "", NULL};
    for (int i = 0; bad[i]; i++)
        cr_assert_eq(clock_month_range(bad[i], CST, &from, &to), -1, "%s", bad[i]);
    cr_assert_eq(clock_month_range(NULL, CST, &from, &to), -1);
}

Test(equipment_stats, clip_to_month)
{
    int64_t from, to;
    clock_month_range("2026-10", CST, &from, &to);
    equipment_period p[] = {
        {T("2026-09-21T00:00:00+08:00"), T("2026-10-03T10:00:00+08:00")}, /* 58 h inside */
        {T("2026-10-10T08:00:00+08:00"), T("2026-10-10T20:00:00+08:00")}, /* 12 h */
        {T("2026-10-31T22:00:00+08:00"), T("2026-11-01T04:00:00+08:00")}, /* 2 h */
        {T("2026-09-01T00:00:00+08:00"), T("2026-10-01T00:00:00+08:00")}, /* ends at the start */
        {T("2026-11-01T00:00:00+08:00"), T("2026-11-02T00:00:00+08:00")}, /* starts at the end */
        {T("2025-10-10T08:00:00+08:00"), T("2025-10-10T20:00:00+08:00")}, /* a year before */
    };
    cr_assert_eq(equipment_stats_clip(p, 6, from, to), 72 * H);
    cr_assert_eq(equipment_stats_clip(p, 0, from, to), 0);
    /* one period over the whole month and beyond: the whole month */
    equipment_period all = {T("2026-09-01T00:00:00+08:00"), T("2026-12-01T00:00:00+08:00")};
    cr_assert_eq(equipment_stats_clip(&all, 1, from, to), 31 * 24 * H);
    /* an open period runs to the end of the span counted (the month, or now) */
    equipment_period open = {T("2026-10-30T00:00:00+08:00"), 0};
    cr_assert_eq(equipment_stats_clip(&open, 1, from, to), 48 * H);
    cr_assert_eq(equipment_stats_clip(&open, 1, from, T("2026-10-30T06:00:00+08:00")), 6 * H);
    equipment_period later = {T("2026-11-05T00:00:00+08:00"), 0};
    cr_assert_eq(equipment_stats_clip(&later, 1, from, to), 0);
}

Test(equipment_stats, intact_rate)
{
    int64_t from, to;
    double r = -1;
    clock_month_range("2026-10", CST, &from, &to);
    /* 5 units, 72 h down in 744 h: 1 - 72 / 3720 */
    cr_assert_eq(equipment_stats_intact_rate(5, 72 * H, from, to, &r), 0);
    cr_assert_float_eq(r, 1.0 - 72.0 / 3720.0, 1e-12);
    cr_assert_eq(round(r * 1e6) / 1e6, 0.980645);
    cr_assert_eq(equipment_stats_intact_rate(1, 0, from, to, &r), 0);
    cr_assert_eq(r, 1.0);
    /* 98 % in a 30-day month with 10 units: 144 h of downtime at most */
    clock_month_range("2026-11", CST, &from, &to);
    cr_assert_eq(equipment_stats_intact_rate(10, 144 * H, from, to, &r), 0);
    cr_assert_float_eq(r, 0.98, 1e-12);
    /* more downtime than unit-hours (overlapping data): never below 0 */
    cr_assert_eq(equipment_stats_intact_rate(1, 2000 * H, from, to, &r), 0);
    cr_assert_eq(r, 0.0);
    /* nothing to divide by */
    cr_assert_eq(equipment_stats_intact_rate(0, 0, from, to, &r), -1);
    cr_assert_eq(equipment_stats_intact_rate(3, 0, from, from, &r), -1);
    cr_assert_eq(equipment_stats_intact_rate(3, 0, to, from, &r), -1);
}

Test(equipment_stats, ids_list)
{
    int64_t ids[4];
    size_t n;
    cr_assert_eq(req_parse_ids("3,17,42", ids, 4, &n), 0);
    cr_assert_eq(n, 3);
    cr_assert_eq(ids[0], 3);
    cr_assert_eq(ids[2], 42);
    cr_assert_eq(req_parse_ids("9223372036854775807", ids, 4, &n), 0);
    cr_assert_eq(ids[0], INT64_MAX);
    const char *bad[] = {"", ",", "1,", ",1", "1,,2", "0", "-1", "1 ,2", "a", "1,2,3,4,5",
                         "9223372036854775808", "99999999999999999999", "1;2", NULL};
    for (int i = 0; bad[i]; i++)
        cr_assert_eq(req_parse_ids(bad[i], ids, 4, &n), -1, "%s", bad[i]);
    cr_assert_eq(req_parse_ids(NULL, ids, 4, &n), -1);
}
