/* domain/tickets/ticket_sql.h: SQL pieces and helpers shared by the ticket files
 * (ticket.c, ticket_list.c, ticket_action.c, dispatch.c); not for other layers. */
#ifndef AJ_TICKET_SQL_H
#define AJ_TICKET_SQL_H
#include "domain/calendar/calendar.h"
#include "domain/tickets/ticket.h"

/* Read by ticket_read in this order. The category path and the project's zone
 * are scalar subqueries, not joins, so a list's plan stays "tickets in id order". */
#define TICKET_COLS                                                                            \
    "t.id, t.no, t.project_id, t.kind, t.priority, t.category_id,"                             \
    " (SELECT cg.path FROM categories cg WHERE cg.id = t.category_id), t.status, t.held_from," \
    " t.title, t.description, t.channel, COALESCE(t.room_id, 0), COALESCE(t.resident_id, 0),"  \
    " COALESCE(t.assignee_id, 0), t.reported_at, COALESCE(t.appointment_start, 0),"            \
    " COALESCE(t.appointment_end, 0), COALESCE(t.accepted_at, 0), COALESCE(t.assigned_at, 0)," \
    " COALESCE(t.arrived_at, 0), COALESCE(t.contacted_at, 0), COALESCE(t.resolved_at, 0),"     \
    " COALESCE(t.closed_at, 0), COALESCE(t.cancelled_at, 0), t.hold_reason,"                   \
    " COALESCE(t.hold_until, 0), t.contact_note, t.findings, COALESCE(t.valid_complaint, -1),"  \
    " t.resolution, t.cancel_reason, COALESCE(t.rating, 0), t.rating_comment,"                 \
    " COALESCE(t.rated_at, 0), COALESCE(t.visit_at, 0), COALESCE(t.visit_by, 0),"              \
    " COALESCE(t.visit_satisfied, -1), t.visit_note, t.visit_unreachable, t.reopen_count,"     \
    " COALESCE(t.repeat_of, 0), COALESCE(t.policy_id, 0), COALESCE(t.created_by, 0),"          \
    " t.created_at, t.updated_at, t.version,"                                                  \
    " (SELECT pz.timezone FROM projects pz WHERE pz.id = t.project_id),"                       \
    " (SELECT un.name FROM users un WHERE un.id = t.assignee_id), COALESCE(t.equipment_id, 0)"

/* A list's column after TICKET_COLS, read by ticket_read_next_due: the
 * earliest running milestone. A single ticket takes it from its SLA rows,
 * which it loads anyway (ticket_next_due). */
#define TICKET_NEXT_DUE                                                                        \
    ", (SELECT MIN(sd.due_at) FROM ticket_sla sd WHERE sd.ticket_id = t.id"                    \
    "  AND sd.met_at IS NULL AND sd.paused_at IS NULL)"

/* $1 company-wide, $2 the staff user (0 for residents), $3 the resident (0 for
 * staff): staff see their projects' tickets, a resident those of their rooms
 * and their own. */
#define TICKET_SCOPE                                                                           \
    " ($1 = 1"                                                                                 \
    "  OR t.project_id IN (SELECT sp.project_id FROM staff_projects sp WHERE sp.user_id = $2)" \
    "  OR t.resident_id = $3"                                                                  \
    "  OR t.room_id IN (SELECT rr.room_id FROM resident_rooms rr WHERE rr.resident_id = $3))"

void ticket_read(db_rows *r, arena *a, ticket *t);
/* next_due_at from a row of TICKET_COLS TICKET_NEXT_DUE. */
void ticket_read_next_due(db_rows *r, ticket *t);
void ticket_scope_args(const actor *who, db_val out[3]);
/* The ticket row (no SLA rows, events or photos) within who's scope. */
int ticket_load(db *c, const actor *who, int64_t id, arena *a, ticket *out, aj_error *err);

/* The project's calendar when business (a working-day or business-clock
 * target or row) needs it; otherwise an empty one, which the calendar clock's
 * minutes and hours never read. */
int ticket_calendar(db *c, int64_t project_id, int business, arena *a, calendar *cal,
                    aj_error *err);

#endif
