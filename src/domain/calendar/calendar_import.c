/* domain/calendar/calendar_import.c: an official schedule imported from a
 * file (chinese-days JSON or iCalendar .ics) into a calendar. */
#include "domain/calendar/calendar_store.h"

#include <jansson.h>
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"

#define CAL_IMPORT_MAX (1 << 20)

typedef struct calendar_import_entry {
    int64_t day;
    char kind;
    const char *name;
} calendar_import_entry;


typedef struct calendar_import_batch {
    calendar_import_entry *items;
    size_t n, cap;
    arena *a;
} calendar_import_batch;

static int calendar_import_add(calendar_import_batch *b, int64_t day, char kind, const char *name,
                              aj_error *err)
{
    if (b->n >= CAL_IMPORT_MAX) return aj_fail(err, AJ_EINVAL, "file", "导入的日期过多");
    b->items = arena_grow(b->a, b->items, b->n, &b->cap, sizeof *b->items);
    size_t len = strlen(name);
    b->items[b->n++] = (calendar_import_entry){
        .day = day, .kind = kind,
        .name = arena_strndup(b->a, name, len > CAL_NAME_MAX ? CAL_NAME_MAX : len)};
    return 0;
}

/* chinese-days JSON: {"holidays": {date: "English,中文,n"}, "workdays": {...}}. */
static int calendar_import_json(const char *data, size_t len, calendar_import_batch *b, aj_error *err)
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
            if ((rc = calendar_import_add(b, day, k ? 'W' : 'H', buf, err))) break;
        }
    }
    json_decref(doc);
    if (!rc && !seen) rc = aj_fail(err, AJ_EINVAL, "file", "JSON 中没有 holidays 或 workdays");
    return rc;
}

/* "国庆节(休)" -> "国庆节". */
static void calendar_import_strip_suffix(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = 0;
    char *open = NULL;
    if (n && s[n - 1] == ')') open = strrchr(s, '(');
    else if (n >= 3 && strcmp(s + n - 3, "）") == 0) open = strstr(s, "（");
    if (open && open > s) *open = 0;
}

static int calendar_import_ics_workday(icalcomponent *ev, const char *summary)
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

static int calendar_import_ics_date_ok(struct icaltimetype t)
{
    char date[48];
    int64_t day;
    if (t.year < 1900 || t.year > 9998 || t.month < 1 || t.month > 12 || t.day < 1) return 0;
    snprintf(date, sizeof date, "%04d-%02d-%02d", t.year, t.month, t.day);
    return clock_parse_date(date, &day) == 0;
}

/* iCalendar: each VEVENT's days [DTSTART, DTEND) are holidays, or workdays
 * when marked so. */
static int calendar_import_ics(const char *data, size_t len, calendar_import_batch *b, aj_error *err)
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
        if (icaltime_is_null_time(s) || !calendar_import_ics_date_ok(s)) {
            rc = aj_fail(err, AJ_EINVAL, "file", "iCalendar 事件缺少有效的 DTSTART");
            break;
        }
        int64_t first = clock_days_from_civil(s.year, s.month, s.day), last = first;
        if (!icaltime_is_null_time(e) && calendar_import_ics_date_ok(e)) {
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
        calendar_import_strip_suffix(name);
        char kind = calendar_import_ics_workday(ev, summary) ? 'W' : 'H';
        for (int64_t d = first; d <= last && !rc; d++) rc = calendar_import_add(b, d, kind, name, err);
    }
    icalcomponent_free(root);
    return rc;
}

static int calendar_import_create_missing(db *c, int64_t id, aj_error *err)
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
    calendar_import_batch b = {.a = &a};
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    int rc;
    if (i < len && data[i] == '{') rc = calendar_import_json(data, len, &b, err);
    else if (len - i >= 15 && strncmp(data + i, "BEGIN:VCALENDAR", 15) == 0)
        rc = calendar_import_ics(data, len, &b, err);
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
    if (calendar_import_create_missing(c, id, err) ||
        !(r = db_query(c, "SELECT first_year, last_year FROM calendars WHERE id = $1",
                       DB_ARGS(DB_INT(id)), err)))
        goto fail;
    if (db_next(r)) {
        first = db_int(r, 0);
        last = db_int(r, 1);
    }
    if (db_end(r, err)) goto fail;
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
        int n = calendar_store_put(c, id, b.items[k].day, b.items[k].kind, b.items[k].name, 0, err);
        if (n < 0) goto fail;
        *imported += n;
    }
    if (first > 0 && first < y0) y0 = (int)first;
    if (last > y1) y1 = (int)last;
    int planned = 0;
    if (db_exec(c, "UPDATE calendars SET first_year = $2, last_year = $3 WHERE id = $1",
                DB_ARGS(DB_INT(id), DB_INT(y0), DB_INT(y1)), err) < 0 ||
        calendar_store_changed(c, id, &planned, err) ||
        calendar_store_audit(c, who, "import", id,
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
