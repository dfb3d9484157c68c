/* api/tickets/tickets_api.h: the HTTP face of the tickets context: its handlers and its
 * route table (tickets_routes.c), and what its resources share. */
#ifndef AJ_TICKETS_API_H
#define AJ_TICKETS_API_H
#include "http/router.h"

/* tickets.c */
void api_tickets_list(req *r);
void api_tickets_create(req *r);
void api_tickets_get(req *r);
void api_tickets_action(req *r);
void api_tickets_candidates(req *r);

/* categories.c */
void api_categories_list(req *r);
void api_categories_create(req *r);
void api_categories_update(req *r);

/* export.c */
void api_tickets_export(req *r);

/* tickets.c: the list's filters from the query string (also the export's);
 * 0 when replied (422 with the field). */
#include "domain/tickets/tickets.h"
int api_tickets_filter_or_reply(req *r, ticket_filter *f);

extern const route tickets_routes[];
extern const int tickets_nroutes;

#endif
