/* domain/tickets/tickets.h: the work-order context's public header: tickets and their state
 * machine, categories, dispatch, search, export, the SLA sweep's steps. Other contexts include
 * this header, never the rooms'. */
#ifndef AJ_TICKETS_CTX_H
#define AJ_TICKETS_CTX_H
#include "domain/tickets/ticket.h"
#include "domain/tickets/category.h"
#include "domain/tickets/ticket_export.h"
#include "domain/tickets/ticket_sweep.h"

#endif
