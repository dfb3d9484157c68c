/* api/export_reply.c: what every export handler does around its domain call. */
#include "api/export_reply.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "http/server.h"

/* Exports running now. A large one keeps its worker thread busy for seconds,
 * so at most half the pool (at least one) may export at once. */
static atomic_int export_running;

int export_reply_begin_or_reply(req *r)
{
    int most = r->cfg->threads / 2;
    if (atomic_fetch_add(&export_running, 1) < (most > 0 ? most : 1)) return 1;
    atomic_fetch_sub(&export_running, 1);
    r->retry_after = "5";
    reply_fail(r, AJ_ERATE, NULL, "正在导出其他文件，请稍后重试");
    return 0;
}

void export_reply_end(void) { atomic_fetch_sub(&export_running, 1); }

int64_t export_reply_max_rows(int64_t fallback)
{
    const char *s = getenv("ANJU_EXPORT_MAX_ROWS");
    char *end;
    long long v = s ? strtoll(s, &end, 10) : 0;
    return s && *s && !*end && v >= 1 && v <= 1000000 ? (int64_t)v : fallback;
}

void export_reply_send(req *r, const char *path, const char *stem, int64_t rows)
{
    /* Removed at once: the open descriptor keeps the bytes until they are sent,
     * and nothing is left behind if the client goes away. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    unlink(path);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        if (fd >= 0) close(fd);
        return reply_fail(r, AJ_EDB, NULL, "导出文件读取失败");
    }
    reply_fd(r, 200, EXPORT_REPLY_XLSX, fd, (uint64_t)st.st_size);
    char when[40], name[96];
    clock_format(clock_now(), CLOCK_TZ_DEFAULT, when, sizeof when);
    /* "2026-10-01T09:30:00+08:00" -> <stem>-20261001-0930.xlsx */
    snprintf(name, sizeof name, "attachment; filename=\"%s-%.4s%.2s%.2s-%.2s%.2s.xlsx\"", stem,
             when, when + 5, when + 8, when + 11, when + 14);
    reply_header(r, "Content-Disposition", name);
    char count[24];
    snprintf(count, sizeof count, "%lld", (long long)rows);
    reply_header(r, "X-Export-Rows", count);
}
