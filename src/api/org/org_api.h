/* api/org/org_api.h: the HTTP face of the org context: its handlers and its
 * route table (org_routes.c), and what its resources share. */
#ifndef AJ_ORG_API_H
#define AJ_ORG_API_H
#include <jansson.h>

#include "http/router.h"

/* projects.c */
void api_projects_list(req *r);
void api_projects_create(req *r);
void api_projects_get(req *r);
void api_projects_update(req *r);

/* buildings.c */
void api_buildings_list(req *r);
void api_buildings_create(req *r);
void api_buildings_get(req *r);
void api_buildings_update(req *r);

/* rooms.c */
void api_rooms_list(req *r);
void api_rooms_create(req *r);
void api_rooms_get(req *r);
void api_rooms_update(req *r);

/* residents.c */
void api_residents_list(req *r);
void api_residents_create(req *r);
void api_residents_get(req *r);
void api_residents_update(req *r);
void api_residents_password(req *r);

/* departments.c */
void api_departments_list(req *r);
void api_departments_create(req *r);
void api_departments_update(req *r);

/* staff_members.c */
void api_staff_list(req *r);
void api_staff_create(req *r);
void api_staff_get(req *r);
void api_staff_update(req *r);
void api_staff_password_reset(req *r);

/* Serializers shared by the organisation resources and /me (auth.c). */
#include "domain/org/org.h"
json_t *projects_json(const project *p);
/* off: the UTC offset to show times in (out_project_tz) */
json_t *buildings_json(const building *b, int off);
json_t *rooms_json(const room *rm, int off);
json_t *residents_json(const resident *rs, int off);
json_t *api_staff_json(const staff *s);
json_t *api_departments_json(const department *d);
/* A department reference in a body (department_id, parent_id): absent (*present
 * 0), null (*present 1, *id 0) or a positive integer; 422 with the key otherwise. */
int api_department_ref(json_t *b, const char *key, int64_t *id, int *present, aj_error *err);

extern const route org_routes[];
extern const int org_nroutes;

#endif
