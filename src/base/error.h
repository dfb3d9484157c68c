/* base/error.h: the error every layer fills: a stable code, a field, a message. */
#ifndef AJ_ERROR_H
#define AJ_ERROR_H

enum {
    AJ_OK = 0,
    AJ_EINVAL = -1,     /* validation_failed 422 */
    AJ_ENOTFOUND = -2,  /* not_found 404 */
    AJ_ECONFLICT = -3,  /* conflict 409 */
    AJ_ETRANSITION = -4,/* invalid_transition 409 */
    AJ_EFORBIDDEN = -5, /* forbidden 403 */
    AJ_EAUTH = -6,      /* unauthenticated 401 */
    AJ_ERATE = -7,      /* rate_limited 429 */
    AJ_EDB = -8,        /* internal 500 */
    AJ_EBUSY = -9,      /* database busy: 503, try again */
    AJ_ETOOLARGE = -10, /* too_large 413 */
    AJ_EBADJSON = -11,  /* bad_json 400 */
    AJ_EMETHOD = -12,   /* method_not_allowed 405 */
    AJ_EMEDIA = -13,    /* unsupported_media_type 415 */
    AJ_EFULL = -14,     /* storage full (SQLITE_FULL, 53100, ENOSPC): unavailable 503 */
    AJ_EUPSTREAM = -15, /* a service we send through (SMS gateway, webhook) failed: unavailable 503 */
};

typedef struct aj_error {
    int rc;            /* one of the AJ_E* codes */
    char field[64];
    char message[256];
} aj_error;

/* Fill err and return rc, so callers write: return aj_fail(err, AJ_EINVAL, "name", "..."); */
int aj_fail(aj_error *err, int rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
const char *aj_error_code(int rc); /* "validation_failed", ... */
int aj_error_status(int rc);       /* HTTP status for rc */

#endif
