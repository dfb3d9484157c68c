/* domain/work/plan_rule.h: a plan's recurrence, an RFC 5545 RRULE expanded by libical
 * in the project's zone (a fixed offset: no Chinese zone has had daylight saving since
 * 1991, see clock.h). */
#ifndef AJ_PLAN_RULE_H
#define AJ_PLAN_RULE_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"

/* Longest RRULE text accepted. */
#define PLAN_RULE_MAX 256
/* The densest rule accepted: one occurrence per 10 minutes (a key-area patrol is 30). */
#define PLAN_RULE_MIN_GAP 600

/* 0 when rrule is a rule this engine runs (FREQ=MINUTELY with INTERVAL ≥ 10 at the
 * densest, no SECONDLY, no RSCALE); AJ_EINVAL with field "rrule" and why otherwise. */
int plan_rule_check(const char *rrule, aj_error *err);

/* The starts (epoch seconds, ascending) of rrule's occurrences from dtstart that fall in
 * [from, to), at most max. The rule's times are wall-clock times at `offset` seconds
 * east of UTC (dtstart's wall-clock time gives the hour of a monthly rule). *n is the
 * count; *capped tells that max was reached before `to`. */
int plan_rule_expand(const char *rrule, int64_t dtstart, int offset, int64_t from, int64_t to,
                     size_t max, arena *a, int64_t **out, size_t *n, int *capped, aj_error *err);

/* The smallest gap between consecutive occurrences among the first 64 (0 when the rule
 * has fewer than two): a task's window may not be longer, or two would overlap. */
int64_t plan_rule_min_gap(const char *rrule, int64_t dtstart, int offset);

/* How far ahead tasks are made, by the rule's frequency: 48 h for hourly rounds, 7
 * days for daily work, 21 for weekly, 40 for monthly PM, 400 for yearly. */
int64_t plan_rule_horizon(const char *rrule);

#endif
