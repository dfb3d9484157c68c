/* base/clock.c: time without libc's global time-zone state (thread-safe). */
#include "base/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t clock_now(void)
{
    static int checked;
    static int64_t fake;
    if (!checked) {
        const char *f = getenv("ANJU_FAKE_NOW");
        fake = f ? strtoll(f, NULL, 10) : 0;
        checked = 1;
    }
    if (fake) return fake;
    return (int64_t)time(NULL);
}

int64_t clock_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t clock_days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void clock_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t dd = doy - (153 * mp + 2) / 5 + 1;
    int64_t mm = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (mm <= 2));
    *m = (int)mm;
    *d = (int)dd;
}

int clock_weekday(int64_t days)
{
    return (int)(days >= -4 ? (days + 4) % 7 : (days + 5) % 7 + 6);
}

static const struct {
    const char *name;
    int offset;
} clock_zones[] = {
    {"Asia/Shanghai", 8 * 3600}, {"Asia/Chongqing", 8 * 3600}, {"Asia/Harbin", 8 * 3600},
    {"Asia/Urumqi", 6 * 3600},   {"Asia/Hong_Kong", 8 * 3600}, {"Asia/Macau", 8 * 3600},
    {"Asia/Taipei", 8 * 3600},   {"Asia/Singapore", 8 * 3600}, {"Asia/Tokyo", 9 * 3600},
    {"Asia/Seoul", 9 * 3600},    {"UTC", 0},                   {"Etc/UTC", 0},
};

int clock_tz_offset(const char *tz, int *offset)
{
    for (size_t i = 0; i < sizeof clock_zones / sizeof clock_zones[0]; i++) {
        if (strcmp(tz, clock_zones[i].name) == 0) {
            *offset = clock_zones[i].offset;
            return 0;
        }
    }
    return -1;
}

int clock_tz_offset_or_default(const char *tz)
{
    int off = CLOCK_TZ_DEFAULT;
    if (tz) clock_tz_offset(tz, &off);
    return off;
}

static void clock_split(int64_t t, int *y, int *mo, int *d, int *h, int *mi, int *s)
{
    int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    int64_t rem = t - days * 86400;
    clock_civil_from_days(days, y, mo, d);
    *h = (int)(rem / 3600);
    *mi = (int)(rem / 60 % 60);
    *s = (int)(rem % 60);
}

static char *clock_put2(char *p, int v)
{
    *p++ = (char)('0' + v / 10 % 10);
    *p++ = (char)('0' + v % 10);
    return p;
}

/* Written digit by digit: every time in every reply passes here, and
 * snprintf's format parsing was a visible part of a ticket read. */
void clock_format(int64_t t, int offset, char *out, size_t n)
{
    int y, mo, d, h, mi, s;
    clock_split(t + offset, &y, &mo, &d, &h, &mi, &s);
    int a = offset < 0 ? -offset : offset;
    if (n < 26 || y < 0 || y > 9999) {
        snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y, mo, d, h, mi, s,
                 offset < 0 ? '-' : '+', a / 3600, a / 60 % 60);
        return;
    }
    char *p = clock_put2(clock_put2(out, y / 100), y % 100);
    *p++ = '-';
    p = clock_put2(p, mo);
    *p++ = '-';
    p = clock_put2(p, d);
    *p++ = 'T';
    p = clock_put2(p, h);
    *p++ = ':';
    p = clock_put2(p, mi);
    *p++ = ':';
    p = clock_put2(p, s);
    *p++ = offset < 0 ? '-' : '+';
    p = clock_put2(p, a / 3600);
    *p++ = ':';
    p = clock_put2(p, a / 60 % 60);
    *p = 0;
}

void clock_format_utc(int64_t t, char *out, size_t n)
{
    int y, mo, d, h, mi, s;
    clock_split(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(out, n, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
}

static int clock_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int clock_days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dm[m - 1];
}

int clock_parse_date(const char *s, int64_t *days)
{
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return -1;
    if (clock_digits(s, 4, &y) || clock_digits(s + 5, 2, &m) || clock_digits(s + 8, 2, &d))
        return -1;
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > clock_days_in_month(y, m))
        return -1;
    *days = clock_days_from_civil(y, m, d);
    return 0;
}

void clock_format_date(int64_t days, char *out, size_t n)
{
    int y, m, d;
    clock_civil_from_days(days, &y, &m, &d);
    snprintf(out, n, "%04d-%02d-%02d", y, m, d);
}

int clock_parse_rfc3339(const char *s, int64_t *out)
{
    int64_t days;
    int h, mi, sec;
    char date[11];
    if (strlen(s) < 20) return -1;
    memcpy(date, s, 10);
    date[10] = 0;
    if (clock_parse_date(date, &days)) return -1;
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return -1;
    if (s[13] != ':' || s[16] != ':') return -1;
    if (clock_digits(s + 11, 2, &h) || clock_digits(s + 14, 2, &mi) ||
        clock_digits(s + 17, 2, &sec))
        return -1;
    if (h > 23 || mi > 59 || sec > 60) return -1;
    if (sec == 60) sec = 59; /* a leap second is the last second of its minute */
    const char *p = s + 19;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return -1;
        while (isdigit((unsigned char)*p)) p++;
    }
    int off = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int oh, om;
        if (strlen(p) < 6 || p[3] != ':' || clock_digits(p + 1, 2, &oh) ||
            clock_digits(p + 4, 2, &om) || oh > 23 || om > 59)
            return -1;
        off = (oh * 3600 + om * 60) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    if (*p) return -1;
    *out = days * 86400 + h * 3600 + mi * 60 + sec - off;
    return 0;
}

int clock_month_range(const char *month, int offset, int64_t *from, int64_t *to)
{
    int y = 0, m = 0;
    if (!month || strlen(month) != 7 || month[4] != '-') return -1;
    for (int i = 0; i < 7; i++) {
        if (i == 4) continue;
        if (month[i] < '0' || month[i] > '9') return -1;
        if (i < 4) y = y * 10 + (month[i] - '0');
        else m = m * 10 + (month[i] - '0');
    }
    if (y < 1970 || y > 9999 || m < 1 || m > 12) return -1;
    *from = clock_days_from_civil(y, m, 1) * 86400 - offset;
    *to = clock_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) * 86400 - offset;
    return 0;
}
