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
    quality_dept_score *ds;
    size_t nd = quality_stats_departments(&s, &r->a, &ds);
    json_t *depts = json_array();
    for (size_t i = 0; i < nd; i++)
        json_array_append_new(depts, json_pack("{s:s, s:I, s:f}", "department", ds[i].department,
                                               "inspections", (json_int_t)ds[i].inspections,
                                               "score", ds[i].score));
    reply_json(r, 200,
               json_pack("{s:I, s:s, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I}}", "project_id",
                         (json_int_t)project_id, "month", month, "scores", scores, "departments",
                         depts, "rectifications",
                         "raised", (json_int_t)s.raised, "open", (json_int_t)s.open, "overdue",
                         (json_int_t)s.overdue, "passed", (json_int_t)s.passed, "passed_first_time",
                         (json_int_t)s.passed_first_time));
}

/* GET /reports/self-check?project_id=&week_of=YYYY-MM-DD: the week (Monday to Sunday at the
 * project) holding week_of, default this week. */
void api_quality_selfcheck(req *r)
{
    int64_t project_id, day;
    int off;
    if (!req_staff_or_reply(r) || !out_project_day_or_reply(r, "week_of", &project_id, &day, &off))
        return;
    int64_t monday = day - (clock_weekday(day) + 6) % 7;
    quality_selfcheck *rows;
    size_t n;
    if (quality_selfcheck_week(r->db, &r->who, project_id, monday * 86400 - off,
                               (monday + 7) * 86400 - off, &r->a, &rows, &n, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const quality_selfcheck *x = &rows[i];
        int64_t due = x->planned - x->open;
        json_array_append_new(
            arr, json_pack("{s:o, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:I}", "department",
                           *x->department ? json_string(x->department) : json_null(), "planned",
                           (json_int_t)x->planned, "done", (json_int_t)x->done, "late",
                           (json_int_t)x->late, "missed", (json_int_t)x->missed, "open",
                           (json_int_t)x->open, "completion",
                           due > 0 ? json_real((double)(x->done + x->late) / (double)due) : json_null(),
                           "average_score", x->average >= 0 ? json_real(x->average) : json_null(),
                           "findings", (json_int_t)x->findings));
    }
    char from[16], to[16];
    clock_format_date(monday, from, sizeof from);
    clock_format_date(monday + 7, to, sizeof to);
    reply_json(r, 200, json_pack("{s:I, s:s, s:s, s:o}", "project_id", (json_int_t)project_id, "from",
                                 from, "to", to, "departments", arr));
}
