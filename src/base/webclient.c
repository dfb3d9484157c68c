/* base/webclient.c: outgoing HTTP requests through libcurl, one easy handle per request
 * (a handful a minute: one-time codes, webhooks; no pool is worth its locking). */
#include "base/webclient.h"

#include <curl/curl.h>
#include <pthread.h>
#include <string.h>

static pthread_once_t webclient_once = PTHREAD_ONCE_INIT;

/* curl_global_init is not thread-safe on every build: once, before the first handle. */
static void webclient_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

/* The answer grows on the arena, bounded: a gateway's reply is a few hundred bytes,
 * and a misbehaving one must not fill the memory. */
#define WEBCLIENT_MAX_REPLY (256 * 1024)

static size_t webclient_write(char *p, size_t size, size_t n, void *user)
{
    buf *b = user;
    size_t len = size * n;
    if (b->len + len > WEBCLIENT_MAX_REPLY) return 0; /* curl fails with CURLE_WRITE_ERROR */
    buf_append(b, p, len);
    return len;
}

/* Where url's "host[:port]" starts, and its length. */
static const char *webclient_host_span(const char *url, size_t *n)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    *n = strcspn(p, "/?#");
    return p;
}

int webclient_send(const char *method, const char *url, const char *const *headers,
                   const char *body, size_t len, arena *a, webclient_reply *out, aj_error *err)
{
    pthread_once(&webclient_once, webclient_init);
    out->status = 0;
    buf_init(&out->body, a);
    buf_puts(&out->body, "");
    CURL *h = curl_easy_init();
    if (!h) return aj_fail(err, AJ_EUPSTREAM, NULL, "cannot start an HTTP request");
    struct curl_slist *hl = NULL;
    for (const char *const *p = headers; p && *p; p++) hl = curl_slist_append(hl, *p);
    hl = curl_slist_append(hl, "Expect:"); /* no 100-continue round trip for small bodies */
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for DNS timeouts */
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)WEBCLIENT_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)WEBCLIENT_TIMEOUT_MS / 2);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, webclient_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &out->body);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "anju");
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    CURLcode rc = curl_easy_perform(h);
    if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
    /* The host only: a query can carry what the log must not (a one-time code). */
    if (rc != CURLE_OK) {
        size_t n;
        const char *host = webclient_host_span(url, &n);
        return aj_fail(err, AJ_EUPSTREAM, NULL, "%s %.*s: %s", method, (int)n, host,
                       curl_easy_strerror(rc));
    }
    return 0;
}

const char *webclient_escape(arena *a, const char *s)
{
    pthread_once(&webclient_once, webclient_init);
    char *e = curl_easy_escape(NULL, s, 0);
    if (!e) return "";
    const char *r = arena_strdup(a, e);
    curl_free(e);
    return r;
}

const char *webclient_host(arena *a, const char *url)
{
    size_t n;
    const char *p = webclient_host_span(url, &n);
    return arena_strndup(a, p, n);
}
