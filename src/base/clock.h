/* base/clock.h: UTC epoch seconds <-> RFC 3339, civil dates, project time zones. */
#ifndef AJ_CLOCK_H
#define AJ_CLOCK_H
#include <stddef.h>
#include <stdint.h>

int64_t clock_now(void);     /* epoch seconds; ANJU_FAKE_NOW (epoch) overrides, for tests */
int64_t clock_mono_us(void); /* monotonic microseconds, for latencies */

/* Days since 1970-01-01 for a proleptic Gregorian date, and back. */
int64_t clock_days_from_civil(int y, int m, int d);
void clock_civil_from_days(int64_t days, int *y, int *m, int *d);
int clock_weekday(int64_t days); /* 0 = Sunday ... 6 = Saturday */

/* Time zones: the fixed-offset zones a Chinese property company uses (none of
 * them has had daylight saving since 1991). Returns 0 and the offset in
 * seconds east of UTC, or -1 for an unknown name. */
int clock_tz_offset(const char *tz, int *offset);
/* The company's zone, Asia/Shanghai: for what belongs to no project (SLA
 * policies, job runs, the export's stamp) and for a project without a known zone. */
#define CLOCK_TZ_DEFAULT (8 * 3600)
/* tz's offset, or CLOCK_TZ_DEFAULT for NULL or an unknown name. */
int clock_tz_offset_or_default(const char *tz);

/* "2026-09-30T16:00:00+08:00"; out needs 26 bytes. */
void clock_format(int64_t t, int offset, char *out, size_t n);
void clock_format_utc(int64_t t, char *out, size_t n); /* "...Z" */
/* Accepts YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM); 't' and ' ' as separator.
 * Returns 0 or -1. */
int clock_parse_rfc3339(const char *s, int64_t *out);
/* "YYYY-MM-DD" -> days since epoch; 0 or -1. */
int clock_parse_date(const char *s, int64_t *days);
void clock_format_date(int64_t days, char *out, size_t n);

/* A month "YYYY-MM" as [from, to) in epoch seconds at the UTC offset; -1 when not a month. */
int clock_month_range(const char *month, int offset, int64_t *from, int64_t *to);

#endif
