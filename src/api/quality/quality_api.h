/* api/quality/quality_api.h: the HTTP face of the quality context: handlers and the route
 * table (quality_routes.c). */
#ifndef AJ_QUALITY_API_H
#define AJ_QUALITY_API_H
#include <jansson.h>

#include "domain/quality/quality.h"
#include "http/router.h"

/* ---- the standards catalogue (standards_api.c) ---- */
void api_standards_list(req *r);
void api_standards_create(req *r);
void api_standards_get(req *r);
void api_standards_update(req *r);
void api_public_standards(req *r);

/* ---- rectifications (rectifications_api.c) ---- */
void api_rectifications_list(req *r);
void api_rectifications_create(req *r);
void api_rectifications_get(req *r);
void api_rectifications_action(req *r);

/* ---- figures (quality_stats_api.c) ---- */
void api_quality_stats(req *r);
void api_quality_selfcheck(req *r);

extern const route quality_routes[];
extern const int quality_nroutes;

#endif
