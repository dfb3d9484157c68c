/* http/req.h: one HTTP request as the api/ handlers see it (req.c), and the
 * reply helpers (reply.c).
 * Guards named *_or_reply answer the request themselves when they fail, so a
 * handler is a chain of early returns. */
#ifndef AJ_REQ_H
#define AJ_REQ_H
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/config.h"
#include "base/error.h"
#include "db/db.h"
#include "domain/core/core.h"

struct MHD_Connection;
struct MHD_Response;
struct route;

#define REQ_MAX_PARAMS 6

typedef struct req {
    arena a;
    struct MHD_Connection *conn;
    const char *method;
    const char *path;
    char request_id[20];
    const char *ip;
    int64_t t0_us;

    char *body;
    size_t body_len, body_cap, body_limit;
    int too_large;

    const struct route *route;
    int nparams;
    const char *pname[REQ_MAX_PARAMS];
    const char *pval[REQ_MAX_PARAMS];

    const config *cfg;   /* the server's settings (data dir, threads...) */
    db *db;
    actor who;           /* role ROLE_NONE when not logged in */
    const char *session_hash;
    json_t *json; /* the parsed body, owned by the request */
    aj_error err;

    /* the reply */
    int status;
    struct MHD_Response *resp;
    const char *set_cookie;
    const char *retry_after;
} req;

const char *req_param(req *r, const char *name);   /* path parameter */
const char *req_query(req *r, const char *name);   /* query-string argument */
const char *req_header(req *r, const char *name);

/* 404 unless the path parameter is a positive integer id. */
int req_path_id_or_reply(req *r, const char *name, int64_t *out);
/* The body as a JSON object: 415 unsupported_media_type unless Content-Type is
 * application/json (optionally "; charset=utf-8"), 400 bad_json (invalid JSON,
 * invalid UTF-8, not an object) or 413 too_large, replied. NULL then. The request owns the object
 * (freed with it), so handlers never decref it. */
json_t *req_json_or_reply(req *r);
/* Integer query argument in [min,max]; absent leaves *out and *present = 0.
 * 422 with field on junk. */
int req_query_int_or_reply(req *r, const char *name, int64_t min, int64_t max, int64_t *out,
                           int *present);
/* A text query argument (a search or a filter): NULL when absent; 422 with
 * field = name unless it is valid UTF-8 (the query string, unlike a JSON body,
 * is not checked on the way in, and PostgreSQL refuses invalid text). No
 * length cap here: each list keeps its own (the ticket search: 100 bytes). */
int req_query_text_or_reply(req *r, const char *name, const char **out);
/* An RFC 3339 query time with its offset; 0 when absent. A '+' of the offset
 * sent unescaped arrives as a space and is read as the '+'. 422 with field =
 * name on junk and on times not after 1970. */
int req_query_time_or_reply(req *r, const char *name, int64_t *out);
/* A list of ids, "3,17,42": each a positive integer, at most max of them, no
 * empty item; parsed into out (room for max). 0 and *n, or -1 on junk (no
 * arena, no request: the fuzz target fuzz_ids calls it as is). */
int req_parse_ids(const char *s, int64_t *out, size_t max, size_t *n);
/* The same as a query argument, copied to the arena: *out NULL and *n 0 when
 * absent; 422 with field = name on junk, an empty list or more than max. */
int req_query_ids_or_reply(req *r, const char *name, size_t max, int64_t **out, size_t *n);
/* Staff only (403 for residents). */
int req_staff_or_reply(req *r);

void reply_json(req *r, int status, json_t *body); /* steals body */
/* A JSON body already written into a heap buf (buf_init(b, NULL)); takes it. */
void reply_buf(req *r, int status, buf *body);
void reply_error(req *r);                          /* from r->err */
void reply_fail(req *r, int rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void reply_status(req *r, int status); /* empty body, e.g. 204 */
void reply_raw(req *r, int status, const char *type, const char *body, size_t len);
/* Streams size bytes of the open file fd (the response takes and closes it). */
void reply_fd(req *r, int status, const char *type, int fd, uint64_t size);
/* Adds a header to the reply already made (e.g. Cache-Control); no-op without one. */
void reply_header(req *r, const char *name, const char *value);

#endif
