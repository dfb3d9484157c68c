/* api/tickets/tickets_routes.c: the routes of the tickets context (work orders, their actions and dispatch picker, categories, the Excel export). */
#include "api/tickets/tickets_api.h"

#define P "/api/v1"

const route tickets_routes[] = {
    {"GET", P "/tickets", api_tickets_list, 0, "List and search work orders"},
    {"POST", P "/tickets", api_tickets_create, 0, "Create a work order"},
    {"GET", P "/tickets/{id}", api_tickets_get, 0, "Get a work order with its SLA and events"},
    {"POST", P "/tickets/{id}/actions/{action}", api_tickets_action, 0,
     "Act on a work order (state machine)"},
    {"GET", P "/tickets/{id}/candidates", api_tickets_candidates, 0,
     "Staff automatic dispatch could choose, with their open load"},
    {"GET", P "/categories", api_categories_list, 0, "The ticket category tree"},
    {"POST", P "/categories", api_categories_create, 0, "Create a ticket category"},
    {"PATCH", P "/categories/{id}", api_categories_update, 0, "Update or deactivate a category"},
    {"GET", P "/tickets.xlsx", api_tickets_export, 0,
     "Export work orders as an Excel sheet (same filters as the list)"},
};
const int tickets_nroutes = (int)(sizeof tickets_routes / sizeof tickets_routes[0]);
