/* http/sse.c: the live-update hub: open streams, publishing, a ring of recent
 * events for reconnects, the ping thread, and the libmicrohttpd glue.
 *
 * How a stream waits without a thread: its response is a content reader. When
 * the reader finds nothing queued it suspends its own connection and returns
 * 0; a publisher that queues bytes resumes it, and libmicrohttpd calls the
 * reader again. Resuming a connection that is not suspended is undefined, so
 * each stream tracks where it is (running, suspending, suspended) under the
 * hub's lock, and whoever moves it from suspended to running is the one who
 * resumes it — after letting go of the lock, so that no path holds the hub's
 * lock while libmicrohttpd holds its own. A suspended connection cannot close,
 * so the connection stays valid until that resume is made. */
#include "http/sse.h"

#include <errno.h>
#include <microhttpd.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "domain/core/core.h"

#define SSE_BUF_MAX (256u * 1024u) /* bytes a slow reader may owe before its stream ends */
#define SSE_RING 256               /* recent events kept for reconnects */
#define SSE_PROBE_SECONDS 5        /* how often idle streams are checked for a gone client */
#define SSE_HELLO "retry: 3000\n: connected\n\n"
#define SSE_PING ": ping\n\n"

typedef enum { SSE_RUNNING, SSE_SUSPENDING, SSE_SUSPENDED } sse_state;

typedef struct sse_stream {
    struct sse_stream *prev, *next;
    struct MHD_Connection *conn;
    int fd;
    int64_t user_id, resident_id;
    int all_projects;
    int64_t *projects;
    size_t nprojects;
    char *buf; /* queued bytes: [off, len) */
    size_t off, len, cap;
    sse_state state;
    int wake_pending; /* woken while suspending: resume at once */
    int closing;      /* end the stream once the queue is sent */
    int64_t opened_us, pinged_us;
} sse_stream;

typedef struct sse_event {
    uint64_t seq;
    sse_target to;
    char *text; /* the event as sent */
} sse_event;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond; /* the ping thread's sleep; pending resumes done */
    sse_stream *head;
    int count;
    int stopping;
    int pending; /* resumes claimed and not yet made */
    int thread_started;
    pthread_t thread;
    uint64_t seq;
    char boot[9]; /* event ids are "<boot>-<seq>": a restart starts a new series */
    sse_event ring[SSE_RING];
} sse_hub = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

/* -- under the lock ------------------------------------------------------- */

/* Makes the stream's reader run again. Returns the connection the caller must
 * resume once it has let go of the lock, or NULL when nothing is to be done. */
static struct MHD_Connection *sse_wake(sse_stream *s)
{
    if (s->state == SSE_SUSPENDED) {
        s->state = SSE_RUNNING;
        sse_hub.pending++;
        return s->conn;
    }
    if (s->state == SSE_SUSPENDING) s->wake_pending = 1;
    return NULL; /* running: the reader will be called again anyway */
}

static void sse_append(sse_stream *s, const char *text, size_t n)
{
    if (s->closing) return;
    if (s->len - s->off + n > SSE_BUF_MAX) {
        /* A client this far behind reconnects and catches up from the ring. */
        s->closing = 1;
        s->off = s->len = 0;
        return;
    }
    if (s->off && s->len + n > s->cap) {
        memmove(s->buf, s->buf + s->off, s->len - s->off);
        s->len -= s->off;
        s->off = 0;
    }
    if (s->len + n > s->cap) {
        size_t cap = s->cap ? s->cap : 1024;
        while (cap < s->len + n) cap *= 2;
        char *b = realloc(s->buf, cap);
        if (!b) abort();
        s->buf = b;
        s->cap = cap;
    }
    memcpy(s->buf + s->len, text, n);
    s->len += n;
}

static int sse_matches(const sse_stream *s, const sse_target *to)
{
    if (to->user_id) return s->user_id == to->user_id;
    if (s->resident_id) return to->resident_id == s->resident_id;
    if (s->all_projects) return 1;
    for (size_t i = 0; i < s->nprojects; i++)
        if (s->projects[i] == to->project_id) return 1;
    return 0;
}

/* Whether the client has gone: only asked of a suspended stream, whose socket
 * libmicrohttpd is not using and cannot close meanwhile. */
static int sse_peer_gone(int fd)
{
    char c;
    if (fd < 0) return 0;
    ssize_t n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
    return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

/* The id series of this run, made on first use. */
static void sse_boot(void)
{
    if (!sse_hub.boot[0])
        snprintf(sse_hub.boot, sizeof sse_hub.boot, "%08x", (unsigned)randombytes_random());
}

/* A buffer for the connections to resume: room for every stream. */
static struct MHD_Connection **sse_conns(void)
{
    struct MHD_Connection **c = malloc(sizeof *c * (size_t)(sse_hub.count + 1));
    if (!c) abort();
    return c;
}

/* -- outside the lock ----------------------------------------------------- */

static void sse_resume(struct MHD_Connection **conns, size_t n)
{
    for (size_t i = 0; i < n; i++) MHD_resume_connection(conns[i]);
    if (!n) return;
    pthread_mutex_lock(&sse_hub.lock);
    sse_hub.pending -= (int)n;
    if (!sse_hub.pending) pthread_cond_broadcast(&sse_hub.cond);
    pthread_mutex_unlock(&sse_hub.lock);
}

/* The content reader: libmicrohttpd asks for the next bytes of the stream. */
static ssize_t sse_read(void *cls, uint64_t pos, char *out, size_t max)
{
    sse_stream *s = cls;
    (void)pos;
    pthread_mutex_lock(&sse_hub.lock);
    if (s->off < s->len) {
        size_t n = s->len - s->off < max ? s->len - s->off : max;
        memcpy(out, s->buf + s->off, n);
        s->off += n;
        if (s->off == s->len) s->off = s->len = 0;
        pthread_mutex_unlock(&sse_hub.lock);
        return (ssize_t)n;
    }
    if (s->closing) {
        pthread_mutex_unlock(&sse_hub.lock);
        return MHD_CONTENT_READER_END_OF_STREAM;
    }
    /* Nothing to send: give the thread back until a publisher resumes us. */
    s->state = SSE_SUSPENDING;
    s->wake_pending = 0;
    pthread_mutex_unlock(&sse_hub.lock);
    MHD_suspend_connection(s->conn);
    pthread_mutex_lock(&sse_hub.lock);
    int again = s->wake_pending;
    s->wake_pending = 0;
    s->state = again ? SSE_RUNNING : SSE_SUSPENDED;
    pthread_mutex_unlock(&sse_hub.lock);
    if (again) MHD_resume_connection(s->conn);
    return 0;
}

/* The response is gone: libmicrohttpd is done with the connection's stream. */
static void sse_free(void *cls)
{
    sse_stream *s = cls;
    pthread_mutex_lock(&sse_hub.lock);
    if (s->prev) s->prev->next = s->next;
    else if (sse_hub.head == s) sse_hub.head = s->next;
    if (s->next) s->next->prev = s->prev;
    sse_hub.count--;
    pthread_mutex_unlock(&sse_hub.lock);
    free(s->projects);
    free(s->buf);
    free(s);
}

/* Pings idle streams, ends old ones and those whose client has gone. */
static void *sse_pinger(void *arg)
{
    (void)arg;
    int64_t probed = clock_mono_us();
    pthread_mutex_lock(&sse_hub.lock);
    while (!sse_hub.stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&sse_hub.cond, &sse_hub.lock, &until);
        if (sse_hub.stopping) break;
        int64_t now = clock_mono_us();
        int probe = now - probed >= SSE_PROBE_SECONDS * 1000000LL;
        if (probe) probed = now;
        struct MHD_Connection **conns = sse_conns(), *c;
        size_t n = 0;
        for (sse_stream *s = sse_hub.head; s; s = s->next) {
            if (s->closing) continue;
            if (now - s->opened_us >= SSE_LIFETIME_SECONDS * 1000000LL ||
                (probe && s->state == SSE_SUSPENDED && sse_peer_gone(s->fd))) {
                s->closing = 1;
            } else if (now - s->pinged_us >= SSE_PING_SECONDS * 1000000LL) {
                sse_append(s, SSE_PING, sizeof SSE_PING - 1);
                s->pinged_us = now;
            } else {
                continue;
            }
            if ((c = sse_wake(s))) conns[n++] = c;
        }
        pthread_mutex_unlock(&sse_hub.lock);
        sse_resume(conns, n);
        free(conns);
        pthread_mutex_lock(&sse_hub.lock);
    }
    pthread_mutex_unlock(&sse_hub.lock);
    return NULL;
}

/* Under the lock: the events after last_event_id still in the ring, for s. */
static void sse_replay(sse_stream *s, const char *last)
{
    size_t bl = strlen(sse_hub.boot);
    if (!last || strncmp(last, sse_hub.boot, bl) != 0 || last[bl] != '-') return;
    char *end;
    errno = 0;
    unsigned long long seen = strtoull(last + bl + 1, &end, 10);
    if (errno || *end || end == last + bl + 1 || seen >= sse_hub.seq) return;
    uint64_t from = seen + 1;
    if (sse_hub.seq >= SSE_RING && from <= sse_hub.seq - SSE_RING) from = sse_hub.seq - SSE_RING + 1;
    for (uint64_t q = from; q <= sse_hub.seq; q++) {
        const sse_event *e = &sse_hub.ring[q % SSE_RING];
        if (e->seq == q && e->text && sse_matches(s, &e->to))
            sse_append(s, e->text, strlen(e->text));
    }
}

void sse_open(req *r, const sse_scope *scope, const char *last_event_id)
{
    sse_stream *s = calloc(1, sizeof *s);
    if (!s) abort();
    s->conn = r->conn;
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    s->fd = ci ? ci->connect_fd : -1;
    s->user_id = scope->user_id;
    s->resident_id = scope->resident_id;
    s->all_projects = scope->all_projects;
    if (scope->nprojects) {
        s->projects = malloc(sizeof(int64_t) * scope->nprojects);
        if (!s->projects) abort();
        memcpy(s->projects, scope->projects, sizeof(int64_t) * scope->nprojects);
        s->nprojects = scope->nprojects;
    }
    s->opened_us = s->pinged_us = clock_mono_us();
    sse_append(s, SSE_HELLO, sizeof SSE_HELLO - 1);

    int status = 0;
    struct MHD_Connection **conns = NULL, *c;
    size_t n = 0;
    pthread_mutex_lock(&sse_hub.lock);
    sse_boot();
    if (sse_hub.stopping || sse_hub.count >= SSE_MAX_STREAMS) status = 503;
    if (!status && !sse_hub.thread_started) {
        if (pthread_create(&sse_hub.thread, NULL, sse_pinger, NULL) == 0)
            sse_hub.thread_started = 1;
        else
            status = 503;
    }
    if (!status) {
        /* At the limit, streams whose client has gone (a reloaded tab) do not count. */
        int mine = 0;
        conns = sse_conns();
        for (sse_stream *o = sse_hub.head; o; o = o->next)
            if (o->user_id == s->user_id && !o->closing) mine++;
        for (sse_stream *o = sse_hub.head; o && mine >= SSE_MAX_PER_USER; o = o->next)
            if (o->user_id == s->user_id && !o->closing && o->state == SSE_SUSPENDED &&
                sse_peer_gone(o->fd)) {
                o->closing = 1;
                mine--;
                if ((c = sse_wake(o))) conns[n++] = c;
            }
        if (mine >= SSE_MAX_PER_USER) status = 429;
    }
    if (!status) {
        sse_replay(s, last_event_id);
        s->next = sse_hub.head;
        if (sse_hub.head) sse_hub.head->prev = s;
        sse_hub.head = s;
        sse_hub.count++;
    }
    pthread_mutex_unlock(&sse_hub.lock);
    sse_resume(conns, n);
    free(conns);
    if (status) {
        free(s->projects);
        free(s->buf);
        free(s);
        if (status == 429) {
            r->retry_after = "15";
            return reply_fail(r, AJ_ERATE, NULL, "实时连接过多（每个用户最多 %d 个）",
                              SSE_MAX_PER_USER);
        }
        r->retry_after = "5";
        return reply_fail(r, AJ_EBUSY, NULL, "实时推送暂不可用，请稍后重试");
    }
    /* From here the response owns the stream: sse_free unlinks it. */
    struct MHD_Response *resp =
        MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, sse_read, s, sse_free);
    if (!resp) abort();
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream; charset=utf-8");
    /* nginx would otherwise hold events back to fill its buffer. */
    MHD_add_response_header(resp, "X-Accel-Buffering", "no");
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = resp;
    r->status = 200;
}

/* Events this thread holds back (sse_hold), oldest first. */
typedef struct sse_held {
    struct sse_held *next;
    sse_target to;
    char *event, *data;
} sse_held;
static _Thread_local int sse_hold_depth;
static _Thread_local sse_held *sse_held_head, *sse_held_tail;

void sse_hold(void) { sse_hold_depth++; }

void sse_release(int committed)
{
    if (sse_hold_depth > 0 && --sse_hold_depth > 0) return;
    sse_held *h = sse_held_head;
    sse_held_head = sse_held_tail = NULL;
    while (h) {
        sse_held *next = h->next;
        if (committed) sse_publish(&h->to, h->event, h->data);
        free(h->event);
        free(h->data);
        free(h);
        h = next;
    }
}

void sse_publish(const sse_target *to, const char *event, const char *data_json)
{
    if (sse_hold_depth) {
        sse_held *h = calloc(1, sizeof *h);
        if (!h || !(h->event = strdup(event)) || !(h->data = strdup(data_json))) abort();
        h->to = *to;
        if (sse_held_tail) sse_held_tail->next = h;
        else sse_held_head = h;
        sse_held_tail = h;
        return;
    }
    pthread_mutex_lock(&sse_hub.lock);
    if (sse_hub.stopping) {
        pthread_mutex_unlock(&sse_hub.lock);
        return;
    }
    sse_boot();
    uint64_t seq = ++sse_hub.seq;
    size_t len = strlen(sse_hub.boot) + strlen(event) + strlen(data_json) + 64;
    char *text = malloc(len);
    if (!text) abort();
    int w = snprintf(text, len, "id: %s-%llu\nevent: %s\ndata: %s\n\n", sse_hub.boot,
                     (unsigned long long)seq, event, data_json);
    sse_event *slot = &sse_hub.ring[seq % SSE_RING];
    free(slot->text);
    *slot = (sse_event){.seq = seq, .to = *to, .text = text};
    struct MHD_Connection **conns = sse_conns(), *c;
    size_t n = 0;
    for (sse_stream *s = sse_hub.head; s; s = s->next)
        if (sse_matches(s, to)) {
            sse_append(s, text, (size_t)w);
            if ((c = sse_wake(s))) conns[n++] = c;
        }
    pthread_mutex_unlock(&sse_hub.lock);
    sse_resume(conns, n);
    free(conns);
}

/* A domain event (domain/core/live.h) as one line of compact JSON. */
static void sse_publish_live(const live_target *t, const char *type, const json_t *data)
{
    char *s = json_dumps(data, JSON_COMPACT);
    if (!s) return log_error("sse: cannot encode a %s event", type);
    sse_target to = {.user_id = t->user_id, .project_id = t->project_id,
                     .resident_id = t->resident_id};
    sse_publish(&to, type, s);
    free(s);
}

/* The domain announces through domain/core/live.h; this hub is its subscriber. */
static const live_sink sse_live = {sse_publish_live, sse_hold, sse_release};

void sse_subscribe(void) { live_subscribe(&sse_live); }

void sse_shutdown(void)
{
    pthread_mutex_lock(&sse_hub.lock);
    if (sse_hub.stopping) {
        pthread_mutex_unlock(&sse_hub.lock);
        return;
    }
    sse_hub.stopping = 1;
    struct MHD_Connection **conns = sse_conns(), *c;
    size_t n = 0;
    for (sse_stream *s = sse_hub.head; s; s = s->next) {
        s->closing = 1;
        if ((c = sse_wake(s))) conns[n++] = c;
    }
    int streams = sse_hub.count;
    pthread_cond_broadcast(&sse_hub.cond);
    pthread_mutex_unlock(&sse_hub.lock);
    if (streams) log_info("ending %d live streams", streams);
    sse_resume(conns, n);
    free(conns);
    if (sse_hub.thread_started) pthread_join(sse_hub.thread, NULL);
    /* A publisher may still be between claiming a resume and making it. */
    pthread_mutex_lock(&sse_hub.lock);
    while (sse_hub.pending) pthread_cond_wait(&sse_hub.cond, &sse_hub.lock);
    pthread_mutex_unlock(&sse_hub.lock);
}

int sse_count(void)
{
    pthread_mutex_lock(&sse_hub.lock);
    int n = sse_hub.count;
    pthread_mutex_unlock(&sse_hub.lock);
    return n;
}
