/* api/assets/assets_api.h: the HTTP face of the equipment book: its handlers and its route
 * table (assets_routes.c). */
#ifndef AJ_ASSETS_API_H
#define AJ_ASSETS_API_H
#include <jansson.h>

#include "domain/assets/assets.h"
#include "http/router.h"

/* equipment_api.c: the records, the QR lookup, downtime, history */
void api_equipment_list(req *r);
void api_equipment_export(req *r);
void api_equipment_create(req *r);
void api_equipment_get(req *r);
void api_equipment_update(req *r);
void api_equipment_qr(req *r);
void api_equipment_downtime(req *r);
void api_equipment_restore(req *r);
void api_equipment_history(req *r);
json_t *api_equipment_json(const equipment *e);

/* equipment_report_api.c: the fault report a label offers anyone */
void api_equipment_report_code(req *r);
void api_equipment_report(req *r);

/* equipment_reports.c: the figures and the labels */
void api_equipment_stats(req *r);
void api_equipment_labels(req *r);

/* pm_templates.c: the PM plans each class ships */
void api_pm_templates_list(req *r);
void api_pm_templates_apply(req *r);

extern const route assets_routes[];
extern const int assets_nroutes;

#endif
