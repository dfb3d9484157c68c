/* api/assets/equipment_reports.c: HTTP face of the equipment figures (GET /stats/equipment)
 * and of the printable QR labels (GET /equipment/labels.pdf). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/assets/assets_api.h"
#include "api/out.h"
#include "base/clock.h"

static json_t *equipment_reports_round(double v, double places)
{
    return json_real(round(v * places) / places);
}

static json_t *equipment_reports_hours(int64_t s) { return equipment_reports_round((double)s / 3600.0, 100); }

static json_t *equipment_reports_pm(int has, int64_t v) { return has ? json_integer(v) : json_null(); }

static json_t *equipment_reports_class(const equipment_class_stats *k)
{
    return json_pack("{s:s, s:I, s:o, s:o, s:o, s:o, s:o}", "class", k->cls, "units",
                     (json_int_t)k->units, "downtime_hours", equipment_reports_hours(k->downtime_s),
                     "intact_rate",
                     k->has_rate ? equipment_reports_round(k->intact_rate, 1e6) : json_null(),
                     "pm_due", equipment_reports_pm(k->has_pm, k->pm_due), "pm_on_time",
                     equipment_reports_pm(k->has_pm, k->pm_on_time), "pm_missed",
                     equipment_reports_pm(k->has_pm, k->pm_missed));
}

void api_equipment_stats(req *r)
{
    int64_t project_id = 0;
    int has;
    const char *month;
    equipment_stats s;
    if (!req_staff_or_reply(r) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &project_id, &has) ||
        !req_query_text_or_reply(r, "month", &month))
        return;
    if (!has) return reply_fail(r, AJ_EINVAL, "project_id", "缺少必填参数 project_id");
    if (equipment_stats_get(r->db, &r->who, project_id, month, clock_now(), &r->a, &s, &r->err))
        return reply_error(r);
    json_t *classes = json_array();
    for (int i = 0; i < EQUIPMENT_NCLASSES; i++)
        json_array_append_new(classes, equipment_reports_class(&s.classes[i]));
    json_t *change = s.major_last_s ? equipment_reports_round((double)(s.major_this_s - s.major_last_s) /
                                                                  (double)s.major_last_s, 1e4)
                                    : json_null();
    json_t *yoy = json_pack("{s:o, s:o, s:o, s:f, s:o, s:o, s:o, s:o}", "this_year_hours",
                            equipment_reports_hours(s.major_this_s), "last_year_hours",
                            equipment_reports_hours(s.major_last_s), "change", change, "target",
                            -0.3, "from", out_time(s.ytd_from, s.offset), "to",
                            out_time(s.ytd_to, s.offset), "last_from",
                            out_time(s.last_from, s.offset), "last_to",
                            out_time(s.last_to, s.offset));
    reply_json(r, 200,
               json_pack("{s:I, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "project_id",
                         (json_int_t)project_id, "month", s.month, "from",
                         out_time(s.from, s.offset), "to", out_time(s.to, s.offset), "classes",
                         classes, "total", equipment_reports_class(&s.total), "yoy", yoy,
                         "pm_note", s.has_pm ? json_null() : json_string("no data yet")));
}

void api_equipment_labels(req *r)
{
    int64_t project_id = 0, *ids;
    size_t nids, count;
    int has;
    if (!req_staff_or_reply(r) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &project_id, &has) ||
        !req_query_ids_or_reply(r, "ids", EQUIPMENT_LABELS_MAX, &ids, &nids))
        return;
    if (!has) return reply_fail(r, AJ_EINVAL, "project_id", "缺少必填参数 project_id");
    buf pdf;
    buf_init(&pdf, NULL);
    if (equipment_labels_pdf(r->db, &r->who, project_id, ids, nids, out_public_base(r),
                             &r->a, &pdf, &count, &r->err)) {
        buf_free(&pdf);
        return reply_error(r);
    }
    reply_raw(r, 200, "application/pdf", pdf.s, pdf.len);
    buf_free(&pdf);
    reply_header(r, "Content-Disposition", "inline; filename=\"equipment-labels.pdf\"");
    char n[24];
    snprintf(n, sizeof n, "%zu", count);
    reply_header(r, "X-Label-Count", n);
}
