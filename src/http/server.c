/* http/server.c: libmicrohttpd glue: a pool of epoll threads, one request
 * object per HTTP request, one database connection per thread, graceful stop. */
#include "http/server.h"

#include <microhttpd.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/log.h"
#include "http/sse.h" /* live streams */

#define SERVER_BODY_LIMIT (1u << 20)
#define SERVER_UPLOAD_LIMIT (10u << 20)
#define SERVER_MAX_DBS 256
#define SERVER_IDLE_TIMEOUT 60u

static const config *server_cfg;
static _Thread_local db *server_tls_db;
static pthread_mutex_t server_dbs_lock = PTHREAD_MUTEX_INITIALIZER;
static db *server_dbs[SERVER_MAX_DBS];
static int server_ndbs;
static atomic_int server_inflight;
/* Bytes held for request bodies in flight, all threads together, and the cap
 * (--body-memory): the one budget a flood of uploads can exhaust. */
static atomic_size_t server_body_bytes;
static size_t server_body_cap;
static atomic_uint_fast64_t server_req_counter;
static char server_req_prefix[9];

const config *server_config(void) { return server_cfg; }

db *server_db(void)
{
    if (server_tls_db) return server_tls_db;
    aj_error err = {0};
    db *c = db_open(server_cfg->db_url, &err);
    if (!c) {
        log_error("cannot open database: %s", err.message);
        return NULL;
    }
    pthread_mutex_lock(&server_dbs_lock);
    if (server_ndbs < SERVER_MAX_DBS) server_dbs[server_ndbs++] = c;
    pthread_mutex_unlock(&server_dbs_lock);
    server_tls_db = c;
    return c;
}

static req *server_req_new(struct MHD_Connection *conn, const char *url, const char *method)
{
    req *r = calloc(1, sizeof *r);
    if (!r) abort();
    arena_init(&r->a, 16384);
    r->conn = conn;
    r->t0_us = clock_mono_us();
    r->method = arena_strdup(&r->a, method);
    r->path = arena_strdup(&r->a, url);
    r->body_limit = SERVER_BODY_LIMIT;
    r->cfg = server_cfg;
    snprintf(r->request_id, sizeof r->request_id, "%s%08llx", server_req_prefix,
             (unsigned long long)(atomic_fetch_add(&server_req_counter, 1) & 0xffffffffu));
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char ip[INET6_ADDRSTRLEN] = "";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip, sizeof ip);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip, sizeof ip);
    }
    r->ip = arena_strdup(&r->a, ip);
    r->who.ip = r->ip;
    r->who.request_id = r->request_id;
    return r;
}

/* Grows r's body buffer to cap bytes within the shared budget; 0 (and the
 * buffer as it was) when the budget has no room. */
static int server_body_reserve(req *r, size_t cap)
{
    size_t delta = cap - r->body_cap;
    if (atomic_fetch_add(&server_body_bytes, delta) + delta > server_body_cap) {
        atomic_fetch_sub(&server_body_bytes, delta);
        return 0;
    }
    char *b = realloc(r->body, cap);
    if (!b) abort();
    r->body = b;
    r->body_cap = cap;
    return 1;
}

static void server_body_release(req *r)
{
    atomic_fetch_sub(&server_body_bytes, r->body_cap);
    free(r->body);
    r->body = NULL;
    r->body_cap = r->body_len = 0;
}

static void server_req_free(req *r)
{
    if (r->resp) MHD_destroy_response(r->resp);
    json_decref(r->json);
    server_body_release(r);
    arena_free(&r->a);
    free(r);
}

static void server_add_headers(req *r)
{
    struct MHD_Response *p = r->resp;
    MHD_add_response_header(p, "X-Request-Id", r->request_id);
    MHD_add_response_header(p, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(p, "X-Frame-Options", "DENY");
    MHD_add_response_header(p, "Referrer-Policy", "same-origin");
    MHD_add_response_header(p, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data: blob:; "
                            "style-src 'self' 'unsafe-inline'; font-src 'self' data:; "
                            "connect-src 'self'; "
                            "frame-ancestors 'none'; base-uri 'self'; form-action 'self'");
    if (strncmp(r->path, "/api/", 5) == 0 && !MHD_get_response_header(p, "Cache-Control"))
        MHD_add_response_header(p, "Cache-Control", "no-store");
    if (r->set_cookie) MHD_add_response_header(p, "Set-Cookie", r->set_cookie);
    if (r->retry_after) MHD_add_response_header(p, "Retry-After", r->retry_after);
}

static enum MHD_Result server_finish(req *r)
{
    if (!r->resp) reply_fail(r, AJ_EDB, NULL, "no response");
    server_add_headers(r);
    enum MHD_Result ok = MHD_queue_response(r->conn, (unsigned)r->status, r->resp);
    double ms = (double)(clock_mono_us() - r->t0_us) / 1000.0;
    const char *rname = r->route ? r->route->pattern : NULL;
    log_request(r->request_id, r->method, rname, r->path, r->status, ms, r->ip);
    metrics_observe(rname ? rname : (strncmp(r->path, "/api/", 5) ? "static" : "unmatched"),
                    r->status, ms);
    return ok;
}

/* The framing headers of a request, counted: libmicrohttpd reads the first
 * Content-Length and any Transfer-Encoding as "until the peer closes". */
typedef struct server_framing {
    int ncl, nte, cl_differ;
    const char *cl, *te;
} server_framing;

static enum MHD_Result server_framing_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                             const char *value)
{
    (void)kind;
    server_framing *f = cls;
    if (!value) value = "";
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        if (f->ncl++ == 0) f->cl = value;
        else if (strcmp(f->cl, value) != 0) f->cl_differ = 1;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->nte++;
        f->te = value;
    }
    return MHD_YES;
}

static void server_refuse(req *r, int status, const char *code, const char *msg)
{
    json_t *e = json_pack("{s:{s:s, s:s}}", "error", "code", code, "message", msg);
    reply_json(r, status, e);
    reply_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
}

/* A request a proxy in front could frame differently from us (a smuggled
 * second request) is refused, never guessed at; answered on the first call,
 * so libmicrohttpd reads none of its body and closes the connection behind
 * the answer (RFC 9112 §6.1, §6.3; ASVS 4.0 V13.1.1). 1 when refused. */
static int server_framing_refused(req *r)
{
    server_framing f = {0};
    MHD_get_connection_values(r->conn, MHD_HEADER_KIND, server_framing_header, &f);
    if (f.nte > 1 || (f.nte && f.ncl) || f.cl_differ) {
        server_refuse(r, 400, "bad_request",
                      "请求的长度不明确（Content-Length 与 Transfer-Encoding 冲突或重复）");
        return 1;
    }
    if (f.nte && strcasecmp(f.te, "chunked") != 0) {
        server_refuse(r, 501, "not_implemented", "不支持的 Transfer-Encoding（仅支持 chunked）");
        return 1;
    }
    return 0;
}

/* A new connection gets the short first-byte timeout (--header-timeout): a
 * socket opened and left silent is closed in seconds, not after the idle
 * timeout (ASVS 4.0 V11.1.4). Its first request raises it (server_handle). */
static void server_connection_notify(void *cls, struct MHD_Connection *conn, void **socket_ctx,
                                     enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)socket_ctx;
    if (code == MHD_CONNECTION_NOTIFY_STARTED)
        MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
                                  (unsigned)server_cfg->header_timeout);
}

static enum MHD_Result server_handle(void *cls, struct MHD_Connection *conn, const char *url,
                                     const char *method, const char *version,
                                     const char *upload_data, size_t *upload_size, void **ctx)
{
    (void)cls;
    (void)version;
    req *r = *ctx;
    if (!r) {
        /* Answer only on a later call: answering on the first one makes
         * libmicrohttpd close keep-alive connections. */
        const union MHD_ConnectionInfo *to =
            MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_TIMEOUT);
        if (to && to->connection_timeout != SERVER_IDLE_TIMEOUT)
            MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT, SERVER_IDLE_TIMEOUT);
        r = server_req_new(conn, url, method);
        *ctx = r;
        atomic_fetch_add(&server_inflight, 1);
        if (server_framing_refused(r)) return server_finish(r);
        int known = 0;
        r->route = router_match(r, method, url, &known);
        if (r->route && (r->route->flags & ROUTE_UPLOAD)) r->body_limit = SERVER_UPLOAD_LIMIT;
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        const char *te = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_TRANSFER_ENCODING);
        unsigned long long clen = cl ? strtoull(cl, NULL, 10) : 0;
        if (!te && !clen) return MHD_YES; /* no body: answered on the next call */
        /* A body is read only for a caller who may send it: who calls and
         * whether the route needs a login are known from the headers (ASVS
         * 4.0 V1.4.1, V13.1.3). Answered now, libmicrohttpd reads none of the
         * body and closes the connection behind the answer. */
        if (!router_admit_or_reply(r)) return server_finish(r);
        if (clen > r->body_limit) {
            r->too_large = 1; /* drained unbuffered; answered 413 at the end */
            return MHD_YES;
        }
        if (clen && !server_body_reserve(r, (size_t)clen + 1)) {
            reply_fail(r, AJ_EBUSY, NULL, "服务器繁忙，请稍后重试");
            r->retry_after = "5";
            return server_finish(r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        size_t n = *upload_size;
        *upload_size = 0;
        if (r->too_large || r->body_len + n > r->body_limit) {
            if (!r->too_large) r->too_large = 1;
            return MHD_YES; /* drain; answered 413 (or 503) at the end */
        }
        if (r->body_len + n + 1 > r->body_cap) {
            /* chunked, or more than its Content-Length said */
            size_t cap = r->body_cap ? r->body_cap : 1024;
            while (cap < r->body_len + n + 1) cap *= 2;
            if (cap > r->body_limit + 1) cap = r->body_limit + 1;
            if (!server_body_reserve(r, cap)) {
                server_body_release(r);
                r->too_large = 2; /* over the shared budget: drain, then 503 */
                return MHD_YES;
            }
        }
        memcpy(r->body + r->body_len, upload_data, n);
        r->body_len += n;
        r->body[r->body_len] = 0;
        return MHD_YES;
    }
    if (r->too_large == 2) {
        reply_fail(r, AJ_EBUSY, NULL, "服务器繁忙，请稍后重试");
        r->retry_after = "5";
    } else if (r->too_large)
        reply_fail(r, AJ_ETOOLARGE, NULL, "请求体过大（上限 %zu 字节）", r->body_limit);
    else
        router_dispatch(r);
    return server_finish(r);
}

static void server_completed(void *cls, struct MHD_Connection *conn, void **ctx,
                             enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    req *r = *ctx;
    if (r) {
        server_req_free(r);
        atomic_fetch_sub(&server_inflight, 1);
    }
    *ctx = NULL;
}

static int server_parse_listen(const char *s, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    if (!colon || (size_t)(colon - s) >= sizeof host) return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    int port = atoi(colon + 1);
    if (port <= 0 || port > 65535) return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, *host ? host : "0.0.0.0", &sa->sin_addr) != 1) return -1;
    return 0;
}

struct MHD_Daemon *server_start(const config *cfg)
{
    server_cfg = cfg;
    server_body_cap = (size_t)cfg->body_memory << 20;
    unsigned char rnd[4];
    randombytes_buf(rnd, sizeof rnd);
    sodium_bin2hex(server_req_prefix, sizeof server_req_prefix, rnd, sizeof rnd);

    struct sockaddr_in sa;
    if (server_parse_listen(cfg->listen, &sa)) {
        fprintf(stderr, "anju: bad --listen address '%s' (want HOST:PORT)\n", cfg->listen);
        return NULL;
    }
    signal(SIGPIPE, SIG_IGN);
    struct MHD_Daemon *d = MHD_start_daemon(
        /* ALLOW_SUSPEND_RESUME: idle live streams give their thread back (sse.c) */
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME,
        0, NULL, NULL,
        server_handle, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads, MHD_OPTION_NOTIFY_COMPLETED,
        server_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, SERVER_IDLE_TIMEOUT,
        MHD_OPTION_CONNECTION_LIMIT, 4096u,
        /* one address cannot take all 4,096 (ASVS 4.0 V11.1.4) */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)cfg->per_ip_connections,
        MHD_OPTION_NOTIFY_CONNECTION, server_connection_notify, NULL, MHD_OPTION_END);
    if (!d) fprintf(stderr, "anju: cannot listen on %s\n", cfg->listen);
    return d;
}

void server_stop(struct MHD_Daemon *d)
{
    /* Stop accepting, let requests in flight finish (up to 10 s), then stop. */
    log_info("stopping: %d requests in flight", atomic_load(&server_inflight));
    MHD_socket ls = MHD_quiesce_daemon(d);
    /* Live streams never finish by themselves, and libmicrohttpd must not be
     * stopped with a suspended connection: end them first (sse.c). */
    sse_shutdown();
    for (int i = 0; i < 100 && atomic_load(&server_inflight) > 0; i++) usleep(100 * 1000);
    MHD_stop_daemon(d);
    if (ls != MHD_INVALID_SOCKET) close(ls);
    pthread_mutex_lock(&server_dbs_lock);
    for (int i = 0; i < server_ndbs; i++) db_close(server_dbs[i]);
    server_ndbs = 0;
    pthread_mutex_unlock(&server_dbs_lock);
}
