/* api/sla/sla_json.h: the SLA policy's JSON on the wire (the HTTP body shapes of API.md). */
#ifndef AJ_SLA_JSON_H
#define AJ_SLA_JSON_H
#include <jansson.h>

#include "domain/sla/sla.h"

json_t *sla_policy_to_json(const sla_policy *p);
/* Reads a policy body; AJ_EINVAL with the field on any error
 * ("milestones[0].amount"). With partial (PATCH), *out must hold the current
 * policy: only the fields present in body replace it. Read-only keys (id,
 * created_at, updated_at) are accepted and ignored, so a policy read with GET
 * can be sent back. Strings are read by api/jv.c; the rules of a target and
 * an escalation are the domain's (sla_target_check, sla_escalation_check). */
int sla_policy_from_json(json_t *body, int partial, arena *a, sla_policy *out, aj_error *err);

#endif
