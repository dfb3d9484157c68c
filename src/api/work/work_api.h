/* api/work/work_api.h: the HTTP face of the work context (plans and tasks): handlers and
 * the route table (work_routes.c). */
#ifndef AJ_WORK_API_H
#define AJ_WORK_API_H
#include <jansson.h>

#include "domain/work/work.h"
#include "http/router.h"

/* plans.c */
void api_plans_list(req *r);
void api_plans_create(req *r);
void api_plans_get(req *r);
void api_plans_update(req *r);
json_t *api_plans_json(const plan *p);

/* tasks.c */
void api_tasks_list(req *r);
void api_tasks_stats(req *r);
void api_tasks_get(req *r);
void api_tasks_start(req *r);
void api_tasks_skip(req *r);
void api_tasks_finish(req *r);
void api_tasks_result(req *r);
void api_tasks_recheck(req *r);

extern const route work_routes[];
extern const int work_nroutes;

#endif
