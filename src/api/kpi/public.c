/* api/kpi/public.c: pages anyone may read without logging in: a project's
 * disclosure board (信息公示), its open rectifications among it. Nothing here names a
 * person or a room. */
#include "api/kpi/kpi_api.h"
#include "base/clock.h"
#include "domain/kpi/kpi.h"
#include "domain/quality/quality.h"


void api_public_disclosure(req *r)
{
    kpi_disclosure d;
    const char *code = req_param(r, "code");
    if (kpi_disclosure_get(r->db, code ? code : "", clock_now(), &r->a, &d, &r->err))
        return reply_error(r);
    rectification *rs;
    size_t nrs;
    if (rectification_public(r->db, code ? code : "", &r->a, &rs, &nrs, &r->err)) return reply_error(r);
    json_t *items = json_array(), *promises = json_array(), *complaints = json_array(),
           *rects = json_array();
    int64_t now = clock_now();
    for (size_t i = 0; i < nrs; i++) {
        char due[16];
        clock_format_date((rs[i].due_at + rs[i].tz_offset) / 86400, due, sizeof due);
        json_array_append_new(rects, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:b}", "department",
                                               rs[i].department, "location", rs[i].location, "problem",
                                               rs[i].problem, "due_date", due, "state", rs[i].state,
                                               "rounds", (json_int_t)rs[i].rounds, "overdue",
                                               rs[i].due_at < now));
    }
    for (size_t i = 0; i < d.nitems; i++)
        json_array_append_new(items, json_pack("{s:s, s:s}", "name", d.items[i].name, "standard",
                                               d.items[i].standard));
    for (size_t i = 0; i < d.npromises; i++)
        json_array_append_new(promises, json_pack("{s:s, s:s, s:s}", "kind", d.promises[i].kind,
                                                  "priority", d.promises[i].priority, "text",
                                                  d.promises[i].text));
    for (size_t i = 0; i < d.ncomplaints; i++)
        json_array_append_new(complaints,
                              json_pack("{s:s, s:I}", "category", d.complaints[i].name, "count",
                                        (json_int_t)d.complaints[i].count));
    reply_json(r, 200,
               json_pack("{s:{s:s, s:s}, s:o, s:o, s:s, s:{s:I, s:o, s:o, s:o, s:o, s:I}, s:o,"
                         " s:o}",
                         "project", "code", d.code, "name", d.name, "service_items", items,
                         "promises", promises, "month", d.month, "kpi", "tickets",
                         (json_int_t)d.tickets, "response_rate",
                         stats_rate(d.response.met, d.response.total), "on_time_resolution",
                         stats_rate(d.resolution.met, d.resolution.total),
                         "valid_complaint_closure", stats_rate(d.closure.met, d.closure.total),
                         "satisfaction", stats_rate(d.satisfied, d.rated), "rated",
                         (json_int_t)d.rated, "complaints_by_category", complaints,
                         "rectifications", rects));
    /* The same for everyone and changing by the month: proxies may keep it a while. */
    reply_header(r, "Cache-Control", "public, max-age=300");
}
