/* base/buf.c: growable string builder. */
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(buf *b, arena *a)
{
    b->s = NULL;
    b->len = b->cap = 0;
    b->a = a;
}

static void buf_grow(buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1) cap *= 2;
    char *p;
    if (b->a) {
        p = arena_alloc(b->a, cap);
        if (b->len) memcpy(p, b->s, b->len);
    } else {
        p = realloc(b->s, cap);
        if (!p) abort();
    }
    b->s = p;
    b->cap = cap;
}

void buf_reserve(buf *b, size_t n) { buf_grow(b, n); }

void buf_append(buf *b, const char *s, size_t n)
{
    buf_grow(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

void buf_puts(buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_putc(buf *b, char c) { buf_append(b, &c, 1); }

void buf_printf(buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        buf_grow(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

/* Appends n bytes of s as a quoted JSON string: runs of plain bytes are
 * copied at once; only quotes, backslashes and control bytes are escaped
 * (the text is UTF-8 already: jansson and the database hold nothing else). */
static void buf_json_strn(buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    buf_grow(b, n + 2);
    buf_putc(b, '"');
    const unsigned char *p = (const unsigned char *)s, *end = p + n, *run = p;
    for (; p < end; p++) {
        unsigned char c = *p;
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        buf_append(b, (const char *)run, (size_t)(p - run));
        run = p + 1;
        switch (c) {
        case '"': buf_append(b, "\\\"", 2); break;
        case '\\': buf_append(b, "\\\\", 2); break;
        case '\n': buf_append(b, "\\n", 2); break;
        case '\r': buf_append(b, "\\r", 2); break;
        case '\t': buf_append(b, "\\t", 2); break;
        default: {
            char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            buf_append(b, e, 6);
        }
        }
    }
    buf_append(b, (const char *)run, (size_t)(p - run));
    buf_putc(b, '"');
}

void buf_json_str(buf *b, const char *s) { buf_json_strn(b, s, strlen(s)); }

static void buf_json_int(buf *b, json_int_t v)
{
    char tmp[24], *p = tmp + sizeof tmp;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do *--p = (char)('0' + u % 10); while (u /= 10);
    if (v < 0) *--p = '-';
    buf_append(b, p, (size_t)(tmp + sizeof tmp - p));
}

void buf_jkey(buf *b, const char *key)
{
    /* Keys are the program's own identifiers: nothing to escape. */
    size_t n = strlen(key);
    buf_grow(b, n + 4);
    char *p = b->s + b->len;
    if (b->len && p[-1] != '{' && p[-1] != '[') *p++ = ',';
    *p++ = '"';
    memcpy(p, key, n);
    p += n;
    *p++ = '"';
    *p++ = ':';
    *p = 0;
    b->len = (size_t)(p - b->s);
}

void buf_jint(buf *b, const char *key, int64_t v)
{
    buf_jkey(b, key);
    buf_json_int(b, (json_int_t)v);
}

void buf_jstr(buf *b, const char *key, const char *s)
{
    buf_jkey(b, key);
    if (s) buf_json_str(b, s);
    else buf_append(b, "null", 4);
}

void buf_jbool(buf *b, const char *key, int v)
{
    buf_jkey(b, key);
    if (v) buf_append(b, "true", 4);
    else buf_append(b, "false", 5);
}

void buf_jnull(buf *b, const char *key)
{
    buf_jkey(b, key);
    buf_append(b, "null", 4);
}

void buf_json(buf *b, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        const char *key;
        json_t *val;
        int first = 1;
        buf_putc(b, '{');
        json_object_foreach((json_t *)v, key, val) {
            if (!first) buf_putc(b, ',');
            first = 0;
            buf_json_str(b, key);
            buf_putc(b, ':');
            buf_json(b, val);
        }
        buf_putc(b, '}');
        break;
    }
    case JSON_ARRAY: {
        buf_putc(b, '[');
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i) buf_putc(b, ',');
            buf_json(b, json_array_get(v, i));
        }
        buf_putc(b, ']');
        break;
    }
    case JSON_STRING: buf_json_strn(b, json_string_value(v), json_string_length(v)); break;
    case JSON_INTEGER: buf_json_int(b, json_integer_value(v)); break;
    case JSON_REAL: {
        /* 15 significant digits: rates print as 0.93, not 0.93000000000000005. */
        char tmp[40];
        int n = snprintf(tmp, sizeof tmp, "%.15g", json_real_value(v));
        buf_append(b, tmp, (size_t)n);
        if (!strpbrk(tmp, ".eEn")) buf_append(b, ".0", 2);
        break;
    }
    case JSON_TRUE: buf_append(b, "true", 4); break;
    case JSON_FALSE: buf_append(b, "false", 5); break;
    default: buf_append(b, "null", 4); break;
    }
}

char *buf_detach(buf *b)
{
    if (!b->s) buf_grow(b, 0), b->s[0] = 0;
    char *s = b->s;
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void buf_free(buf *b)
{
    if (!b->a) free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}
