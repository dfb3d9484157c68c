/* http/authn.c: who is calling (bearer token or session cookie) and the CSRF
 * check for cookie-authenticated writes. Role and scope rules live in domain/. */
#include <microhttpd.h>
#include <sodium.h>
#include <string.h>

#include "domain/identity/identity.h"
#include "http/server.h"

static int authn_unsafe(const char *m)
{
    return strcmp(m, "GET") != 0 && strcmp(m, "HEAD") != 0 && strcmp(m, "OPTIONS") != 0;
}

/* The session token the caller sent: the bearer token, else the cookie
 * (*via_cookie); NULL when none or not a token's length. */
static const char *authn_token(req *r, int *via_cookie)
{
    const char *token;
    const char *h = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    *via_cookie = 0;
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        token = h + 7;
    } else {
        token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "anju_session");
        *via_cookie = 1;
    }
    return token && *token && strlen(token) <= 128 ? token : NULL;
}

/* A cookie-authenticated write carries the tab's CSRF token. */
static int authn_csrf_ok(req *r, int via_cookie, const char *csrf)
{
    if (!via_cookie || !authn_unsafe(r->method)) return 1;
    const char *sent = req_header(r, "X-CSRF-Token");
    return sent && strlen(sent) == strlen(csrf) && sodium_memcmp(sent, csrf, strlen(csrf)) == 0;
}

int authn_try(req *r)
{
    int via_cookie;
    const char *token = authn_token(r, &via_cookie);
    if (!token || !strcmp(r->method, "HEAD") || !strcmp(r->method, "OPTIONS")) return 0;
    char csrf[SESSION_TOKEN_LEN];
    char *hash = arena_alloc(&r->a, 65);
    actor who = r->who; /* a failed lookup may have written part of it */
    if (session_lookup(r->db, token, &who, csrf, hash, &r->err)) {
        memset(&r->err, 0, sizeof r->err);
        return 0;
    }
    /* a write whose cookie lacks its CSRF token is nobody's: anonymous, never the user */
    if (!authn_csrf_ok(r, via_cookie, csrf)) return 0;
    r->who = who;
    r->session_hash = hash;
    return 1;
}

int authn_resolve_or_reply(req *r)
{
    int via_cookie;
    const char *token = authn_token(r, &via_cookie);
    if (!token) {
        reply_fail(r, AJ_EAUTH, NULL, "请先登录");
        return 0;
    }
    char csrf[SESSION_TOKEN_LEN];
    char *hash = arena_alloc(&r->a, 65);
    if (session_lookup(r->db, token, &r->who, csrf, hash, &r->err)) {
        reply_error(r);
        return 0;
    }
    r->session_hash = hash;
    if (!authn_csrf_ok(r, via_cookie, csrf)) {
        reply_fail(r, AJ_EFORBIDDEN, NULL, "缺少或错误的 X-CSRF-Token");
        return 0;
    }
    return 1;
}

/* 1 when the caller reached us over TLS that ends in front of the server:
 * the public URL is https, or a proxy we were told to trust (its address in
 * --trusted-proxy) forwarded the request as https. X-Forwarded-Proto from any
 * other peer is the client's own claim and is ignored. */
static int authn_behind_tls(req *r)
{
    if (!r->cfg) return 0;
    if (r->cfg->public_https) return 1;
    const char *list = r->cfg->trusted_proxy;
    if (!list || !r->ip || !*r->ip) return 0;
    size_t n = strlen(r->ip);
    for (const char *p = list; *p;) {
        while (*p == ',' || *p == ' ') p++;
        const char *e = p;
        while (*e && *e != ',' && *e != ' ') e++;
        if ((size_t)(e - p) == n && n && strncmp(p, r->ip, n) == 0) {
            /* "https, http" from a chain of proxies: the first hop is the
             * one the browser spoke to. */
            const char *proto = req_header(r, "X-Forwarded-Proto");
            size_t k = proto ? strcspn(proto, ", ") : 0;
            return k == 5 && strncasecmp(proto, "https", 5) == 0;
        }
        p = e;
    }
    return 0;
}

/* ASVS 4.0 V3.4.1: the session cookie carries Secure whenever the browser
 * reaches us over TLS, so it is never sent in clear; V3.4.2 HttpOnly,
 * V3.4.3 SameSite. A plain-http deployment (development, a LAN without TLS)
 * keeps working without it. */
const char *authn_cookie_header(req *r, const char *token, int64_t max_age)
{
    return arena_printf(&r->a, "anju_session=%s; Path=/; HttpOnly; SameSite=Lax%s; Max-Age=%lld",
                        token, authn_behind_tls(r) ? "; Secure" : "", (long long)max_age);
}
