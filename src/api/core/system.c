/* api/core/system.c: health, metrics and the OpenAPI document. */
#include <string.h>

#include "api/core/core_api.h"
#include "http/server.h"
#include "jobs/scheduler.h"

extern const char openapi_json[];
extern const unsigned long openapi_json_len;

void api_healthz(req *r)
{
    if (db_ping(r->db)) return reply_fail(r, AJ_EBUSY, NULL, "数据库无响应");
    reply_json(r, 200, json_pack("{s:s}", "status", "ok"));
}

void api_metrics(req *r)
{
    buf b;
    buf_init(&b, &r->a);
    metrics_render(&b);
    /* Job runs, open tickets by status, breached milestones (index-served
     * counts: cheap enough for every scrape). */
    scheduler_metrics(r->db, &b);
    reply_raw(r, 200, "text/plain; version=0.0.4; charset=utf-8", b.s ? b.s : "", b.len);
}

void api_openapi(req *r)
{
    reply_raw(r, 200, "application/json; charset=utf-8", openapi_json, openapi_json_len);
}
