/* base/log.h: structured logging, one JSON object per line on stderr. */
#ifndef AJ_LOG_H
#define AJ_LOG_H

void log_set_quiet(int quiet); /* quiet: no per-request lines */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line per request: id, method, route, status, latency. */
void log_request(const char *request_id, const char *method, const char *route,
                 const char *path, int status, double latency_ms, const char *ip);

#endif
