/* http/reply.c: the replies of api/ handlers: JSON (a tree or a buffer),
 * errors from an aj_error, raw bytes, files, empty bodies. */
#include "http/req.h"

#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"

void reply_raw(req *r, int status, const char *type, const char *body, size_t len)
{
    if (r->resp) MHD_destroy_response(r->resp);
    char *copy = malloc(len + 1);
    if (!copy) abort();
    memcpy(copy, body, len);
    r->resp = MHD_create_response_from_buffer(len, copy, MHD_RESPMEM_MUST_FREE);
    if (type) MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    r->status = status;
}

void reply_fd(req *r, int status, const char *type, int fd, uint64_t size)
{
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = MHD_create_response_from_fd(size, fd);
    if (!r->resp) abort();
    if (type) MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    r->status = status;
}

void reply_header(req *r, const char *name, const char *value)
{
    if (r->resp) MHD_add_response_header(r->resp, name, value);
}

void reply_json(req *r, int status, json_t *body)
{
    buf out;
    buf_init(&out, NULL);
    buf_json(&out, body);
    json_decref(body);
    reply_buf(r, status, &out);
}

void reply_buf(req *r, int status, buf *body)
{
    size_t n = body->len;
    char *s = buf_detach(body);
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = MHD_create_response_from_buffer(n, s, MHD_RESPMEM_MUST_FREE);
    MHD_add_response_header(r->resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "application/json; charset=utf-8");
    r->status = status;
}

void reply_error(req *r)
{
    int rc = r->err.rc ? r->err.rc : AJ_EDB;
    json_t *e = json_pack("{s:s, s:s}", "code", aj_error_code(rc), "message",
                          r->err.message[0] ? r->err.message : aj_error_code(rc));
    if (!e) /* a message that is not valid UTF-8 is a bug; still answer */
        e = json_pack("{s:s, s:s}", "code", aj_error_code(rc), "message", aj_error_code(rc));
    json_t *field = r->err.field[0] ? json_string(r->err.field) : NULL;
    if (field) json_object_set_new(e, "field", field);
    if (rc == AJ_EDB || rc == AJ_EBUSY || rc == AJ_EFULL || rc == AJ_EUPSTREAM)
        json_object_set_new(e, "request_id", json_string(r->request_id));
    /* Busy is worth retrying at once; nothing else here is. */
    if (rc == AJ_EBUSY && !r->retry_after) r->retry_after = "1";
    reply_json(r, aj_error_status(rc), json_pack("{s:o}", "error", e));
}

void reply_fail(req *r, int rc, const char *field, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    aj_fail(&r->err, rc, field, "%s", msg);
    reply_error(r);
}

void reply_status(req *r, int status)
{
    if (r->resp) MHD_destroy_response(r->resp);
    r->resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    r->status = status;
}
