/* api/quality/quality_stats_api.c: GET /stats/quality, a project's quality figures of a month. */
#include "api/out.h"
#include "api/quality/quality_api.h"

void api_quality_stats(req *r)
{
    int64_t project_id, from, to;
    char month[8];
    quality_stats s;
    if (!req_staff_or_reply(r) || !out_project_month_or_reply(r, &project_id, &from, &to, month)) return;
    if (quality_stats_get(r->db, &r->who, project_id, from, to, &r->a, &s, &r->err))
        return reply_error(r);
    json_t *scores = json_array();
    for (size_t i = 0; i < s.nscores; i++)
        json_array_append_new(
            scores, json_pack("{s:o, s:o, s:I, s:f}", "department",
                              *s.scores[i].department ? json_string(s.scores[i].department) : json_null(),
                              "level", *s.scores[i].level ? json_string(s.scores[i].level) : json_null(),
                              "inspections", (json_int_t)s.scores[i].inspections, "average_score",
                              s.scores[i].average));
    reply_json(r, 200,
               json_pack("{s:I, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:I}}", "project_id",
                         (json_int_t)project_id, "month", month, "scores", scores, "rectifications",
                         "raised", (json_int_t)s.raised, "open", (json_int_t)s.open, "overdue",
                         (json_int_t)s.overdue, "passed", (json_int_t)s.passed, "passed_first_time",
                         (json_int_t)s.passed_first_time));
}
