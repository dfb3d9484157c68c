/* domain/voice/improvement_hotspot.c: the month's complaint hot spots (投诉热点) — the Pareto
 * of complaint categories — and the plans they propose: a category among those making up
 * the first 80 % of the month's complaints, with at least IMPROVEMENT_HOTSPOT_MIN of them,
 * that grew against the average of the three months before, and has no plan under way. The
 * list is computed when asked, from the tickets themselves; the quality role accepts a
 * proposal by raising the plan (source complaints, metric the category). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/voice/voice.h"

/* "YYYY-MM" moved by delta months into out (8 bytes); -1 when not a month. */
static int improvement_hotspot_month(const char *month, int delta, char out[8])
{
    int y, m;
    if (!month || sscanf(month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12 || y < 1000) return -1;
    int k = y * 12 + (m - 1) + delta;
    unsigned yy = (unsigned)(k / 12) % 10000u, mm = (unsigned)(k % 12 + 1) % 100u;
    snprintf(out, 8, "%04u-%02u", yy, mm);
    return 0;
}

int improvement_hotspots(db *c, const actor *who, int64_t project_id, const char *month, arena *a,
                         improvement_hotspot **items, size_t *n, aj_error *err)
{
    *n = 0;
    *items = NULL;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    char tz[64] = "";
    db_rows *r = db_query(c, "SELECT timezone FROM projects WHERE id = $1", DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    if (db_next(r)) snprintf(tz, sizeof tz, "%s", db_text(r, 0));
    if (db_end(r, err)) return err->rc;
    int off = clock_tz_offset_or_default(tz);
    char before[8];
    int64_t from, to, from3, unused;
    if (clock_month_range(month, off, &from, &to) || improvement_hotspot_month(month, -3, before) ||
        clock_month_range(before, off, &from3, &unused))
        return aj_fail(err, AJ_EINVAL, "month", "month 须为 YYYY-MM");
    r = db_query(c,
                 "SELECT g.path, SUM(CASE WHEN t.reported_at >= $2 THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN t.reported_at < $2 THEN 1 ELSE 0 END),"
                 " (SELECT MIN(x.id) FROM improvements x WHERE x.project_id = $1"
                 "  AND x.metric_kind = 'complaint_category' AND x.metric_key = g.path"
                 "  AND x.state IN ('draft', 'analysed', 'approved', 'checking'))"
                 " FROM tickets t JOIN categories g ON g.id = t.category_id"
                 " WHERE t.project_id = $1 AND t.kind = 'complaint' AND t.reported_at >= $3 AND t.reported_at < $4"
                 " GROUP BY g.path ORDER BY 2 DESC, g.path LIMIT 100",
                 DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(from3), DB_INT(to)), err);
    if (!r) return err->rc;
    size_t cap = 0;
    int64_t total = 0;
    while (db_next(r)) {
        if (db_int(r, 1) == 0) continue; /* only before: not this month's spot */
        *items = arena_grow(a, *items, *n, &cap, sizeof **items);
        improvement_hotspot *h = &(*items)[(*n)++];
        *h = (improvement_hotspot){.category = arena_strdup(a, db_text(r, 0)), .count = db_int(r, 1),
                                   .before = (double)db_int(r, 2) / 3.0,
                                   .plan_id = db_null(r, 3) ? 0 : db_int(r, 3)};
        total += h->count;
    }
    if (db_end(r, err)) return err->rc;
    int64_t run = 0;
    for (size_t i = 0; i < *n; i++) {
        improvement_hotspot *h = &(*items)[i];
        int64_t before_run = run;
        run += h->count;
        h->share = total ? (double)h->count / (double)total : 0;
        h->cumulative = total ? (double)run / (double)total : 0;
        h->vital = before_run * 5 < total * 4; /* it starts inside the first 80 % */
        h->grew = (double)h->count > h->before;
        h->proposed = h->vital && h->grew && h->count >= IMPROVEMENT_HOTSPOT_MIN && !h->plan_id;
    }
    return 0;
}
