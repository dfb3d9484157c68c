/* api/kpi/stats.c: HTTP face of the staff dashboard: GET /stats/tickets. */
#include <math.h>

#include "api/kpi/kpi_api.h"
#include "api/out.h"
#include "base/clock.h"
#include "domain/kpi/kpi.h"

/* A share rounded to four places, or null when there is nothing to share. */
json_t *stats_rate(int64_t met, int64_t total)
{
    return total ? json_real(round((double)met / (double)total * 10000) / 10000) : json_null();
}

void api_stats_tickets(req *r)
{
    int64_t project_id = 0, days = 30;
    kpi_stats s;
    if (!req_staff_or_reply(r) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &project_id, NULL) ||
        !req_query_int_or_reply(r, "days", 1, KPI_MAX_DAYS, &days, NULL))
        return;
    if (kpi_ticket_stats(r->db, &r->who, project_id, (int)days, clock_now(), &r->a, &s, &r->err))
        return reply_error(r);
    json_t *sla = json_array(), *cats = json_array(), *hours = json_array(), *daily = json_array();
    for (int m = 0; m < SLA_NMILESTONES; m++)
        json_array_append_new(sla, json_pack("{s:s, s:I, s:I, s:o}", "milestone",
                                             sla_milestone_name((sla_milestone)m), "total",
                                             (json_int_t)s.sla[m].total, "met_on_time",
                                             (json_int_t)s.sla[m].met,
                                             "rate", stats_rate(s.sla[m].met, s.sla[m].total)));
    for (size_t i = 0; i < s.ncategories; i++)
        json_array_append_new(cats, json_pack("{s:s, s:I}", "category", s.by_category[i].name,
                                              "count", (json_int_t)s.by_category[i].count));
    for (int h = 0; h < 24; h++) json_array_append_new(hours, json_integer(s.by_hour[h]));
    for (size_t i = 0; i < s.ndaily; i++) {
        char date[16];
        clock_format_date(s.daily[i].day, date, sizeof date);
        json_array_append_new(daily, json_pack("{s:s, s:I, s:I}", "date", date, "created",
                                               (json_int_t)s.daily[i].created, "resolved",
                                               (json_int_t)s.daily[i].resolved));
    }
    json_t *avg = s.rated ? json_real(round((double)s.rating_sum / (double)s.rated * 100) / 100)
                          : json_null();
    reply_json(
        r, 200,
        json_pack("{s:o, s:i, s:{s:I, s:I, s:I, s:I, s:I}, s:o, s:o, s:o, s:o, s:{s:I, s:o},"
                  " s:{s:I, s:I, s:I}}",
                  "generated_at", out_time(s.generated_at, s.offset), "days", s.days, "today",
                  "created", (json_int_t)s.created_today, "open", (json_int_t)s.open, "overdue",
                  (json_int_t)s.overdue, "on_hold", (json_int_t)s.on_hold, "resolved",
                  (json_int_t)s.resolved_today, "sla", sla, "by_category", cats, "by_hour", hours,
                  "daily", daily, "satisfaction", "rated", (json_int_t)s.rated, "average", avg,
                  "complaints", "total", (json_int_t)s.complaints, "valid", (json_int_t)s.valid,
                  "closed", (json_int_t)s.closed));
}
