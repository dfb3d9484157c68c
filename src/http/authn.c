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

int authn_resolve_or_reply(req *r)
{
    const char *token = NULL;
    int via_cookie = 0;
    const char *h = req_header(r, MHD_HTTP_HEADER_AUTHORIZATION);
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        token = h + 7;
    } else {
        token = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "anju_session");
        via_cookie = 1;
    }
    if (!token || !*token || strlen(token) > 128) {
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
    if (via_cookie && authn_unsafe(r->method)) {
        const char *sent = req_header(r, "X-CSRF-Token");
        if (!sent || strlen(sent) != strlen(csrf) ||
            sodium_memcmp(sent, csrf, strlen(csrf)) != 0) {
            reply_fail(r, AJ_EFORBIDDEN, NULL, "缺少或错误的 X-CSRF-Token");
            return 0;
        }
    }
    return 1;
}

const char *authn_cookie_header(req *r, const char *token, int64_t max_age)
{
    return arena_printf(&r->a, "anju_session=%s; Path=/; HttpOnly; SameSite=Lax; Max-Age=%lld",
                        token, (long long)max_age);
}
