/* api/sla/sla_policies.c: HTTP face of SLA policies (admin writes; staff read). */
#include <string.h>

#include "api/sla/sla_api.h"
#include "api/out.h"
#include "api/sla/sla_json.h"
#include "domain/sla/sla.h"

void api_sla_policies_list(req *r)
{
    sla_policy *items;
    size_t n;
    int64_t project_id = 0;
    int has_project, active;
    const char *kind, *priority;
    if (!req_staff_or_reply(r)) return;
    if (!req_query_text_or_reply(r, "kind", &kind) ||
        !req_query_text_or_reply(r, "priority", &priority) ||
        !req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &project_id, &has_project) ||
        !out_active_or_reply(r, &active))
        return;
    if (sla_policy_list(r->db, &r->who, &r->a, &items, &n, &r->err)) return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const sla_policy *p = &items[i];
        if ((kind && strcmp(kind, p->kind)) || (priority && strcmp(priority, p->priority)) ||
            (has_project && p->project_id != project_id) || (active >= 0 && p->active != active))
            continue;
        json_array_append_new(arr, sla_policy_to_json(p));
    }
    /* Policies are few: one page. */
    reply_json(r, 200, json_pack("{s:o, s:n}", "items", arr, "next_cursor"));
}

void api_sla_policies_create(req *r)
{
    json_t *b;
    sla_policy in, out;
    if (!req_staff_or_reply(r) || !(b = req_json_or_reply(r))) return;
    if (sla_policy_from_json(b, 0, &r->a, &in, &r->err) ||
        sla_policy_save(r->db, &r->who, 0, &in, &r->a, &out, &r->err))
        return reply_error(r);
    reply_json(r, 201, sla_policy_to_json(&out));
}

void api_sla_policies_get(req *r)
{
    int64_t id;
    sla_policy p;
    if (!req_staff_or_reply(r) || !req_path_id_or_reply(r, "id", &id)) return;
    if (sla_policy_get(r->db, &r->who, id, &r->a, &p, &r->err)) return reply_error(r);
    reply_json(r, 200, sla_policy_to_json(&p));
}

void api_sla_policies_update(req *r)
{
    int64_t id;
    json_t *b;
    sla_policy p, out;
    if (!req_staff_or_reply(r) || !req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (sla_policy_get(r->db, &r->who, id, &r->a, &p, &r->err) ||
        sla_policy_from_json(b, 1, &r->a, &p, &r->err) ||
        sla_policy_save(r->db, &r->who, id, &p, &r->a, &out, &r->err))
        return reply_error(r);
    reply_json(r, 200, sla_policy_to_json(&out));
}
