/* base/webclient.h: outgoing HTTP requests (libcurl): the SMS gateways, webhooks. */
#ifndef AJ_WEBCLIENT_H
#define AJ_WEBCLIENT_H
#include <stddef.h>

#include "base/buf.h"
#include "base/error.h"

/* The longest a request may take, connect included: it runs on a request
 * thread, so a gateway that hangs costs a worker this long and no longer. */
#define WEBCLIENT_TIMEOUT_MS 5000

typedef struct webclient_reply {
    long status; /* the HTTP status; 0 when no answer came */
    buf body;    /* the answer's body, NUL-terminated (on the arena given) */
} webclient_reply;

/* Sends method to url with the headers (NULL-terminated "Name: value" list)
 * and body (NULL: none). Any HTTP answer is a success (check out->status); no
 * answer — refused, timed out, a bad URL — fails with AJ_EUPSTREAM. */
int webclient_send(const char *method, const char *url, const char *const *headers,
                   const char *body, size_t len, arena *a, webclient_reply *out, aj_error *err);

/* RFC 3986 percent-encoding of s (all but A-Za-z0-9-._~), on the arena. */
const char *webclient_escape(arena *a, const char *s);

/* "host[:port]" of url, on the arena ("" when url has none). */
const char *webclient_host(arena *a, const char *url);

#endif
