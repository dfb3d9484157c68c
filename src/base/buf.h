/* base/buf.h: growable string builder on the heap (buf_free) or on an arena. */
#ifndef AJ_BUF_H
#define AJ_BUF_H
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "base/arena.h"

typedef struct buf {
    char *s;
    size_t len, cap;
    arena *a; /* NULL: heap */
} buf;

void buf_init(buf *b, arena *a);
/* Room for n more bytes now: a writer that knows its usual size skips the doublings. */
void buf_reserve(buf *b, size_t n);
void buf_append(buf *b, const char *s, size_t n);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_json_str(buf *b, const char *s); /* appends s as a quoted JSON string */
/* Appends v as compact JSON, keys in insertion order (the replies' writer:
 * several times faster than json_dumps on the hot read paths). */
void buf_json(buf *b, const json_t *v);
/* An object written field by field, without a json_t tree (the hot replies:
 * a ticket, a page of tickets). Open with buf_putc(b, '{'), close with '}';
 * each field writes its ',' unless it is the first of its object or array.
 * Keys are written as they are (plain identifiers); a NULL string is null. */
void buf_jkey(buf *b, const char *key);
void buf_jint(buf *b, const char *key, int64_t v);
void buf_jstr(buf *b, const char *key, const char *s);
void buf_jbool(buf *b, const char *key, int v);
void buf_jnull(buf *b, const char *key);
char *buf_detach(buf *b);                  /* NUL-terminated; heap bufs: caller frees */
void buf_free(buf *b);

#endif
