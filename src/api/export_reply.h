/* api/export_reply.h: sending an export file (an .xlsx written by the domain under
 * data_dir/tmp): a cap on exports running at once, the download headers. */
#ifndef AJ_EXPORT_REPLY_H
#define AJ_EXPORT_REPLY_H
#include <stdint.h>

#include "http/req.h"

#define EXPORT_REPLY_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* A slot for one export; 0 after replying 429 (Retry-After 5) when half the
 * worker pool (at least one) is exporting already. */
int export_reply_begin_or_reply(req *r);
void export_reply_end(void);
/* The row cap: fallback, or ANJU_EXPORT_MAX_ROWS (1..1000000) for an operator
 * who wants it smaller or larger (and for the tests). */
int64_t export_reply_max_rows(int64_t fallback);
/* Sends path (and removes it) as "<stem>-YYYYMMDD-HHMM.xlsx" with X-Export-Rows. */
void export_reply_send(req *r, const char *path, const char *stem, int64_t rows);

#endif
