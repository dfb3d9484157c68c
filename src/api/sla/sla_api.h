/* api/sla/sla_api.h: the HTTP face of the sla context: its handlers and its
 * route table (sla_routes.c), and what its resources share. */
#ifndef AJ_SLA_API_H
#define AJ_SLA_API_H
#include "http/router.h"

/* sla_policies.c */
void api_sla_policies_list(req *r);
void api_sla_policies_create(req *r);
void api_sla_policies_get(req *r);
void api_sla_policies_update(req *r);

extern const route sla_routes[];
extern const int sla_nroutes;

#endif
