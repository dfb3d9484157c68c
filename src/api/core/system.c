/* api/core/system.c: health and readiness, metrics (behind a token or an
 * admin session) and the OpenAPI document. */
#include <sodium.h>
#include <string.h>

#include "api/core/core_api.h"
#include "http/server.h"
#include "jobs/scheduler.h"

extern const char openapi_json[];
extern const unsigned long openapi_json_len;

/* {"status":"ok"}, or "degraded" with the last storage failure while one
 * happened within DB_HEALTH_WINDOW_S seconds. */
static json_t *system_health_json(const db_health *h)
{
    if (!h->degraded) return json_pack("{s:s}", "status", "ok");
    return json_pack("{s:s, s:s, s:I, s:I}", "status", "degraded", "reason", h->reason,
                     "failures", (json_int_t)h->failures, "last_failure_age_s",
                     (json_int_t)h->age_s);
}

/* Liveness: 200 while the process and its database answer, so an
 * orchestrator does not restart a server for a full disk it cannot fix;
 * the body tells the truth about recent write failures. */
void api_healthz(req *r)
{
    db_health h;
    if (db_ping(r->db)) return reply_fail(r, AJ_EBUSY, NULL, "数据库无响应");
    db_health_get(&h);
    reply_json(r, 200, system_health_json(&h));
}

/* Readiness, for a load balancer: 503 while degraded, so traffic goes to a
 * server whose writes succeed. */
void api_readyz(req *r)
{
    db_health h;
    if (db_ping(r->db)) return reply_fail(r, AJ_EBUSY, NULL, "数据库无响应");
    db_health_get(&h);
    reply_json(r, h.degraded ? 503 : 200, system_health_json(&h));
}

/* The configured token, compared in constant time over digests of both
 * sides (the length of what was sent tells nothing either). */
static int system_metrics_token_ok(const char *want, const char *h)
{
    unsigned char a[crypto_generichash_BYTES], b[crypto_generichash_BYTES];
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) return 0;
    h += 7;
    crypto_generichash(a, sizeof a, (const unsigned char *)want, strlen(want), NULL, 0);
    crypto_generichash(b, sizeof b, (const unsigned char *)h, strlen(h), NULL, 0);
    return sodium_memcmp(a, b, sizeof a) == 0;
}

/* /metrics shows company-wide ticket counts: a scraper's token when one is
 * configured, else an admin session (ASVS 4.0 V1.4.1 / V4.1.3: the least
 * privilege; V14.3.2-style operational data is not public). The route stays
 * ROUTE_PUBLIC so the check is this one, token first. */
static int system_metrics_allowed_or_reply(req *r)
{
    const char *want = r->cfg ? r->cfg->metrics_token : NULL;
    if (want) {
        if (system_metrics_token_ok(want, req_header(r, "Authorization"))) return 1;
        reply_fail(r, AJ_EAUTH, NULL, "需要 /metrics 的访问令牌（Authorization: Bearer）");
        reply_header(r, "WWW-Authenticate", "Bearer realm=\"metrics\"");
        return 0;
    }
    if (!authn_resolve_or_reply(r)) return 0;
    if (r->who.role == ROLE_ADMIN) return 1;
    reply_fail(r, AJ_EFORBIDDEN, NULL, "仅限管理员查看运行指标");
    return 0;
}

void api_metrics(req *r)
{
    buf b;
    if (!system_metrics_allowed_or_reply(r)) return;
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
