/* api/tickets/export.c: GET /tickets.xlsx, the ticket list's filters as an Excel file. */
#include "api/export_reply.h"
#include "api/tickets/tickets_api.h"
#include "base/log.h"
#include "domain/tickets/tickets.h"
#include "http/server.h"

void api_tickets_export(req *r)
{
    ticket_filter f;
    const char *path;
    int64_t rows;
    if (!req_staff_or_reply(r) || !api_tickets_filter_or_reply(r, &f) ||
        !export_reply_begin_or_reply(r))
        return;
    int rc = ticket_export(r->db, &r->who, &f, r->cfg->data_dir,
                           export_reply_max_rows(TICKET_EXPORT_MAX_ROWS), &r->a, &path, &rows,
                           &r->err);
    export_reply_end();
    if (rc == AJ_EDB) log_error("export %s: %s", r->request_id, r->err.message);
    if (rc) return reply_error(r);
    export_reply_send(r, path, "tickets", rows);
}
