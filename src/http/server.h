/* http/server.h: the HTTP server (libmicrohttpd) and what its parts share. */
#ifndef AJ_SERVER_H
#define AJ_SERVER_H
#include "base/config.h"
#include "http/req.h"
#include "http/router.h"


/* auth.c: resolves the caller from the bearer token or the cookie, checks CSRF. */
int authn_resolve_or_reply(req *r);
/* The same without a reply: 1 and r->who for a valid session, else 0 and the
 * caller stays anonymous (ROUTE_WHO routes). A write by cookie without its CSRF
 * token stays anonymous too: the user's session never acts for another site. */
int authn_try(req *r);
const char *authn_cookie_header(req *r, const char *token, int64_t max_age);

/* static.c */
void static_serve(req *r, const char *web_dir);

/* metrics.c */
void metrics_observe(const char *route, int status, double latency_ms);
/* Appends the HTTP request counters and latency histograms, Prometheus text. */
void metrics_render(buf *out);

/* server.c */
struct MHD_Daemon;
/* Listens on cfg->listen with cfg->threads threads; NULL after saying why.
 * The caller waits (cli/cmd_serve.c: until SIGTERM or SIGINT), then stops it:
 * no new connections, requests in flight finish (up to 10 s), live streams end. */
struct MHD_Daemon *server_start(const config *cfg);
void server_stop(struct MHD_Daemon *d);
db *server_db(void); /* this thread's connection */
const config *server_config(void);

#endif
