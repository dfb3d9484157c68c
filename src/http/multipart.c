/* http/multipart.c: multipart/form-data parsing (RFC 7578, RFC 2046) of an
 * in-memory body. The body is attacker input: every read is checked against
 * its length, and anything the format does not allow is refused, not guessed. */
#include "http/multipart.h"

#include <string.h>
#include <strings.h>

typedef struct multipart_span {
    const char *p;
    size_t len;
} multipart_span;

/* Sets the reason and returns rc, so a refusal is one line. */
static int multipart_fail(const char **why, const char *reason, int rc)
{
    *why = reason;
    return rc;
}

static int multipart_is_ows(char c) { return c == ' ' || c == '\t'; }

/* RFC 7230 tchar: what a parameter name may hold. */
static int multipart_is_tchar(unsigned char c)
{
    if (c >= '0' && c <= '9') return 1;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return 1;
    return c && strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

/* RFC 2046 bchars: what a boundary may hold (a space only inside). */
static int multipart_is_bchar(unsigned char c)
{
    if (c >= '0' && c <= '9') return 1;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') return 1;
    return c && strchr("'()+_,-./:=? ", c) != NULL;
}

static void multipart_trim(multipart_span *s)
{
    while (s->len && multipart_is_ows(s->p[0])) s->p++, s->len--;
    while (s->len && multipart_is_ows(s->p[s->len - 1])) s->len--;
}

static int multipart_span_ieq(multipart_span s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && strncasecmp(s.p, lit, n) == 0;
}

/* Whether s begins with the media type or disposition word `word`, followed by
 * its end, a space or ';'. *rest is what follows the word. */
static int multipart_starts_with_word(multipart_span s, const char *word, multipart_span *rest)
{
    size_t n = strlen(word);
    if (s.len < n || strncasecmp(s.p, word, n) != 0) return 0;
    if (s.len > n && s.p[n] != ';' && !multipart_is_ows(s.p[n])) return 0;
    rest->p = s.p + n;
    rest->len = s.len - n;
    return 1;
}

/* Scans the "; key=value" parameters in s and copies the value of `key` (case-
 * insensitive) into out. Values are tokens or quoted strings with backslash
 * escapes. Returns 1 found, 0 absent, -1 on a syntax error or a repeated key.
 * *trunc tells whether the value did not fit in out. */
static int multipart_param(multipart_span s, const char *key, char *out, size_t outsz, int *trunc)
{
    size_t i = 0;
    int found = 0;
    *trunc = 0;
    if (outsz) out[0] = 0;
    for (;;) {
        while (i < s.len && multipart_is_ows(s.p[i])) i++;
        if (i == s.len) return found;
        if (s.p[i] != ';') return -1;
        i++;
        while (i < s.len && multipart_is_ows(s.p[i])) i++;
        if (i == s.len) return found; /* a trailing ';' is harmless */
        size_t k0 = i;
        while (i < s.len && multipart_is_tchar((unsigned char)s.p[i])) i++;
        multipart_span k = {s.p + k0, i - k0};
        if (!k.len || i == s.len || s.p[i] != '=') return -1;
        i++;
        int match = multipart_span_ieq(k, key);
        if (match && found) return -1; /* two values for one key: ambiguous */
        size_t o = 0;
        if (i < s.len && s.p[i] == '"') {
            i++;
            for (;;) {
                if (i == s.len) return -1; /* unterminated */
                unsigned char c = (unsigned char)s.p[i++];
                if (c == '"') break;
                if (c == '\\') {
                    if (i == s.len) return -1;
                    c = (unsigned char)s.p[i++];
                }
                if (c == 0 || c == '\r' || c == '\n') return -1;
                if (match) {
                    if (o + 1 < outsz)
                        out[o++] = (char)c;
                    else
                        *trunc = 1;
                }
            }
        } else {
            size_t v0 = i;
            while (i < s.len && s.p[i] != ';' && !multipart_is_ows(s.p[i])) {
                unsigned char c = (unsigned char)s.p[i];
                if (c < 0x21 || c == '"' || c == 0x7f) return -1;
                i++;
            }
            if (i == v0) return -1;
            if (match)
                for (size_t j = v0; j < i; j++) {
                    if (o + 1 < outsz)
                        out[o++] = s.p[j];
                    else
                        *trunc = 1;
                }
        }
        if (match) {
            found = 1;
            if (outsz) out[o] = 0;
        }
    }
}

int multipart_boundary(const char *content_type, char *out)
{
    out[0] = 0;
    if (!content_type) return MULTIPART_ENOTFORM;
    multipart_span ct = {content_type, strlen(content_type)}, rest;
    multipart_trim(&ct);
    if (!multipart_starts_with_word(ct, "multipart/form-data", &rest)) return MULTIPART_ENOTFORM;
    int trunc;
    if (multipart_param(rest, "boundary", out, MULTIPART_BOUNDARY_MAX + 1, &trunc) != 1 || trunc) {
        out[0] = 0;
        return MULTIPART_ENOTFORM;
    }
    size_t n = strlen(out);
    for (size_t i = 0; i < n; i++)
        if (!multipart_is_bchar((unsigned char)out[i])) n = 0;
    if (n == 0 || out[n - 1] == ' ') {
        out[0] = 0;
        return MULTIPART_ENOTFORM;
    }
    return MULTIPART_OK;
}

/* Fills part from its header block: a Content-Disposition of form-data with a
 * name is required; Content-Type is kept as sent; other headers are ignored. */
static int multipart_headers(multipart_span h, multipart_part *part, const char **why)
{
    int have_cd = 0, have_ct = 0;
    size_t i = 0;
    while (i < h.len) {
        const char *eol = memmem(h.p + i, h.len - i, "\r\n", 2);
        size_t end = eol ? (size_t)(eol - h.p) : h.len;
        multipart_span line = {h.p + i, end - i};
        i = eol ? end + 2 : h.len;
        const char *colon = memchr(line.p, ':', line.len);
        if (!colon || colon == line.p)
            return multipart_fail(why, "分段头格式错误", MULTIPART_EMALFORMED);
        multipart_span name = {line.p, (size_t)(colon - line.p)};
        multipart_span value = {colon + 1, line.len - name.len - 1};
        multipart_trim(&value);
        for (size_t k = 0; k < value.len; k++)
            if (value.p[k] == 0 || value.p[k] == '\r' || value.p[k] == '\n')
                return multipart_fail(why, "分段头含非法字符", MULTIPART_EMALFORMED);
        if (multipart_span_ieq(name, "Content-Disposition")) {
            multipart_span rest;
            int trunc;
            if (have_cd++)
                return multipart_fail(why, "分段头 Content-Disposition 重复", MULTIPART_EMALFORMED);
            if (!multipart_starts_with_word(value, "form-data", &rest))
                return multipart_fail(why, "分段须为 form-data", MULTIPART_EMALFORMED);
            int rc = multipart_param(rest, "name", part->name, sizeof part->name, &trunc);
            if (rc < 0)
                return multipart_fail(why, "Content-Disposition 参数格式错误",
                                      MULTIPART_EMALFORMED);
            if (rc == 0 || !part->name[0] || trunc)
                return multipart_fail(why, "分段缺少字段名或字段名过长", MULTIPART_EMALFORMED);
            rc = multipart_param(rest, "filename", part->filename, sizeof part->filename, &trunc);
            if (rc < 0)
                return multipart_fail(why, "Content-Disposition 参数格式错误",
                                      MULTIPART_EMALFORMED);
            part->has_filename = rc == 1;
        } else if (multipart_span_ieq(name, "Content-Type")) {
            if (have_ct++)
                return multipart_fail(why, "分段头 Content-Type 重复", MULTIPART_EMALFORMED);
            size_t n = value.len < sizeof part->type - 1 ? value.len : sizeof part->type - 1;
            memcpy(part->type, value.p, n);
            part->type[n] = 0;
        }
    }
    if (!have_cd) return multipart_fail(why, "分段缺少 Content-Disposition", MULTIPART_EMALFORMED);
    return MULTIPART_OK;
}

int multipart_parse(const char *body, size_t len, const char *content_type, multipart_part *parts,
                    size_t max, size_t *n, const char **why)
{
    char boundary[MULTIPART_BOUNDARY_MAX + 1];
    char delim[MULTIPART_BOUNDARY_MAX + 5]; /* "\r\n--" boundary */
    *n = 0;
    *why = "";
    if (multipart_boundary(content_type, boundary))
        return multipart_fail(why, "Content-Type 须为 multipart/form-data 且带 boundary",
                              MULTIPART_ENOTFORM);
    size_t blen = strlen(boundary);
    memcpy(delim, "\r\n--", 4);
    memcpy(delim + 4, boundary, blen);
    size_t dlen = blen + 4;
    if (!body) len = 0;

    /* The first delimiter may open the body or follow a preamble (ignored). */
    size_t pos;
    if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0) {
        pos = dlen - 2;
    } else {
        const char *d = len ? memmem(body, len, delim, dlen) : NULL;
        if (!d) return multipart_fail(why, "找不到分隔符", MULTIPART_EMALFORMED);
        pos = (size_t)(d - body) + dlen;
    }
    for (;;) {
        /* pos is just past a delimiter: "--" closes, else padding and CRLF. */
        if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-') return MULTIPART_OK;
        while (pos < len && multipart_is_ows(body[pos])) pos++;
        if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n')
            return multipart_fail(why, "分隔符后须换行", MULTIPART_EMALFORMED);
        pos += 2;
        if (*n == max) return multipart_fail(why, "分段过多", MULTIPART_ETOOMANY);
        multipart_part *part = &parts[*n];
        memset(part, 0, sizeof *part);

        multipart_span h = {body + pos, 0};
        if (len - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
            pos += 2; /* no headers at all: refused below for want of a name */
        } else {
            size_t limit = len - pos < MULTIPART_HEADERS_MAX ? len - pos : MULTIPART_HEADERS_MAX;
            const char *e = memmem(body + pos, limit, "\r\n\r\n", 4);
            if (!e) return multipart_fail(why, "分段头未结束或过长", MULTIPART_EMALFORMED);
            h.len = (size_t)(e - (body + pos));
            pos = (size_t)(e - body) + 4;
        }
        int rc = multipart_headers(h, part, why);
        if (rc) return rc;

        const char *d = memmem(body + pos, len - pos, delim, dlen);
        if (!d) return multipart_fail(why, "找不到结束分隔符（上传不完整）", MULTIPART_EMALFORMED);
        part->data = body + pos;
        part->len = (size_t)(d - (body + pos));
        pos = (size_t)(d - body) + dlen;
        (*n)++;
    }
}

const multipart_part *multipart_find(const multipart_part *parts, size_t n, const char *name,
                                     size_t *count)
{
    const multipart_part *first = NULL;
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(parts[i].name, name) == 0) {
            if (!first) first = &parts[i];
            c++;
        }
    if (count) *count = c;
    return first;
}
