/* api/kpi/kpi_api.h: the HTTP face of the kpi context: its handlers and its
 * route table (kpi_routes.c), and what its resources share. */
#ifndef AJ_KPI_API_H
#define AJ_KPI_API_H
#include <jansson.h>
#include <stdint.h>

#include "http/router.h"

/* stats.c */
void api_stats_tickets(req *r);

/* public.c */
void api_public_disclosure(req *r);

/* A share rounded to four places, or null when total is 0 (stats.c). */
json_t *stats_rate(int64_t met, int64_t total);

extern const route kpi_routes[];
extern const int kpi_nroutes;

#endif
