/* fuzz/fuzz_plan.c: the plan/task engine's parsers: an RRULE straight through libical
 * (check, expansion, the window's gap, the horizon), and the bodies of the plan and task
 * routes through a real server. The first byte picks which. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/work/work.h"
#include "harness.h"

static const struct {
    const char *method, *path;
} fuzz_plan_routes[] = {
    {"POST", "/api/v1/plans"},
    {"PATCH", "/api/v1/plans/1"},
    {"PUT", "/api/v1/tasks/1/results/a"},
    {"POST", "/api/v1/tasks/1/results/a/recheck"},
    {"POST", "/api/v1/tasks/1/actions/skip"},
};

static void fuzz_plan_rule(const uint8_t *data, size_t size)
{
    char rule[PLAN_RULE_MAX + 2];
    size_t n = size < sizeof rule - 1 ? size : sizeof rule - 1;
    memcpy(rule, data, n);
    rule[n] = 0;
    aj_error err = {0};
    if (plan_rule_check(rule, &err)) return;
    arena a;
    arena_init(&a, 4096);
    int64_t *t;
    size_t k;
    int capped;
    /* a year of 2026 in Shanghai, capped as the generator caps */
    plan_rule_expand(rule, 1767225600, 8 * 3600, 1767225600 + 86400 * 30, 1798761600,
                     PLAN_GEN_MAX, &a, &t, &k, &capped, &err);
    for (size_t i = 1; i < k; i++)
        if (t[i] <= t[i - 1]) abort(); /* starts ascend, always */
    (void)plan_rule_min_gap(rule, 1767225600, 8 * 3600);
    (void)plan_rule_horizon(rule);
    arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) return 0;
    size_t n = sizeof fuzz_plan_routes / sizeof fuzz_plan_routes[0];
    size_t pick = data[0] % (n + 1);
    if (pick == n) {
        fuzz_plan_rule(data + 1, size - 1);
        return 0;
    }
    harness_init();
    harness_request(fuzz_plan_routes[pick].method, fuzz_plan_routes[pick].path,
                    (const char *)data + 1, size - 1);
    return 0;
}
