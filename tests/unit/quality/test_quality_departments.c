/* tests/unit/quality/test_quality_departments.c: a department's score of the month (部门得分)
 * from the stats' averages per department and level: a cross-check weighs twice a
 * self-check, spot checks and rows without a department are not in it, departments keep
 * the scores' order. */
#include <criterion/criterion.h>
#include <string.h>

#include "domain/quality/quality.h"

Test(quality_departments, cross_weighs_twice_self_and_spot_is_left_out)
{
    arena a;
    arena_init(&a, 4096);
    quality_score rows[] = {
        {"cleaning", "cross", 1, 70.0}, {"cleaning", "self", 20, 94.0}, {"", "spot", 1, 60.0},
        {"engineering", "self", 30, 88.0}, {"security", "spot", 1, 50.0}, {"desk", "cross", 0, 0.0},
    };
    quality_stats s = {.scores = rows, .nscores = sizeof rows / sizeof rows[0]};
    quality_dept_score *d;
    size_t n = quality_stats_departments(&s, &a, &d);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(d[0].department, "cleaning");
    cr_assert_float_eq(d[0].score, (2 * 70.0 + 94.0) / 3, 1e-9);
    cr_assert_eq(d[0].inspections, 21);
    cr_assert_str_eq(d[1].department, "engineering");
    cr_assert_float_eq(d[1].score, 88.0, 1e-9);
    cr_assert_eq(d[1].inspections, 30);
    quality_stats none = {0};
    cr_assert_eq(quality_stats_departments(&none, &a, &d), 0);
    arena_free(&a);
}
