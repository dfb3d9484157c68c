/* domain/tickets/ticket_export.h: work orders as an Excel sheet (libxlsxwriter), with
 * Chinese headers and the SLA outcome of each milestone. */
#ifndef AJ_TICKET_EXPORT_H
#define AJ_TICKET_EXPORT_H
#include "domain/tickets/ticket.h"

#define TICKET_EXPORT_MAX_ROWS 100000

/* Writes the tickets who sees under f (the list's filters and scope, newest
 * first) to a new .xlsx file under data_dir/tmp and names it in *path (from
 * a); the caller sends the file and removes it. Staff only (AJ_EFORBIDDEN).
 * More than max_rows tickets is AJ_EINVAL and writes nothing. *rows: the
 * tickets written. */
int ticket_export(db *c, const actor *who, const ticket_filter *f, const char *data_dir,
                  int64_t max_rows, arena *a, const char **path, int64_t *rows, aj_error *err);

/* The outcome of one milestone in words: 按时, 超时, 进行中, 暂停, or 未执行
 * (the ticket is resolved, closed or cancelled and the milestone was never met
 * nor late). */
const char *ticket_export_outcome(const sla_clock_row *row, const char *status, int64_t now);

#endif
