/* domain/calendar/calendar_store.c: calendars in the database: loading, the
 * compiled-in official days (seed), an admin's day overrides, and the hooks
 * told when a calendar's days change. */
#include "domain/calendar/calendar_store.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/core.h"

/* ---- who is told of a change ---- */

#define CAL_HOOKS_MAX 8

static _Atomic(calendar_hook) calendar_store_hooks[CAL_HOOKS_MAX];

void calendar_on_change(calendar_hook fn)
{
    for (int i = 0; i < CAL_HOOKS_MAX; i++) {
        calendar_hook none = NULL;
        if (atomic_load(&calendar_store_hooks[i]) == fn) return;
        if (atomic_compare_exchange_strong(&calendar_store_hooks[i], &none, fn)) return;
    }
    abort(); /* more consumers than slots is a build mistake, not a runtime state */
}

int calendar_store_changed(db *c, int64_t id, int *changed, aj_error *err)
{
    *changed = 0;
    for (int i = 0; i < CAL_HOOKS_MAX; i++) {
        calendar_hook fn = atomic_load(&calendar_store_hooks[i]);
        int n = 0;
        if (!fn) break;
        if (fn(c, id, &n, err)) return err->rc ? err->rc : AJ_EDB;
        *changed += n;
    }
    return 0;
}

/* ---- loading ---- */

static int calendar_store_read_days(db *c, int64_t id, arena *a, calendar *out, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT day, kind, name, manual FROM calendar_days"
                          " WHERE calendar_id = $1 ORDER BY day",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    size_t cap = 1024;
    out->days = arena_alloc(a, cap * sizeof(calendar_day));
    out->ndays = 0;
    while (db_next(r)) {
        out->days = arena_grow(a, out->days, out->ndays, &cap, sizeof *out->days);
        calendar_day *d = &out->days[out->ndays++];
        d->day = db_int(r, 0);
        d->kind = strcmp(db_text(r, 1), "workday") == 0 ? 'W' : 'H';
        d->name = arena_strdup(a, db_text(r, 2));
        d->manual = (int)db_int(r, 3);
    }
    return db_end(r, err);
}

int calendar_load(db *c, int64_t id, arena *a, calendar *out, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT id, name, timezone, work_start, work_end, first_year, last_year"
                          " FROM calendars WHERE id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) {
        *out = (calendar){.id = db_int(r, 0),
                          .name = arena_strdup(a, db_text(r, 1)),
                          .timezone = arena_strdup(a, db_text(r, 2)),
                          .work_start = (int)db_int(r, 3),
                          .work_end = (int)db_int(r, 4),
                          .first_year = (int)db_int(r, 5),
                          .last_year = (int)db_int(r, 6)};
    }
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "日历不存在");
    out->offset = clock_tz_offset_or_default(out->timezone);
    return calendar_store_read_days(c, id, a, out, err);
}

int calendar_load_project(db *c, int64_t project_id, arena *a, calendar *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT calendar_id, timezone FROM projects WHERE id = $1",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    int64_t cal_id = found ? db_int(r, 0) : 0;
    int off = 0, known = found && clock_tz_offset(db_text(r, 1), &off) == 0;
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
    if (calendar_load(c, cal_id, a, out, err)) return err->rc;
    if (known) out->offset = off;
    return 0;
}

/* ---- writing official days ---- */

int calendar_store_put(db *c, int64_t id, int64_t day, char kind, const char *name, int manual,
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
static int calendar_store_put_compiled(db *c, int64_t id, int y0, int y1, aj_error *err)
{
    for (size_t i = 0; i < calendar_official_count; i++) {
        const calendar_official *o = &calendar_official_days[i];
        int64_t day;
        if (clock_parse_date(o->date, &day)) continue;
        int y = calendar_year_of(day);
        if (y < y0 || y > y1) continue;
        if (calendar_store_put(c, id, day, o->kind, o->name, 0, err) < 0) return err->rc;
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
    if (db_next(r)) {
        first = db_int(r, 0);
        last = db_int(r, 1);
        n = db_int(r, 2);
    }
    if (db_end(r, err)) goto fail;
    int y0 = calendar_official_first_year, y1 = calendar_official_last_year;
    if (n > 0) {
        if (last >= y1 || last + 1 < y0) {
            db_rollback(c);
            return 0;
        }
        y0 = (int)last + 1; /* a newer build knows more years */
    }
    if (calendar_store_put_compiled(c, 1, y0, y1, err)) goto fail;
    if (n > 0 || (first > 0 && first < y0)) y0 = (int)first;
    if (n == 0 && last > y1) y1 = (int)last;
    int planned;
    if (db_exec(c, "UPDATE calendars SET first_year = $1, last_year = $2 WHERE id = 1",
                DB_ARGS(DB_INT(y0), DB_INT(y1)), err) < 0 ||
        calendar_store_changed(c, 1, &planned, err) || db_commit(c, err))
        goto fail;
    return 0;
fail:
    db_rollback(c);
    return err->rc;
}

/* ---- admin edits ---- */

static int calendar_store_exists(db *c, int64_t id, aj_error *err)
{
    int64_t one;
    int rc = db_scalar(c, "SELECT 1 FROM calendars WHERE id = $1", DB_ARGS(DB_INT(id)), &one, err);
    return rc == AJ_ENOTFOUND ? aj_fail(err, AJ_ENOTFOUND, NULL, "日历不存在") : rc;
}

int calendar_store_audit(db *c, const actor *who, const char *action, int64_t id, json_t *ch,
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
    if (calendar_store_exists(c, id, err)) return err->rc;
    char date[16];
    clock_format_date(day, date, sizeof date);
    int planned = 0;
    if (db_begin(c, err)) return err->rc;
    /* A day set by hand in an unpublished year can be what a waiting
     * milestone needed (sla.h, SLA_DUE_UNPLANNED). */
    if (calendar_store_put(c, id, day, kind, name, 1, err) < 0 || calendar_store_changed(c, id, &planned, err) ||
        calendar_store_audit(c, who, "set_day", id,
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

static const calendar_official *calendar_store_compiled_find(const char *date)
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
    if (calendar_store_exists(c, id, err)) return err->rc;
    char date[16];
    clock_format_date(day, date, sizeof date);
    if (db_begin(c, err)) return err->rc;
    int64_t n = db_exec(c, "DELETE FROM calendar_days WHERE calendar_id = $1 AND day = $2"
                           " AND manual = 1",
                        DB_ARGS(DB_INT(id), DB_INT(day)), err);
    if (n == 0) aj_fail(err, AJ_ENOTFOUND, NULL, "%s 没有手工设置", date);
    if (n <= 0) goto fail;
    /* Calendar 1's official day (compiled in) comes back in its place. */
    const calendar_official *o = id == 1 ? calendar_store_compiled_find(date) : NULL;
    if (o && calendar_store_put(c, id, day, o->kind, o->name, 0, err) < 0) goto fail;
    if (calendar_store_audit(c, who, "drop_day", id, json_pack("{s:s}", "date", date), err) ||
        db_commit(c, err))
        goto fail;
    return 0;
fail:
    db_rollback(c);
    return err->rc;
}
