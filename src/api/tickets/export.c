/* api/tickets/export.c: GET /tickets.xlsx, the ticket list's filters as an Excel file. */
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/tickets/tickets_api.h"
#include "base/clock.h"
#include "base/log.h"
#include "domain/tickets/tickets.h"
#include "http/server.h"

#define EXPORT_TYPE "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Exports running now. A large one keeps its worker thread busy for seconds,
 * so at most half the pool (at least one) may export at once. */
static atomic_int export_running;

/* The row cap: TICKET_EXPORT_MAX_ROWS, or ANJU_EXPORT_MAX_ROWS (1..1000000)
 * for an operator who wants it smaller or larger (and for the tests). */
static int64_t export_max_rows(void)
{
    const char *s = getenv("ANJU_EXPORT_MAX_ROWS");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && v >= 1 && v <= 1000000 ? (int64_t)v : TICKET_EXPORT_MAX_ROWS;
}

void api_tickets_export(req *r)
{
    ticket_filter f;
    const char *path;
    int64_t rows;
    if (!req_staff_or_reply(r) || !api_tickets_filter_or_reply(r, &f)) return;
    int most = r->cfg->threads / 2;
    if (atomic_fetch_add(&export_running, 1) >= (most > 0 ? most : 1)) {
        atomic_fetch_sub(&export_running, 1);
        r->retry_after = "5";
        return reply_fail(r, AJ_ERATE, NULL, "正在导出其他文件，请稍后重试");
    }
    int rc = ticket_export(r->db, &r->who, &f, r->cfg->data_dir, export_max_rows(),
                           &r->a, &path, &rows, &r->err);
    atomic_fetch_sub(&export_running, 1);
    if (rc == AJ_EDB) log_error("export %s: %s", r->request_id, r->err.message);
    if (rc) return reply_error(r);
    /* Removed at once: the open descriptor keeps the bytes until they are sent,
     * and nothing is left behind if the client goes away. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0) close(fd);
        return reply_fail(r, AJ_EDB, NULL, "导出文件读取失败");
    }
    reply_fd(r, 200, EXPORT_TYPE, fd, (uint64_t)st.st_size);
    char when[40], name[64];
    clock_format(clock_now(), CLOCK_TZ_DEFAULT, when, sizeof when);
    /* "2026-10-01T09:30:00+08:00" -> tickets-20261001-0930.xlsx */
    snprintf(name, sizeof name, "attachment; filename=\"tickets-%.4s%.2s%.2s-%.2s%.2s.xlsx\"", when,
             when + 5, when + 8, when + 11, when + 14);
    reply_header(r, "Content-Disposition", name);
    char count[24];
    snprintf(count, sizeof count, "%lld", (long long)rows);
    reply_header(r, "X-Export-Rows", count);
}
