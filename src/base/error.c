/* base/error.c: error codes, their names and HTTP statuses. */
#include "base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int aj_fail(aj_error *err, int rc, const char *field, const char *fmt, ...)
{
    if (!err) return rc;
    err->rc = rc;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof err->message) {
        /* Truncated: drop a cut-off UTF-8 sequence so the message stays valid. */
        size_t len = strlen(err->message), i = len;
        while (i > 0 && ((unsigned char)err->message[i - 1] & 0xC0) == 0x80) i--;
        if (i > 0 && ((unsigned char)err->message[i - 1] & 0x80)) err->message[i - 1] = 0;
        (void)len;
    }
    return rc;
}

const char *aj_error_code(int rc)
{
    switch (rc) {
    case AJ_EINVAL: return "validation_failed";
    case AJ_ENOTFOUND: return "not_found";
    case AJ_ECONFLICT: return "conflict";
    case AJ_ETRANSITION: return "invalid_transition";
    case AJ_EFORBIDDEN: return "forbidden";
    case AJ_EAUTH: return "unauthenticated";
    case AJ_ERATE: return "rate_limited";
    case AJ_ETOOLARGE: return "too_large";
    case AJ_EBADJSON: return "bad_json";
    case AJ_EMETHOD: return "method_not_allowed";
    case AJ_EMEDIA: return "unsupported_media_type";
    case AJ_EBUSY:
    case AJ_EFULL:
    case AJ_EUPSTREAM: return "unavailable";
    default: return "internal";
    }
}

int aj_error_status(int rc)
{
    switch (rc) {
    case AJ_EINVAL: return 422;
    case AJ_ENOTFOUND: return 404;
    case AJ_ECONFLICT:
    case AJ_ETRANSITION: return 409;
    case AJ_EFORBIDDEN: return 403;
    case AJ_EAUTH: return 401;
    case AJ_ERATE: return 429;
    case AJ_EBUSY:
    case AJ_EFULL:
    case AJ_EUPSTREAM: return 503;
    case AJ_ETOOLARGE: return 413;
    case AJ_EBADJSON: return 400;
    case AJ_EMETHOD: return 405;
    case AJ_EMEDIA: return 415;
    default: return 500;
    }
}
