/* http/multipart.h: a bounds-checked multipart/form-data parser (RFC 7578) over a
 * body already in memory. Parts point into the body; nothing is allocated. */
#ifndef AJ_MULTIPART_H
#define AJ_MULTIPART_H
#include <stddef.h>

#define MULTIPART_BOUNDARY_MAX 70 /* RFC 2046 */
#define MULTIPART_NAME_MAX 64
#define MULTIPART_FILENAME_MAX 256
#define MULTIPART_TYPE_MAX 128
#define MULTIPART_HEADERS_MAX 8192 /* bytes of one part's header block */

typedef struct multipart_part {
    char name[MULTIPART_NAME_MAX];         /* the form field; never empty */
    char filename[MULTIPART_FILENAME_MAX]; /* informational only; may be truncated */
    int has_filename;
    char type[MULTIPART_TYPE_MAX]; /* the part's Content-Type as sent; "" if none */
    const char *data;              /* into the body */
    size_t len;
} multipart_part;

enum {
    MULTIPART_OK = 0,
    MULTIPART_ENOTFORM = -1,   /* Content-Type is not multipart/form-data with a boundary */
    MULTIPART_EMALFORMED = -2, /* the body does not follow the format */
    MULTIPART_ETOOMANY = -3,   /* more parts than the caller allows */
};

/* Copies the boundary of a "multipart/form-data; boundary=…" Content-Type
 * into out (MULTIPART_BOUNDARY_MAX + 1 bytes). 0, or MULTIPART_ENOTFORM. */
int multipart_boundary(const char *content_type, char *out);

/* Splits body into at most max parts. Returns MULTIPART_OK and *n, or a
 * negative MULTIPART_E* with *why set to a short reason (Chinese, for the
 * error message). Any bytes are safe input: nothing is read outside
 * [body, body+len), and a missing closing delimiter is an error, so a
 * truncated upload is never taken for a complete one. */
int multipart_parse(const char *body, size_t len, const char *content_type, multipart_part *parts,
                    size_t max, size_t *n, const char **why);

/* The first part named name, or NULL; *count (if not NULL) says how many have it. */
const multipart_part *multipart_find(const multipart_part *parts, size_t n, const char *name,
                                     size_t *count);

#endif
