/* http/sse.h: live updates as server-sent events (GET /api/v1/stream): a hub
 * of open streams, each filtered to what its user may see, fed by publishers
 * after their transaction commits.
 *
 * Streams never hold a worker thread: a stream with nothing to send is a
 * suspended libmicrohttpd connection, resumed when an event or the 15 s ping
 * is queued for it. Events of this process only: several servers sharing one
 * PostgreSQL each publish their own changes (a later LISTEN/NOTIFY relay could
 * feed sse_publish the others'). */
#ifndef AJ_SSE_H
#define AJ_SSE_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/core/core.h"
#include "http/req.h"

#define SSE_PING_SECONDS 15
#define SSE_MAX_PER_USER 8  /* browser tabs of one user; more is 429 */
#define SSE_MAX_STREAMS 1024 /* the whole server; more is 503 */
/* A stream ends after this long; EventSource reconnects by itself, and the
 * reconnect checks the session and re-reads the user's projects. */
#define SSE_LIFETIME_SECONDS 600

/* What one stream may receive, read when it opens. */
typedef struct sse_scope {
    int64_t user_id;
    int all_projects;        /* company-wide roles: every project's tickets */
    const int64_t *projects; /* staff: tickets of these projects */
    size_t nprojects;
    int64_t resident_id; /* a resident: only tickets filed by or for them */
} sse_scope;

/* Who one event is for. */
typedef struct sse_target {
    int64_t user_id; /* one user only (notifications); 0: by the ticket's scope */
    int64_t project_id, resident_id;
} sse_target;

/* Answers r with an event stream for scope (copied) — or 429 when the user
 * has SSE_MAX_PER_USER streams open, 503 when the server is full or stopping.
 * last_event_id (the Last-Event-ID header of a reconnect, may be NULL) replays
 * the matching events queued since, if they are still in the recent-event ring. */
void sse_open(req *r, const sse_scope *scope, const char *last_event_id);

/* Queues `event: <event>` with data (one line of compact JSON) for every
 * matching stream. Call after the change is committed, never inside the
 * transaction (a rollback cannot take an event back). Never blocks on a client. */
void sse_publish(const sse_target *to, const char *event, const char *data_json);

/* Publishing from inside a transaction: between sse_hold() and
 * sse_release(committed) this thread's events are kept back, then sent in
 * order if committed is nonzero, else dropped — so a notification written in
 * an action's transaction goes out only if the action commits. Holds nest. */
void sse_hold(void);
void sse_release(int committed);

/* Makes this hub the subscriber of the domain's live events (domain/core/live.h). */
void sse_subscribe(void);
/* Ends every stream and refuses new ones; returns when no call into
 * libmicrohttpd from the hub is pending, so the daemon may then be stopped. */
void sse_shutdown(void);
/* Streams open now. */
int sse_count(void);

#endif
