/* domain/work/plan_rule.c: RRULE checks and expansion through libical. No recurrence
 * arithmetic is written here: libical walks the rule; this file only converts between
 * epoch seconds and the wall-clock times the rule speaks in. */
#include "domain/work/plan_rule.h"

#include <libical/ical.h>
#include <stdint.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t plan_rule_once = PTHREAD_ONCE_INIT;

/* libical reports a bad rule through icalerrno (thread-local); it must never abort. */
static void plan_rule_init(void) { icalerror_set_errors_are_fatal(0); }

/* Parses rrule; 0 and *out, or AJ_EINVAL naming what is wrong. */
static int plan_rule_parse(const char *rrule, struct icalrecurrencetype *out, aj_error *err)
{
    pthread_once(&plan_rule_once, plan_rule_init);
    if (!rrule || !*rrule) return aj_fail(err, AJ_EINVAL, "rrule", "缺少重复规则 rrule");
    if (strlen(rrule) > PLAN_RULE_MAX)
        return aj_fail(err, AJ_EINVAL, "rrule", "重复规则最长 %d 个字符", PLAN_RULE_MAX);
    if (strncmp(rrule, "RRULE:", 6) == 0) rrule += 6;
    icalerror_clear_errno();
    struct icalrecurrencetype r = icalrecurrencetype_from_string(rrule);
    int bad = r.freq == ICAL_NO_RECURRENCE || icalerrno != ICAL_NO_ERROR;
    if (r.rscale) {
        free(r.rscale);
        r.rscale = NULL;
        return aj_fail(err, AJ_EINVAL, "rrule", "不支持 RSCALE（农历等历法）");
    }
    icalerror_clear_errno();
    if (bad) return aj_fail(err, AJ_EINVAL, "rrule", "重复规则无效（须为 RFC 5545 RRULE，如 FREQ=MONTHLY;BYMONTHDAY=10）");
    if (r.freq == ICAL_SECONDLY_RECURRENCE ||
        (r.freq == ICAL_MINUTELY_RECURRENCE && r.interval * 60 < PLAN_RULE_MIN_GAP))
        return aj_fail(err, AJ_EINVAL, "rrule", "重复过于频繁：最密每 %d 分钟一次", PLAN_RULE_MIN_GAP / 60);
    if (r.by_second[0] != ICAL_RECURRENCE_ARRAY_MAX)
        return aj_fail(err, AJ_EINVAL, "rrule", "不支持 BYSECOND");
    /* RFC 5545 3.3.10: a BYDAY with an ordinal ("5MO") only in a MONTHLY or YEARLY rule
     * (libical walked such a weekly rule out of order: found by fuzz_plan). */
    if (r.freq != ICAL_MONTHLY_RECURRENCE && r.freq != ICAL_YEARLY_RECURRENCE)
        for (int i = 0; i < ICAL_BY_DAY_SIZE && r.by_day[i] != ICAL_RECURRENCE_ARRAY_MAX; i++)
            if (icalrecurrencetype_day_position(r.by_day[i]) != 0)
                return aj_fail(err, AJ_EINVAL, "rrule",
                               "BYDAY 的序数（如 1MO、-1FR）只能用于 FREQ=MONTHLY 或 YEARLY");
    *out = r;
    return 0;
}

int plan_rule_check(const char *rrule, aj_error *err)
{
    struct icalrecurrencetype r;
    return plan_rule_parse(rrule, &r, err);
}

/* Wall-clock time at offset as libical's floating time, and back. */
static struct icaltimetype plan_rule_wall(int64_t t, int offset)
{
    return icaltime_from_timet_with_zone((time_t)(t + offset), 0, NULL);
}

static int64_t plan_rule_epoch(struct icaltimetype tt, int offset)
{
    return (int64_t)icaltime_as_timet(tt) - offset;
}

int plan_rule_expand(const char *rrule, int64_t dtstart, int offset, int64_t from, int64_t to,
                     size_t max, arena *a, int64_t **out, size_t *n, int *capped, aj_error *err)
{
    struct icalrecurrencetype r;
    *n = 0;
    *capped = 0;
    *out = NULL;
    if (plan_rule_parse(rrule, &r, err)) return err->rc;
    if (to <= from || max == 0) return 0;
    icalrecur_iterator *it = icalrecur_iterator_new(r, plan_rule_wall(dtstart, offset));
    if (!it) return aj_fail(err, AJ_EINVAL, "rrule", "重复规则无法展开");
    /* Without COUNT libical can jump to `from`; with COUNT every occurrence from dtstart
     * counts, so it walks (COUNT bounds that walk). */
    if (r.count == 0 && from > dtstart)
        icalrecur_iterator_set_start(it, plan_rule_wall(from, offset));
    size_t cap = 0;
    /* A walk that finds nothing in [from, to) stops after this many occurrences before
     * `from` (a COUNT rule started long ago). */
    size_t guard = 0;
    int64_t last = INT64_MIN;
    for (;;) {
        struct icaltimetype tt = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(tt)) break;
        int64_t t = plan_rule_epoch(tt, offset);
        /* Starts strictly ascend, whatever the iterator does with an odd rule: one task per
         * start, never a start twice or back in time. */
        if (t <= last) {
            if (++guard > 100000) break;
            continue;
        }
        last = t;
        if (t < dtstart) continue;
        if (t >= to) break;
        if (t < from) {
            if (++guard > 100000) break;
            continue;
        }
        if (*n == max) {
            *capped = 1;
            break;
        }
        *out = arena_grow(a, *out, *n, &cap, sizeof **out);
        (*out)[(*n)++] = t;
    }
    icalrecur_iterator_free(it);
    return 0;
}

int64_t plan_rule_min_gap(const char *rrule, int64_t dtstart, int offset)
{
    struct icalrecurrencetype r;
    aj_error err = {0};
    if (plan_rule_parse(rrule, &r, &err)) return 0;
    icalrecur_iterator *it = icalrecur_iterator_new(r, plan_rule_wall(dtstart, offset));
    if (!it) return 0;
    int64_t prev = 0, gap = 0;
    for (int i = 0; i < 64; i++) {
        struct icaltimetype tt = icalrecur_iterator_next(it);
        if (icaltime_is_null_time(tt)) break;
        int64_t t = plan_rule_epoch(tt, offset);
        if (i > 0 && (gap == 0 || t - prev < gap)) gap = t - prev;
        prev = t;
    }
    icalrecur_iterator_free(it);
    return gap;
}

int64_t plan_rule_horizon(const char *rrule)
{
    struct icalrecurrencetype r;
    aj_error err = {0};
    if (plan_rule_parse(rrule, &r, &err)) return 0;
    switch (r.freq) {
    case ICAL_MINUTELY_RECURRENCE:
    case ICAL_HOURLY_RECURRENCE: return 48 * 3600;
    case ICAL_DAILY_RECURRENCE: return 7 * 86400;
    case ICAL_WEEKLY_RECURRENCE: return 21 * 86400;
    case ICAL_MONTHLY_RECURRENCE: return 40 * 86400;
    default: return 400 * 86400;
    }
}
