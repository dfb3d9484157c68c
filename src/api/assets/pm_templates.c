/* api/assets/pm_templates.c: HTTP face of the PM plans each class of equipment ships
 * (GET /equipment/pm-templates, POST /equipment/pm-templates/{key}/apply). */
#include <string.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/assets/assets_api.h"
#include "api/work/work_api.h"
#include "base/clock.h"

static json_t *pm_templates_json(const equipment_template *t)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:i, s:o, s:s, s:o, s:o}", "key", t->key, "class",
                     t->cls, "title", t->title, "title_en", t->title_en, "rrule", t->rrule,
                     "window_minutes", t->window_minutes, "assign",
                     json_pack("{s:s}", "role", t->role), "category", t->category, "name_has",
                     t->name_has ? json_string(t->name_has) : json_null(), "checklist",
                     json_loads(t->checklist, 0, NULL));
}

/* GET /equipment/pm-templates?class=&project_id=: the catalogue; with a project, each
 * template says how many of the project's units it would cover by default. */
void api_pm_templates_list(req *r)
{
    const char *cls = NULL;
    int64_t project_id = 0;
    if (!req_query_text_or_reply(r, "class", &cls) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &project_id, NULL))
        return;
    if (!actor_is_staff(&r->who)) {
        aj_fail(&r->err, AJ_EFORBIDDEN, NULL, "仅物业员工可查看维保模板");
        return reply_error(r);
    }
    if (project_id && actor_can_see_project(r->db, &r->who, project_id, &r->err))
        return reply_error(r);
    const equipment_template *all;
    size_t n;
    equipment_templates_all(&all, &n);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        if (cls && *cls && strcmp(cls, all[i].cls)) continue;
        json_t *o = pm_templates_json(&all[i]);
        if (project_id) {
            int64_t *ids;
            size_t k;
            if (equipment_templates_units(r->db, &all[i], project_id, &r->a, &ids, &k, &r->err)) {
                json_decref(o);
                json_decref(arr);
                return reply_error(r);
            }
            json_object_set_new(o, "units", json_integer((json_int_t)k));
        }
        json_array_append_new(arr, o);
    }
    reply_json(r, 200, json_pack("{s:o}", "items", arr));
}

static const char *const pm_templates_fields[] = {"project_id", "title", "dtstart", "assign",
                                                  "equipment_ids", NULL};

/* POST /equipment/pm-templates/{key}/apply {"project_id", "title"?, "dtstart"?,
 * "assign"?, "equipment_ids"?} → 201 the plan it made. */
void api_pm_templates_apply(req *r)
{
    json_t *b;
    const char *dtstart = NULL;
    int present;
    equipment_template_use use = {.key = req_param(r, "key")};
    plan p;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, pm_templates_fields, &r->err) ||
        jv_int(b, "project_id", JV_REQUIRED, 1, INT64_MAX, &use.project_id, &present, &r->err) ||
        jv_str(b, "title", 0, 100, &use.title, &r->err) ||
        jv_str(b, "dtstart", 0, 40, &dtstart, &r->err) ||
        jv_ids(b, "equipment_ids", 0, PLAN_MAX_EQUIPMENT + 1, &r->a, &use.equipment_ids,
               &use.nequipment, &use.has_equipment, &r->err))
        return reply_error(r);
    if (dtstart && (clock_parse_rfc3339(dtstart, &use.dtstart) || use.dtstart <= 0)) {
        aj_fail(&r->err, AJ_EINVAL, "dtstart", "dtstart 须为带时区的 RFC 3339 时间");
        return reply_error(r);
    }
    json_t *v = json_object_get(b, "assign");
    if (v && !json_is_null(v)) use.assign = v;
    if (equipment_templates_apply(r->db, &r->who, &use, &r->a, &p, &r->err)) return reply_error(r);
    reply_json(r, 201, api_plans_json(&p));
}
