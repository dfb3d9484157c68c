/* base/log.c: structured logging; each line is written with one write() so
 * lines from different threads never interleave. */
#include "base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"

static int log_quiet;

void log_set_quiet(int quiet) { log_quiet = quiet; }

static void log_emit(buf *b)
{
    buf_putc(b, '\n');
    ssize_t w = write(2, b->s, b->len);
    (void)w;
    buf_free(b);
}

static void log_begin(buf *b, const char *level)
{
    char ts[40];
    clock_format_utc(clock_now(), ts, sizeof ts);
    buf_init(b, NULL);
    buf_printf(b, "{\"ts\":\"%s\",\"level\":\"%s\"", ts, level);
}

static void log_msg(const char *level, const char *fmt, va_list ap)
{
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    buf b;
    log_begin(&b, level);
    buf_puts(&b, ",\"msg\":");
    buf_json_str(&b, msg);
    buf_putc(&b, '}');
    log_emit(&b);
}

void log_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_msg("info", fmt, ap);
    va_end(ap);
}

void log_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_msg("error", fmt, ap);
    va_end(ap);
}

void log_request(const char *request_id, const char *method, const char *route,
                 const char *path, int status, double latency_ms, const char *ip)
{
    if (log_quiet) return;
    buf b;
    log_begin(&b, "info");
    buf_puts(&b, ",\"request_id\":");
    buf_json_str(&b, request_id);
    buf_puts(&b, ",\"method\":");
    buf_json_str(&b, method);
    buf_puts(&b, ",\"route\":");
    buf_json_str(&b, route ? route : "");
    buf_puts(&b, ",\"path\":");
    buf_json_str(&b, path);
    buf_printf(&b, ",\"status\":%d,\"latency_ms\":%.3f,\"ip\":", status, latency_ms);
    buf_json_str(&b, ip ? ip : "");
    buf_putc(&b, '}');
    log_emit(&b);
}
