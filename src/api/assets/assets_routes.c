/* api/assets/assets_routes.c: the routes of the assets context (the equipment book, its
 * downtime, figures, QR labels and the labels' public lookup). */
#include "api/assets/assets_api.h"

#define P "/api/v1"

const route assets_routes[] = {
    /* before /equipment/{id}, which would take "labels.pdf" or "pm-templates" for an id */
    {"GET", P "/equipment/labels.pdf", api_equipment_labels, 0,
     "QR labels of equipment to print (A4 PDF)"},
    {"GET", P "/equipment.xlsx", api_equipment_export, 0,
     "The equipment book as an Excel sheet (the list's filters; the import's columns)"},
    {"GET", P "/equipment/pm-templates", api_pm_templates_list, 0,
     "The PM plans each class of equipment ships (维保模板)"},
    {"POST", P "/equipment/pm-templates/{key}/apply", api_pm_templates_apply, 0,
     "Make a PM template a plan of a project"},
    {"GET", P "/equipment", api_equipment_list, 0, "List equipment"},
    {"POST", P "/equipment", api_equipment_create, 0, "Add equipment to the book"},
    {"GET", P "/equipment/{id}", api_equipment_get, 0, "Get a piece of equipment"},
    {"PATCH", P "/equipment/{id}", api_equipment_update, 0, "Update or retire equipment"},
    {"GET", P "/equipment/{id}/history", api_equipment_history, 0,
     "A piece of equipment's tickets and downtime, newest first"},
    {"POST", P "/equipment/{id}/downtime", api_equipment_downtime, 0,
     "Record that equipment went down"},
    {"POST", P "/equipment/{id}/actions/restore", api_equipment_restore, 0,
     "End equipment's downtime"},
    {"GET", P "/stats/equipment", api_equipment_stats, 0,
     "Equipment figures of a month: intact rate per class, downtime, year on year"},
    {"GET", P "/q/e/{token}", api_equipment_qr, ROUTE_PUBLIC | ROUTE_WHO,
     "What a QR label opens (no login; staff of the project see the whole record)"},
    {"POST", P "/q/e/{token}/code", api_equipment_report_code, ROUTE_PUBLIC | ROUTE_WHO,
     "Send the code that proves an anonymous fault reporter's phone"},
    {"POST", P "/q/e/{token}/report", api_equipment_report, ROUTE_PUBLIC | ROUTE_WHO,
     "Report a fault of the labelled equipment (a repair ticket on it)"},
};
const int assets_nroutes = (int)(sizeof assets_routes / sizeof assets_routes[0]);
