/* api/sla/sla_json.c: the SLA policy's JSON on the wire, read with api/jv.c. */
#include "api/sla/sla_json.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "api/jv.h"
#include "api/out.h"

/* Longer than any name of a milestone, unit, clock, anchor or role. */
#define SLA_JSON_NAME_MAX 32

json_t *sla_policy_to_json(const sla_policy *p)
{
    return json_pack("{s:I, s:o, s:s, s:s, s:o, s:o, s:o, s:b, s:o, s:o}", "id",
                     (json_int_t)p->id, "project_id",
                     p->project_id ? json_integer(p->project_id) : json_null(), "kind", p->kind,
                     "priority", p->priority, "category", out_str(p->category), "milestones",
                     sla_policy_targets_json(p), "escalations", sla_policy_escalations_json(p), "active",
                     p->active, "created_at", out_time(p->created_at, CLOCK_TZ_DEFAULT),
                     "updated_at", out_time(p->updated_at, CLOCK_TZ_DEFAULT));
}

/* Names the item a failure is in: "milestones[1]." before the field, and
 * before the message too when that starts with the field (jv's and the
 * domain's rules name it first: "amount 必须是整数"). */
static int sla_json_item(aj_error *err, const char *array, size_t i)
{
    char pre[32], f[sizeof err->field], m[sizeof err->message];
    snprintf(pre, sizeof pre, "%s[%d].", array, (int)i);
    size_t n = strlen(err->field);
    if (n && strncmp(err->message, err->field, n) == 0) {
        snprintf(m, sizeof m, "%s%.200s", pre, err->message);
        memcpy(err->message, m, sizeof m);
    }
    snprintf(f, sizeof f, "%s%.24s", pre, err->field);
    memcpy(err->field, f, sizeof f);
    return err->rc;
}

static int sla_json_targets_read(json_t *arr, sla_policy *p, aj_error *err)
{
    static const char *const keys[] = {"milestone", "amount", "unit", "clock", "from", NULL};
    if (!json_is_array(arr) || json_array_size(arr) < 1 || json_array_size(arr) > SLA_NMILESTONES)
        return aj_fail(err, AJ_EINVAL, "milestones", "milestones 须为 1 到 %d 项的数组",
                       SLA_NMILESTONES);
    sla_target t[SLA_NMILESTONES];
    size_t n = json_array_size(arr);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        const char *ms, *unit, *clock, *from;
        int64_t amount;
        if (!json_is_object(o))
            return aj_fail(err, AJ_EINVAL, "milestones", "milestones 的每一项须为对象");
        if (jv_only(o, keys, err) ||
            jv_str(o, "milestone", JV_REQUIRED, SLA_JSON_NAME_MAX, &ms, err) ||
            jv_int(o, "amount", JV_REQUIRED, INT_MIN, INT_MAX, &amount, NULL, err) ||
            jv_str(o, "unit", JV_REQUIRED, SLA_JSON_NAME_MAX, &unit, err) ||
            jv_str(o, "clock", JV_OPTIONAL, SLA_JSON_NAME_MAX, &clock, err) ||
            jv_str(o, "from", JV_OPTIONAL, SLA_JSON_NAME_MAX, &from, err))
            return sla_json_item(err, "milestones", i);
        /* Left out: a workday target runs on the business clock, the rest on
         * the calendar clock; every target from the report. */
        int m = sla_milestone_parse(ms), u = calendar_unit_parse(unit);
        int c = clock ? calendar_clock_parse(clock) : u == CAL_WORKDAY;
        int f = from ? sla_anchor_parse(from) : SLA_FROM_REPORTED;
        const char *bad = m < 0   ? "milestone"
                          : u < 0 ? "unit"
                          : c < 0 ? "clock"
                          : f < 0 ? "from"
                                  : NULL;
        if (bad) {
            aj_fail(err, AJ_EINVAL, bad, "%s 的取值无效", bad);
            return sla_json_item(err, "milestones", i);
        }
        t[i] = (sla_target){.milestone = (sla_milestone)m, .amount = (int)amount,
                            .unit = (cal_unit)u, .clock = (cal_clock)c, .from = (sla_anchor)f};
        if (sla_target_check(&t[i], t, i, err)) return sla_json_item(err, "milestones", i);
    }
    sla_policy_set_targets(p, t, n);
    return 0;
}

static int sla_json_escalations_read(json_t *arr, sla_policy *p, aj_error *err)
{
    static const char *const keys[] = {"at_percent", "notify", NULL};
    if (!json_is_array(arr) || json_array_size(arr) > SLA_MAX_ESCALATIONS)
        return aj_fail(err, AJ_EINVAL, "escalations", "escalations 须为至多 %d 项的数组",
                       SLA_MAX_ESCALATIONS);
    sla_escalation e[SLA_MAX_ESCALATIONS];
    size_t n = json_array_size(arr);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        int64_t pct;
        if (!json_is_object(o))
            return aj_fail(err, AJ_EINVAL, "escalations", "escalations 的每一项须为对象");
        if (jv_only(o, keys, err) ||
            jv_int(o, "at_percent", JV_REQUIRED, INT_MIN, INT_MAX, &pct, NULL, err) ||
            jv_str(o, "notify", JV_REQUIRED, SLA_JSON_NAME_MAX, &e[i].notify, err))
            return sla_json_item(err, "escalations", i);
        e[i].at_percent = (int)pct;
        if (sla_escalation_check(&e[i], e, i, err)) return sla_json_item(err, "escalations", i);
    }
    sla_policy_set_escalations(p, e, n);
    return 0;
}

int sla_policy_from_json(json_t *body, int partial, arena *a, sla_policy *out, aj_error *err)
{
    static const char *const keys[] = {"id",         "project_id", "kind",        "priority",
                                       "category",   "milestones", "escalations", "active",
                                       "created_at", "updated_at", NULL};
    if (!json_is_object(body)) return aj_fail(err, AJ_EINVAL, NULL, "请求体须为对象");
    if (!partial) *out = (sla_policy){.active = 1};
    if (jv_only(body, keys, err)) return err->rc;
    json_t *v;
    /* null is the company default, not "left out" */
    if ((v = json_object_get(body, "project_id"))) {
        if (json_is_null(v)) out->project_id = 0;
        else if (jv_int(body, "project_id", JV_REQUIRED, 1, INT64_MAX, &out->project_id, NULL,
                        err))
            return aj_fail(err, AJ_EINVAL, "project_id", "project_id 须为 null 或项目编号");
    }
    const char *kind, *priority, *category;
    if (jv_str(body, "kind", !partial, SLA_JSON_NAME_MAX, &kind, err) ||
        jv_str(body, "priority", !partial, SLA_JSON_NAME_MAX, &priority, err))
        return err->rc;
    if (kind && !(out->kind = sla_one_of(sla_kinds, kind)))
        return aj_fail(err, AJ_EINVAL, "kind",
                       "kind 须为 repair、complaint、inquiry、suggestion 或 praise");
    if (priority && !(out->priority = sla_one_of(sla_priorities, priority)))
        return aj_fail(err, AJ_EINVAL, "priority",
                       "priority 须为 emergency、high、normal 或 scheduled");
    /* null is "any category", not "left out" */
    if ((v = json_object_get(body, "category"))) {
        if (json_is_null(v)) out->category = NULL;
        else if (jv_str(body, "category", JV_REQUIRED, SLA_CATEGORY_MAX, &category, err))
            return err->rc;
        else out->category = arena_strdup(a, category);
    }
    if ((v = json_object_get(body, "milestones"))) {
        if (sla_json_targets_read(v, out, err)) return err->rc;
    } else if (!partial) {
        return aj_fail(err, AJ_EINVAL, "milestones", "缺少必填字段 milestones");
    }
    if ((v = json_object_get(body, "escalations")) && !json_is_null(v) &&
        sla_json_escalations_read(v, out, err))
        return err->rc;
    int active, has_active;
    if (jv_bool(body, "active", JV_OPTIONAL, &active, &has_active, err)) return err->rc;
    if (has_active) out->active = active;
    return 0;
}
