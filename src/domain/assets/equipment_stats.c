/* domain/assets/equipment_stats.c: the equipment figures of a project and month: per
 * class units, downtime hours and the intact rate (完好率), major equipment's downtime
 * year on year, and the PM figures a registered source gives (equipment_stats_pm_hook). */
#include "domain/assets/equipment_sql.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"

int64_t equipment_stats_clip(const equipment_period *p, size_t n, int64_t from, int64_t to)
{
    int64_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t s = p[i].start > from ? p[i].start : from;
        int64_t e = p[i].end && p[i].end < to ? p[i].end : to;
        if (e > s) sum += e - s;
    }
    return sum;
}

int equipment_stats_intact_rate(int64_t units, int64_t downtime_s, int64_t from, int64_t to,
                                double *rate)
{
    if (units <= 0 || to <= from) return -1;
    double r = 1.0 - (double)downtime_s / ((double)units * (double)(to - from));
    *rate = r < 0 ? 0 : r > 1 ? 1 : r;
    return 0;
}

/* ---- the PM source ---- */

static _Atomic(equipment_pm_source) equipment_stats_pm;

void equipment_stats_pm_hook(equipment_pm_source fn) { atomic_store(&equipment_stats_pm, fn); }

static int equipment_stats_class_index(const char *cls)
{
    for (int i = 0; i < EQUIPMENT_NCLASSES; i++)
        if (!strcmp(equipment_classes[i], cls)) return i;
    return EQUIPMENT_NCLASSES - 1; /* "other": the table's CHECK allows nothing else */
}

/* The project's equipment by id, to give each PM count its class. */
typedef struct equipment_stats_unit {
    int64_t id;
    int cls;
} equipment_stats_unit;

typedef struct equipment_stats_pm_ctx {
    equipment_stats *s;
    const equipment_stats_unit *units;
    size_t n;
} equipment_stats_pm_ctx;

static int equipment_stats_unit_cmp(const void *k, const void *e)
{
    int64_t a = *(const int64_t *)k, b = ((const equipment_stats_unit *)e)->id;
    return a < b ? -1 : a > b;
}

static void equipment_stats_pm_add(void *ctx, int64_t equipment_id, int64_t due,
                                   int64_t on_time, int64_t missed)
{
    equipment_stats_pm_ctx *p = ctx;
    const equipment_stats_unit *u =
        bsearch(&equipment_id, p->units, p->n, sizeof *p->units, equipment_stats_unit_cmp);
    if (!u) return; /* not of this project */
    equipment_class_stats *k[2] = {&p->s->classes[u->cls], &p->s->total};
    for (int i = 0; i < 2; i++) {
        k[i]->pm_due += due;
        k[i]->pm_on_time += on_time;
        k[i]->pm_missed += missed;
    }
}

static int equipment_stats_pm_read(db *c, equipment_pm_source fn, int64_t project_id,
                                   arena *a, equipment_stats *s, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT id, class FROM equipment WHERE project_id = $1 ORDER BY id",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    size_t cap = 64, n = 0;
    equipment_stats_unit *units = arena_alloc(a, cap * sizeof *units);
    while (db_next(r)) {
        units = arena_grow(a, units, n, &cap, sizeof *units);
        units[n].id = db_int(r, 0);
        units[n++].cls = equipment_stats_class_index(db_text(r, 1));
    }
    if (db_end(r, err)) return err->rc;
    equipment_stats_pm_ctx ctx = {.s = s, .units = units, .n = n};
    if (fn(c, project_id, s->from, s->to, equipment_stats_pm_add, &ctx, err))
        return err->rc ? err->rc : AJ_EDB;
    s->has_pm = 1;
    for (int i = 0; i < EQUIPMENT_NCLASSES; i++) s->classes[i].has_pm = 1;
    s->total.has_pm = 1;
    return 0;
}

/* ---- the figures ---- */

/* The same local wall time a year earlier (29 February becomes the 28th). */
static int64_t equipment_stats_year_back(int64_t t, int offset)
{
    int64_t local = t + offset, days = local / 86400, secs = local % 86400;
    int y, m, d;
    clock_civil_from_days(days, &y, &m, &d);
    if (m == 2 && d == 29) d = 28;
    return clock_days_from_civil(y - 1, m, d) * 86400 + secs - offset;
}

/* Units per class that existed in [from, to): commissioned (installed_on, else
 * entered in the book) before to, and not retired before from. */
static int equipment_stats_units(db *c, int64_t project_id, equipment_stats *s, aj_error *err)
{
    char day[16];
    clock_format_date((s->to + s->offset) / 86400, day, sizeof day);
    db_rows *r = db_query(c,
                          "SELECT class, COUNT(*) FROM equipment WHERE project_id = $1"
                          " AND ((installed_on IS NOT NULL AND installed_on < $2)"
                          "   OR (installed_on IS NULL AND created_at < $3))"
                          " AND (retired_at IS NULL OR retired_at > $4) GROUP BY class",
                          DB_ARGS(DB_INT(project_id), DB_TEXT(day), DB_INT(s->to),
                                  DB_INT(s->from)),
                          err);
    if (!r) return err->rc;
    while (db_next(r)) {
        int k = equipment_stats_class_index(db_text(r, 0));
        s->classes[k].units += db_int(r, 1);
        s->total.units += db_int(r, 1);
    }
    return db_end(r, err) ? err->rc : 0;
}

/* Downtime of the month per class, and major equipment's over both years. */
static int equipment_stats_downtime(db *c, int64_t project_id, equipment_stats *s,
                                    aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT e.class, e.criticality, d.started_at, COALESCE(d.ended_at, 0)"
                          " FROM equipment_downtime d JOIN equipment e ON e.id = d.equipment_id"
                          " WHERE e.project_id = $1 AND d.started_at < $2"
                          " AND (d.ended_at IS NULL OR d.ended_at > $3)",
                          DB_ARGS(DB_INT(project_id), DB_INT(s->to),
                                  DB_INT(s->last_from < s->from ? s->last_from : s->from)),
                          err);
    if (!r) return err->rc;
    while (db_next(r)) {
        equipment_period p = {db_int(r, 2), db_int(r, 3)};
        int64_t month = equipment_stats_clip(&p, 1, s->from, s->to);
        int k = equipment_stats_class_index(db_text(r, 0));
        s->classes[k].downtime_s += month;
        s->total.downtime_s += month;
        if (!strcmp(db_text(r, 1), "major")) {
            s->major_this_s += equipment_stats_clip(&p, 1, s->ytd_from, s->ytd_to);
            s->major_last_s += equipment_stats_clip(&p, 1, s->last_from, s->last_to);
        }
    }
    return db_end(r, err) ? err->rc : 0;
}

static void equipment_stats_rate(equipment_class_stats *k, const equipment_stats *s)
{
    k->has_rate = !equipment_stats_intact_rate(k->units, k->downtime_s, s->from, s->to,
                                               &k->intact_rate);
}

int equipment_stats_get(db *c, const actor *who, int64_t project_id, const char *month,
                        int64_t now, arena *a, equipment_stats *s, aj_error *err)
{
    memset(s, 0, sizeof *s);
    if (equipment_scope(c, who, project_id, err)) return err->rc;
    char tz[64] = "";
    db_rows *r = db_query(c, "SELECT timezone FROM projects WHERE id = $1",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    if (db_next(r)) snprintf(tz, sizeof tz, "%s", db_text(r, 0));
    if (db_end(r, err)) return err->rc;
    s->offset = clock_tz_offset_or_default(tz);
    int64_t month_end;
    if (month) {
        if (clock_month_range(month, s->offset, &s->from, &month_end))
            return aj_fail(err, AJ_EINVAL, "month", "month 须为 YYYY-MM 格式");
        snprintf(s->month, sizeof s->month, "%s", month);
    } else {
        int y, m, d;
        clock_civil_from_days((now + s->offset) / 86400, &y, &m, &d);
        snprintf(s->month, sizeof s->month, "%04d-%02d", y, m);
        clock_month_range(s->month, s->offset, &s->from, &month_end);
    }
    /* The month so far: its hours that have passed are the ones to be intact in. */
    s->to = month_end < now ? month_end : now;
    if (s->to < s->from) s->to = s->from;
    int y, m, d;
    clock_civil_from_days((s->from + s->offset) / 86400, &y, &m, &d);
    s->ytd_from = clock_days_from_civil(y, 1, 1) * 86400 - s->offset;
    s->ytd_to = s->to;
    s->last_from = clock_days_from_civil(y - 1, 1, 1) * 86400 - s->offset;
    s->last_to = equipment_stats_year_back(s->ytd_to, s->offset);
    for (int i = 0; i < EQUIPMENT_NCLASSES; i++) s->classes[i].cls = equipment_classes[i];
    s->total.cls = "all";
    if (equipment_stats_units(c, project_id, s, err) ||
        equipment_stats_downtime(c, project_id, s, err))
        return err->rc;
    for (int i = 0; i < EQUIPMENT_NCLASSES; i++) equipment_stats_rate(&s->classes[i], s);
    equipment_stats_rate(&s->total, s);
    equipment_pm_source pm = atomic_load(&equipment_stats_pm);
    return pm ? equipment_stats_pm_read(c, pm, project_id, a, s, err) : 0;
}
