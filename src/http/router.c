/* http/router.c: dispatch: match the path against the installed table,
 * authenticate, call the handler. */
#include <string.h>

#include "http/server.h"

static const route *router_routes;
static int router_nroutes;

void router_use(const route *table, int count)
{
    router_routes = table;
    router_nroutes = count;
}

const route *router_table(int *count)
{
    *count = router_nroutes;
    return router_routes;
}

/* Compares path with pattern character by character; a {name} segment of the
 * pattern captures one non-empty segment of the path. Most patterns differ
 * from the path within their first characters after "/api/v1/", and a
 * request walks the table up to its route, so a mismatch must be cheap. */
static int router_path_matches(req *r, const char *pattern, const char *path)
{
    int n = 0;
    const char *p = pattern, *s = path;
    while (*p) {
        if (*p == '{' && p > pattern && p[-1] == '/') {
            const char *pe = strchr(p, '}'), *se = s;
            while (*se && *se != '/') se++;
            if (!pe || se == s || n >= REQ_MAX_PARAMS) return 0;
            if (r) {
                r->pname[n] = arena_strndup(&r->a, p + 1, (size_t)(pe - p - 1));
                r->pval[n] = arena_strndup(&r->a, s, (size_t)(se - s));
            }
            n++;
            p = pe + 1;
            s = se;
            continue;
        }
        if (*p != *s) return 0;
        p++;
        s++;
    }
    if (*s) return 0;
    if (r) r->nparams = n;
    return 1;
}

const route *router_match(req *r, const char *method, const char *path, int *path_known)
{
    int n;
    const route *t = router_table(&n);
    *path_known = 0;
    for (int i = 0; i < n; i++) {
        if (!router_path_matches(NULL, t[i].pattern, path)) continue;
        if (strcmp(t[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(t[i].method, "GET") == 0)) {
            router_path_matches(r, t[i].pattern, path);
            return &t[i];
        }
        *path_known = 1;
    }
    return NULL;
}

void router_dispatch(req *r)
{
    if (!r->route) {
        int known = 0;
        router_match(r, r->method, r->path, &known);
        if (known) return reply_fail(r, AJ_EMETHOD, NULL, "不支持的请求方法");
        if (strncmp(r->path, "/api/", 5) == 0)
            return reply_fail(r, AJ_ENOTFOUND, NULL, "接口不存在");
        if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD"))
            return reply_fail(r, AJ_EMETHOD, NULL, "不支持的请求方法");
        return static_serve(r, r->cfg->web_dir);
    }
    r->db = server_db();
    if (!r->db) return reply_fail(r, AJ_EBUSY, NULL, "数据库暂不可用");
    /* A read request's statements (session, record, its parts) share one
     * snapshot and, on SQLite, one round of locks instead of one per statement
     * (public routes such as /healthz are single statements: left alone).
     * A handler that writes anyway ends it by db_begin. */
    int reading = !(r->route->flags & ROUTE_PUBLIC) &&
                  (!strcmp(r->method, "GET") || !strcmp(r->method, "HEAD"));
    if (reading && db_read_begin(r->db, &r->err)) return reply_error(r);
    /* session_hash: resolved already, before the body (router_admit_or_reply) */
    if ((r->route->flags & (ROUTE_PUBLIC | ROUTE_WHO)) == (ROUTE_PUBLIC | ROUTE_WHO))
        authn_try(r);
    if ((r->route->flags & ROUTE_PUBLIC) || r->session_hash || authn_resolve_or_reply(r))
        r->route->fn(r);
    db_read_end(r->db);
    /* A handler that returned inside a transaction must not leave it open. */
    if (db_in_tx(r->db)) db_rollback(r->db);
}

int router_admit_or_reply(req *r)
{
    if (!r->route) {
        router_dispatch(r); /* 404, 405 or a static file: never a body */
        return 0;
    }
    if (r->route->flags & ROUTE_PUBLIC) return 1;
    r->db = server_db();
    if (!r->db) {
        reply_fail(r, AJ_EBUSY, NULL, "数据库暂不可用");
        return 0;
    }
    return authn_resolve_or_reply(r);
}
