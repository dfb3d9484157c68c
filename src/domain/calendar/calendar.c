/* domain/calendar/calendar.c: working-day calendars and the two SLA clocks.
 *
 * A working day is a makeup workday (调休上班, kind 'W') or a Monday-Friday
 * that is not a holiday ('H'). Official days cover first_year..last_year; a
 * day outside that range without a manual override is an error, never a
 * guess. "N workday" ends at work_end (18:00) on the Nth working day after the
 * local date the clock started on: that date is day 0 whatever the hour, so a
 * ticket at 08:00, 17:59 or 23:00 on a Wednesday, or on a Saturday, with one
 * workday is due at 18:00 on the next working day after it. */
#include "domain/calendar/calendar.h"

#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/audit.h"
#include "domain/sla/sla.h"

#define CAL_SCAN_DAYS 3700 /* ~10 years: no target walks further */
#define CAL_IMPORT_MAX (1 << 20)
#define CAL_NAME_MAX 100

static int64_t calendar_floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int calendar_year_of(int64_t day)
{
    int y, m, d;
    clock_civil_from_days(day, &y, &m, &d);
    return y;
}

/* ---- names ---- */

static const char *const calendar_units[] = {"minute", "hour", "workday"};
static const char *const calendar_clocks[] = {"calendar", "business"};

const char *calendar_unit_name(cal_unit u)
{
    return u >= CAL_MINUTE && u <= CAL_WORKDAY ? calendar_units[u] : "";
}

int calendar_unit_parse(const char *s)
{
    for (int i = 0; s && i < 3; i++)
        if (strcmp(s, calendar_units[i]) == 0) return i;
    return -1;
}

const char *calendar_clock_name(cal_clock c)
{
    return c == CAL_CLOCK_BUSINESS ? "business" : "calendar";
}

int calendar_clock_parse(const char *s)
{
    for (int i = 0; s && i < 2; i++)
        if (strcmp(s, calendar_clocks[i]) == 0) return i;
    return -1;
}

int calendar_check_target(int amount, cal_unit unit, cal_clock clock, aj_error *err)
{
    static const int max[] = {[CAL_MINUTE] = 2 * 366 * 24 * 60, [CAL_HOUR] = 2 * 366 * 24,
                              [CAL_WORKDAY] = 500};
    if (unit < CAL_MINUTE || unit > CAL_WORKDAY)
        return aj_fail(err, AJ_EINVAL, "unit", "unit 须为 minute、hour 或 workday");
    if (clock != CAL_CLOCK_CALENDAR && clock != CAL_CLOCK_BUSINESS)
        return aj_fail(err, AJ_EINVAL, "clock", "clock 须为 calendar 或 business");
    if (unit == CAL_WORKDAY && clock != CAL_CLOCK_BUSINESS)
        return aj_fail(err, AJ_EINVAL, "clock", "按工作日计的时限只能使用 business 时钟");
    int min = unit == CAL_WORKDAY ? 1 : 0;
    if (amount < min || amount > max[unit])
        return aj_fail(err, AJ_EINVAL, "amount", "amount 须在 %d 到 %d 之间", min, max[unit]);
    return 0;
}

/* ---- the clock ---- */

static const calendar_day *calendar_find(const calendar *cal, int64_t day)
{
    size_t lo = 0, hi = cal->ndays;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->days[mid].day < day) lo = mid + 1;
        else hi = mid;
    }
    return lo < cal->ndays && cal->days[lo].day == day ? &cal->days[lo] : NULL;
}

int calendar_is_workday(const calendar *cal, int64_t day, aj_error *err)
{
    const calendar_day *d = calendar_find(cal, day);
    if (d) return d->kind == 'W';
    int y = calendar_year_of(day);
    if (y < cal->first_year || y > cal->last_year || cal->first_year <= 0) {
        char date[16];
        clock_format_date(day, date, sizeof date);
        return aj_fail(err, AJ_EINVAL, "calendar",
                       "%d 年的官方节假日安排尚未公布（%s 不在日历“%s”已发布的年份内），"
                       "无法计算工作日；请导入该年的安排或手工设置该日",
                       y, date, cal->name ? cal->name : "");
    }
    int wd = clock_weekday(day);
    return wd >= 1 && wd <= 5;
}

/* The instant at which `secs` of working time have passed after t. */
static int calendar_walk(const calendar *cal, int64_t t, int64_t secs, int64_t *out,
                         aj_error *err)
{
    if (secs <= 0) {
        *out = t;
        return 0;
    }
    int64_t local = t + cal->offset, day = calendar_floordiv(local, 86400);
    int64_t sod = local - day * 86400, ws = cal->work_start * 60, we = cal->work_end * 60;
    for (int i = 0; i < CAL_SCAN_DAYS; i++, day++, sod = 0) {
        if (sod >= we) continue;
        int w = calendar_is_workday(cal, day, err);
        if (w < 0) return w;
        if (!w) continue;
        int64_t from = sod > ws ? sod : ws, avail = we - from;
        if (secs <= avail) {
            *out = day * 86400 + from + secs - cal->offset;
            return 0;
        }
        secs -= avail;
    }
    return aj_fail(err, AJ_EINVAL, "calendar", "日历“%s”在十年内没有足够的工作时间",
                   cal->name ? cal->name : "");
}

int calendar_due(const calendar *cal, int64_t start, int amount, cal_unit unit, cal_clock clock,
                 int64_t *due, aj_error *err)
{
    if (calendar_check_target(amount, unit, clock, err)) return err->rc;
    if (unit != CAL_WORKDAY) {
        int64_t secs = (int64_t)amount * (unit == CAL_HOUR ? 3600 : 60);
        if (clock == CAL_CLOCK_CALENDAR) {
            *due = start + secs;
            return 0;
        }
        return calendar_walk(cal, start, secs, due, err);
    }
    int64_t day = calendar_floordiv(start + cal->offset, 86400);
    for (int k = 0, i = 0; k < amount; i++) {
        if (i >= CAL_SCAN_DAYS)
            return aj_fail(err, AJ_EINVAL, "calendar", "日历“%s”在十年内没有足够的工作日",
                           cal->name ? cal->name : "");
        day++;
        int w = calendar_is_workday(cal, day, err);
        if (w < 0) return w;
        k += w;
    }
    *due = day * 86400 + (int64_t)cal->work_end * 60 - cal->offset;
    return 0;
}

int calendar_cannot_place(const aj_error *err)
{
    return err->rc == AJ_EINVAL && strcmp(err->field, "calendar") == 0;
}

int calendar_elapsed(const calendar *cal, int64_t from, int64_t to, cal_clock clock,
                     int64_t *secs, aj_error *err)
{
    *secs = 0;
    if (to <= from) return 0;
    if (clock != CAL_CLOCK_BUSINESS) {
        *secs = to - from;
        return 0;
    }
    int64_t lf = from + cal->offset, lt = to + cal->offset;
    int64_t ws = cal->work_start * 60, we = cal->work_end * 60;
    for (int64_t day = calendar_floordiv(lf, 86400); day * 86400 < lt; day++) {
        int64_t a = day * 86400 + ws, b = day * 86400 + we;
        if (a < lf) a = lf;
        if (b > lt) b = lt;
        if (a >= b) continue;
        int w = calendar_is_workday(cal, day, err);
        if (w < 0) return w;
        if (w) *secs += b - a;
    }
    return 0;
}

int calendar_extend(const calendar *cal, int64_t due, int64_t secs, cal_clock clock,
                    int64_t *out, aj_error *err)
{
    if (clock != CAL_CLOCK_BUSINESS || secs <= 0) {
        *out = due + (secs > 0 ? secs : 0);
        return 0;
    }
    return calendar_walk(cal, due, secs, out, err);
}

/* ---- loading ---- */

static int calendar_read_days(db *c, int64_t id, arena *a, calendar *out, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT day, kind, name, manual FROM calendar_days"
                          " WHERE calendar_id = $1 ORDER BY day",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    size_t cap = 1024;
    out->days = arena_alloc(a, cap * sizeof(calendar_day));
    out->ndays = 0;
    int rc;
    while ((rc = db_next(r)) == 1) {
        if (out->ndays == cap) {
            calendar_day *grown = arena_alloc(a, 2 * cap * sizeof(calendar_day));
            memcpy(grown, out->days, cap * sizeof(calendar_day));
            out->days = grown;
            cap *= 2;
        }
        calendar_day *d = &out->days[out->ndays++];
        d->day = db_int(r, 0);
        d->kind = strcmp(db_text(r, 1), "workday") == 0 ? 'W' : 'H';
        d->name = arena_strdup(a, db_text(r, 2));
        d->manual = (int)db_int(r, 3);
    }
    db_done(r);
    if (rc < 0) return aj_fail(err, rc, NULL, "读取日历失败");
    return 0;
}

int calendar_load(db *c, int64_t id, arena *a, calendar *out, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT id, name, timezone, work_start, work_end, first_year, last_year"
                          " FROM calendars WHERE id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r) == 1;
    if (found) {
        *out = (calendar){.id = db_int(r, 0),
                          .name = arena_strdup(a, db_text(r, 1)),
                          .timezone = arena_strdup(a, db_text(r, 2)),
                          .work_start = (int)db_int(r, 3),
                          .work_end = (int)db_int(r, 4),
                          .first_year = (int)db_int(r, 5),
                          .last_year = (int)db_int(r, 6)};
    }
    db_done(r);
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "日历不存在");
    out->offset = clock_tz_offset_or_default(out->timezone);
    return calendar_read_days(c, id, a, out, err);
}

int calendar_load_project(db *c, int64_t project_id, arena *a, calendar *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT calendar_id, timezone FROM projects WHERE id = $1",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    int found = db_next(r) == 1;
    int64_t cal_id = found ? db_int(r, 0) : 0;
    int off = 0, known = found && clock_tz_offset(db_text(r, 1), &off) == 0;
    db_done(r);
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
    if (calendar_load(c, cal_id, a, out, err)) return err->rc;
    if (known) out->offset = off;
    return 0;
}

/* ---- writing official days ---- */

typedef struct calendar_entry {
    int64_t day;
    char kind;
    const char *name;
} calendar_entry;

static int calendar_put(db *c, int64_t id, int64_t day, char kind, const char *name, int manual,
                        aj_error *err)
{
    char date[16];
    clock_format_date(day, date, sizeof date);
    /* An official day never replaces a manual one; a manual one replaces anything. */
    int64_t n = db_exec(c,
                        manual ? "INSERT INTO calendar_days (calendar_id, day, date, kind, name,"
                                 " manual) VALUES ($1, $2, $3, $4, $5, 1)"
                                 " ON CONFLICT (calendar_id, day) DO UPDATE SET"
                                 " kind = excluded.kind, name = excluded.name, manual = 1"
                               : "INSERT INTO calendar_days (calendar_id, day, date, kind, name,"
                                 " manual) VALUES ($1, $2, $3, $4, $5, 0)"
                                 " ON CONFLICT (calendar_id, day) DO NOTHING",
                        DB_ARGS(DB_INT(id), DB_INT(day), DB_TEXT(date),
                                DB_TEXT(kind == 'W' ? "workday" : "holiday"),
                                DB_TEXT(name ? name : "")),
                        err);
    return (int)n; /* rows written, or a negative AJ_E* code */
}

/* Inserts the compiled-in days of years y0..y1 into calendar id (inside a transaction). */
static int calendar_put_compiled(db *c, int64_t id, int y0, int y1, aj_error *err)
{
    for (size_t i = 0; i < calendar_official_count; i++) {
        const calendar_official *o = &calendar_official_days[i];
        int64_t day;
        if (clock_parse_date(o->date, &day)) continue;
        int y = calendar_year_of(day);
        if (y < y0 || y > y1) continue;
        if (calendar_put(c, id, day, o->kind, o->name, 0, err) < 0) return err->rc;
    }
    return 0;
}

int calendar_seed(db *c, aj_error *err)
{
    int64_t n = 0, first = 0, last = 0;
    if (calendar_official_count == 0) return 0;
    if (db_begin(c, err)) return err->rc;
    /* The UPDATE locks calendar 1's row: two servers starting at once seed once. */
    int64_t locked = db_exec(c, "UPDATE calendars SET updated_at = updated_at WHERE id = 1",
                             DB_NOARGS, err);
    if (locked <= 0) {
        db_rollback(c);
        return locked < 0 ? (int)locked : 0;
    }
    db_rows *r = db_query(c,
                          "SELECT first_year, last_year, (SELECT COUNT(*) FROM calendar_days"
                          " WHERE calendar_id = 1 AND manual = 0) FROM calendars WHERE id = 1",
                          DB_NOARGS, err);
    if (!r) goto fail;
    if (db_next(r) == 1) {
        first = db_int(r, 0);
        last = db_int(r, 1);
        n = db_int(r, 2);
    }
    db_done(r);
    int y0 = calendar_official_first_year, y1 = calendar_official_last_year;
    if (n > 0) {
        if (last >= y1 || last + 1 < y0) {
            db_rollback(c);
            return 0;
        }
        y0 = (int)last + 1; /* a newer build knows more years */
    }
    if (calendar_put_compiled(c, 1, y0, y1, err)) goto fail;
    if (n > 0 || (first > 0 && first < y0)) y0 = (int)first;
    if (n == 0 && last > y1) y1 = (int)last;
    int planned;
    if (db_exec(c, "UPDATE calendars SET first_year = $1, last_year = $2 WHERE id = 1",
                DB_ARGS(DB_INT(y0), DB_INT(y1)), err) < 0 ||
        sla_replan(c, 1, &planned, err) || db_commit(c, err))
        goto fail;
    return 0;
fail:
    db_rollback(c);
    return err->rc;
}

/* ---- admin edits ---- */

static int calendar_exists(db *c, int64_t id, aj_error *err)
{
    int64_t one;
    int rc = db_scalar(c, "SELECT 1 FROM calendars WHERE id = $1", DB_ARGS(DB_INT(id)), &one, err);
    return rc == AJ_ENOTFOUND ? aj_fail(err, AJ_ENOTFOUND, NULL, "日历不存在") : rc;
}

static int calendar_audit(db *c, const actor *who, const char *action, int64_t id, json_t *ch,
                          aj_error *err)
{
    int rc = audit_append(c, who, action, "calendar", id, ch, err);
    json_decref(ch);
    if (rc) return rc;
    return db_exec(c, "UPDATE calendars SET updated_at = $2 WHERE id = $1",
                   DB_ARGS(DB_INT(id), DB_INT(clock_now())), err) < 0
               ? err->rc
               : 0;
}

int calendar_set_day(db *c, const actor *who, int64_t id, int64_t day, char kind,
                     const char *name, aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, 0)) return err->rc;
    if (kind != 'H' && kind != 'W')
        return aj_fail(err, AJ_EINVAL, "kind", "kind 须为 holiday 或 workday");
    if (name && strlen(name) > CAL_NAME_MAX)
        return aj_fail(err, AJ_EINVAL, "name", "name 过长（最多 %d 字节）", CAL_NAME_MAX);
    if (calendar_exists(c, id, err)) return err->rc;
    char date[16];
    clock_format_date(day, date, sizeof date);
    int planned = 0;
    if (db_begin(c, err)) return err->rc;
    /* A day set by hand in an unpublished year can be what a waiting
     * milestone needed (sla.h, SLA_DUE_UNPLANNED). */
    if (calendar_put(c, id, day, kind, name, 1, err) < 0 || sla_replan(c, id, &planned, err) ||
        calendar_audit(c, who, "set_day", id,
                       json_pack("{s:s, s:s, s:s, s:i}", "date", date, "kind",
                                 kind == 'W' ? "workday" : "holiday", "name", name ? name : "",
                                 "replanned", planned),
                       err) ||
        db_commit(c, err)) {
        db_rollback(c);
        return err->rc;
    }
    return 0;
}

static const calendar_official *calendar_compiled_find(const char *date)
{
    size_t lo = 0, hi = calendar_official_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int cmp = strcmp(calendar_official_days[mid].date, date);
        if (cmp == 0) return &calendar_official_days[mid];
        if (cmp < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

int calendar_drop_day(db *c, const actor *who, int64_t id, int64_t day, aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, 0)) return err->rc;
    if (calendar_exists(c, id, err)) return err->rc;
    char date[16];
    clock_format_date(day, date, sizeof date);
    if (db_begin(c, err)) return err->rc;
    int64_t n = db_exec(c, "DELETE FROM calendar_days WHERE calendar_id = $1 AND day = $2"
                           " AND manual = 1",
                        DB_ARGS(DB_INT(id), DB_INT(day)), err);
    if (n == 0) aj_fail(err, AJ_ENOTFOUND, NULL, "%s 没有手工设置", date);
    if (n <= 0) goto fail;
    /* Calendar 1's official day (compiled in) comes back in its place. */
    const calendar_official *o = id == 1 ? calendar_compiled_find(date) : NULL;
    if (o && calendar_put(c, id, day, o->kind, o->name, 0, err) < 0) goto fail;
    if (calendar_audit(c, who, "drop_day", id, json_pack("{s:s}", "date", date), err) ||
        db_commit(c, err))
        goto fail;
    return 0;
fail:
    db_rollback(c);
    return err->rc;
}

/* ---- import ---- */

typedef struct calendar_batch {
    calendar_entry *items;
    size_t n, cap;
    arena *a;
} calendar_batch;

static int calendar_batch_add(calendar_batch *b, int64_t day, char kind, const char *name,
                              aj_error *err)
{
    if (b->n >= CAL_IMPORT_MAX) return aj_fail(err, AJ_EINVAL, "file", "导入的日期过多");
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 512;
        calendar_entry *grown = arena_alloc(b->a, cap * sizeof *grown);
        if (b->n) memcpy(grown, b->items, b->n * sizeof *grown);
        b->items = grown;
        b->cap = cap;
    }
    size_t len = strlen(name);
    b->items[b->n++] = (calendar_entry){
        .day = day, .kind = kind,
        .name = arena_strndup(b->a, name, len > CAL_NAME_MAX ? CAL_NAME_MAX : len)};
    return 0;
}

/* chinese-days JSON: {"holidays": {date: "English,中文,n"}, "workdays": {...}}. */
static int calendar_parse_json(const char *data, size_t len, calendar_batch *b, aj_error *err)
{
    json_error_t je;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!json_is_object(doc)) {
        json_decref(doc);
        return aj_fail(err, AJ_EINVAL, "file", "不是有效的 chinese-days JSON：%s", je.text);
    }
    static const char *const keys[] = {"holidays", "workdays"};
    int rc = 0, seen = 0;
    for (int k = 0; k < 2 && !rc; k++) {
        json_t *o = json_object_get(doc, keys[k]);
        if (!o) continue;
        seen = 1;
        const char *date;
        json_t *v;
        if (!json_is_object(o)) {
            rc = aj_fail(err, AJ_EINVAL, "file", "%s 须为对象", keys[k]);
            break;
        }
        json_object_foreach(o, date, v) {
            int64_t day;
            if (clock_parse_date(date, &day) || !json_is_string(v)) {
                rc = aj_fail(err, AJ_EINVAL, "file", "%s 中的 %s 无效", keys[k], date);
                break;
            }
            /* "National Day,国庆节,3": the Chinese name is the second field. */
            const char *s = json_string_value(v), *c1 = strchr(s, ','), *name = s;
            size_t n = strlen(s);
            if (c1) {
                const char *c2 = strchr(c1 + 1, ',');
                name = c1 + 1;
                n = c2 ? (size_t)(c2 - name) : strlen(name);
            }
            char buf[CAL_NAME_MAX + 1];
            snprintf(buf, sizeof buf, "%.*s", (int)(n > CAL_NAME_MAX ? CAL_NAME_MAX : n), name);
            if ((rc = calendar_batch_add(b, day, k ? 'W' : 'H', buf, err))) break;
        }
    }
    json_decref(doc);
    if (!rc && !seen) rc = aj_fail(err, AJ_EINVAL, "file", "JSON 中没有 holidays 或 workdays");
    return rc;
}

/* "国庆节(休)" -> "国庆节". */
static void calendar_strip_suffix(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = 0;
    char *open = NULL;
    if (n && s[n - 1] == ')') open = strrchr(s, '(');
    else if (n >= 3 && strcmp(s + n - 3, "）") == 0) open = strstr(s, "（");
    if (open && open > s) *open = 0;
}

static int calendar_ics_workday(icalcomponent *ev, const char *summary)
{
    if (summary && strstr(summary, "班")) return 1; /* 班, 补班, 上班 */
    for (icalproperty *p = icalcomponent_get_first_property(ev, ICAL_X_PROPERTY); p;
         p = icalcomponent_get_next_property(ev, ICAL_X_PROPERTY)) {
        const char *name = icalproperty_get_x_name(p), *v = icalproperty_get_x(p);
        /* chinese-days marks makeup workdays the way Apple's calendars do */
        if (name && v && strcmp(name, "X-APPLE-SPECIAL-DAY") == 0 &&
            strcmp(v, "ALTERNATE-WORKDAY") == 0)
            return 1;
    }
    return 0;
}

static int calendar_ics_date_ok(struct icaltimetype t)
{
    char date[48];
    int64_t day;
    if (t.year < 1900 || t.year > 9998 || t.month < 1 || t.month > 12 || t.day < 1) return 0;
    snprintf(date, sizeof date, "%04d-%02d-%02d", t.year, t.month, t.day);
    return clock_parse_date(date, &day) == 0;
}

/* iCalendar: each VEVENT's days [DTSTART, DTEND) are holidays, or workdays
 * when marked so. */
static int calendar_parse_ics(const char *data, size_t len, calendar_batch *b, aj_error *err)
{
    char *text = arena_strndup(b->a, data, len);
    icalerror_set_errors_are_fatal(0);
    icalcomponent *root = icalparser_parse_string(text);
    if (!root) return aj_fail(err, AJ_EINVAL, "file", "不是有效的 iCalendar 文件");
    int rc = 0;
    icalcomponent *ev = icalcomponent_isa(root) == ICAL_VEVENT_COMPONENT
                            ? root
                            : icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
    for (; ev && !rc; ev = ev == root ? NULL
                                      : icalcomponent_get_next_component(root,
                                                                         ICAL_VEVENT_COMPONENT)) {
        struct icaltimetype s = icalcomponent_get_dtstart(ev), e = icalcomponent_get_dtend(ev);
        if (icaltime_is_null_time(s) || !calendar_ics_date_ok(s)) {
            rc = aj_fail(err, AJ_EINVAL, "file", "iCalendar 事件缺少有效的 DTSTART");
            break;
        }
        int64_t first = clock_days_from_civil(s.year, s.month, s.day), last = first;
        if (!icaltime_is_null_time(e) && calendar_ics_date_ok(e)) {
            last = clock_days_from_civil(e.year, e.month, e.day);
            if (e.is_date || (e.hour == 0 && e.minute == 0 && e.second == 0)) last--;
            if (last < first) last = first;
        }
        if (last - first > 366) {
            rc = aj_fail(err, AJ_EINVAL, "file", "iCalendar 事件跨度超过一年");
            break;
        }
        const char *summary = icalcomponent_get_summary(ev);
        char name[CAL_NAME_MAX + 1];
        snprintf(name, sizeof name, "%s", summary ? summary : "");
        calendar_strip_suffix(name);
        char kind = calendar_ics_workday(ev, summary) ? 'W' : 'H';
        for (int64_t d = first; d <= last && !rc; d++) rc = calendar_batch_add(b, d, kind, name, err);
    }
    icalcomponent_free(root);
    return rc;
}

static int calendar_create_missing(db *c, int64_t id, aj_error *err)
{
    int64_t one;
    int rc = db_scalar(c, "SELECT 1 FROM calendars WHERE id = $1", DB_ARGS(DB_INT(id)), &one, err);
    if (rc != AJ_ENOTFOUND) return rc;
    char name[32];
    snprintf(name, sizeof name, "日历 %lld", (long long)id);
    return db_exec(c,
                   "INSERT INTO calendars (id, name, timezone, work_start, work_end, first_year,"
                   " last_year, created_at, updated_at)"
                   " VALUES ($1, $2, 'Asia/Shanghai', 540, 1080, 0, 0, $3, $3)",
                   DB_ARGS(DB_INT(id), DB_TEXT(name), DB_INT(clock_now())), err) < 0
               ? err->rc
               : 0;
}

int calendar_import(db *c, const actor *who, int64_t id, const char *data, size_t len,
                    int *imported, aj_error *err)
{
    *imported = 0;
    if (actor_require(who, err, ROLE_ADMIN, 0)) return err->rc;
    if (id <= 0) return aj_fail(err, AJ_EINVAL, "id", "日历编号须为正整数");
    arena a;
    arena_init(&a, 1 << 16);
    calendar_batch b = {.a = &a};
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    int rc;
    if (i < len && data[i] == '{') rc = calendar_parse_json(data, len, &b, err);
    else if (len - i >= 15 && strncmp(data + i, "BEGIN:VCALENDAR", 15) == 0)
        rc = calendar_parse_ics(data, len, &b, err);
    else rc = aj_fail(err, AJ_EINVAL, "file", "文件须为 chinese-days JSON 或 iCalendar (.ics)");
    if (!rc && b.n == 0) rc = aj_fail(err, AJ_EINVAL, "file", "文件中没有任何日期");
    if (rc) goto out;

    /* Every year from the first to the last must have data: a gap would be a guess. */
    int y0 = 9999, y1 = 0;
    char have[10000] = {0};
    for (size_t k = 0; k < b.n; k++) {
        int y = calendar_year_of(b.items[k].day);
        if (y < 1900 || y > 9999) {
            rc = aj_fail(err, AJ_EINVAL, "file", "日期超出范围");
            goto out;
        }
        have[y] = 1;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
    }
    for (int y = y0; y <= y1; y++)
        if (!have[y]) {
            rc = aj_fail(err, AJ_EINVAL, "file", "文件中缺少 %d 年的数据", y);
            goto out;
        }
    if ((rc = db_begin(c, err))) goto out;
    int64_t first = 0, last = 0;
    db_rows *r = NULL;
    if (calendar_create_missing(c, id, err) ||
        !(r = db_query(c, "SELECT first_year, last_year FROM calendars WHERE id = $1",
                       DB_ARGS(DB_INT(id)), err)))
        goto fail;
    if (db_next(r) == 1) {
        first = db_int(r, 0);
        last = db_int(r, 1);
    }
    db_done(r);
    if (first > 0 && (y1 < first - 1 || y0 > last + 1)) {
        aj_fail(err, AJ_EINVAL, "file",
                "日历已发布 %lld–%lld 年，导入的 %d–%d 年与之不相连，中间的年份将无从得知",
                (long long)first, (long long)last, y0, y1);
        goto fail;
    }
    /* The file replaces the official days of its years; manual overrides stay. */
    if (db_exec(c, "DELETE FROM calendar_days WHERE calendar_id = $1 AND manual = 0"
                   " AND day >= $2 AND day <= $3",
                DB_ARGS(DB_INT(id), DB_INT(clock_days_from_civil(y0, 1, 1)),
                        DB_INT(clock_days_from_civil(y1, 12, 31))),
                err) < 0)
        goto fail;
    for (size_t k = 0; k < b.n; k++) {
        int n = calendar_put(c, id, b.items[k].day, b.items[k].kind, b.items[k].name, 0, err);
        if (n < 0) goto fail;
        *imported += n;
    }
    if (first > 0 && first < y0) y0 = (int)first;
    if (last > y1) y1 = (int)last;
    int planned = 0;
    if (db_exec(c, "UPDATE calendars SET first_year = $2, last_year = $3 WHERE id = $1",
                DB_ARGS(DB_INT(id), DB_INT(y0), DB_INT(y1)), err) < 0 ||
        sla_replan(c, id, &planned, err) ||
        calendar_audit(c, who, "import", id,
                       json_pack("{s:i, s:i, s:i, s:i}", "days", *imported, "first_year", y0,
                                 "last_year", y1, "replanned", planned),
                       err) ||
        db_commit(c, err))
        goto fail;
    rc = 0;
    goto out;
fail:
    db_rollback(c);
    rc = err->rc;
out:
    arena_free(&a);
    return rc;
}
