/* http/req.c: request accessors and the guards of api/ handlers (path ids,
 * query arguments, the JSON body, staff only). */
#include "http/req.h"

#include "base/buf.h"
#include "base/clock.h"

#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *req_param(req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (strcmp(r->pname[i], name) == 0) return r->pval[i];
    return NULL;
}

const char *req_query(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *req_header(req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

static int req_parse_int(const char *s, int64_t *out)
{
    if (!s || !*s) return -1;
    for (const char *p = s; *p; p++)
        if ((*p < '0' || *p > '9') && !(p == s && *p == '-')) return -1;
    errno = 0;
    char *end;
    long long v = strtoll(s, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

int req_path_id_or_reply(req *r, const char *name, int64_t *out)
{
    if (req_parse_int(req_param(r, name), out) == 0 && *out > 0) return 1;
    reply_fail(r, AJ_ENOTFOUND, NULL, "记录不存在");
    return 0;
}

int req_query_int_or_reply(req *r, const char *name, int64_t min, int64_t max, int64_t *out,
                           int *present)
{
    const char *s = req_query(r, name);
    if (present) *present = 0;
    if (!s) return 1;
    int64_t v;
    if (req_parse_int(s, &v) || v < min || v > max) {
        reply_fail(r, AJ_EINVAL, name, "%s 必须是 %lld 到 %lld 之间的整数", name, (long long)min,
                   (long long)max);
        return 0;
    }
    *out = v;
    if (present) *present = 1;
    return 1;
}

/* Strict UTF-8, as PostgreSQL checks it: no overlong forms, no surrogates,
 * nothing above U+10FFFF. */
static int req_utf8_valid(const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        unsigned c = *s++, cp, min;
        int more;
        if (c < 0x80) continue;
        if (c >= 0xC2 && c <= 0xDF) more = 1, cp = c & 0x1Fu, min = 0x80;
        else if (c >= 0xE0 && c <= 0xEF) more = 2, cp = c & 0x0Fu, min = 0x800;
        else if (c >= 0xF0 && c <= 0xF4) more = 3, cp = c & 0x07u, min = 0x10000;
        else return 0;
        for (; more; more--, s++) {
            if ((*s & 0xC0u) != 0x80u) return 0; /* the terminating NUL stops here too */
            cp = cp << 6 | (*s & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    }
    return 1;
}

int req_query_text_or_reply(req *r, const char *name, const char **out)
{
    const char *s = req_query(r, name);
    *out = NULL;
    if (s && !req_utf8_valid(s)) {
        reply_fail(r, AJ_EINVAL, name, "%s 须为有效的 UTF-8 文本", name);
        return 0;
    }
    *out = s;
    return 1;
}

int req_query_time_or_reply(req *r, const char *name, int64_t *out)
{
    const char *s = req_query(r, name);
    *out = 0;
    if (!s) return 1;
    int bad = clock_parse_rfc3339(s, out) != 0;
    size_t n = strlen(s);
    /* "...T16:00:00 08:00": the query decoder read the offset's bare '+' as
     * a space; only that position is taken back. */
    if (bad && n >= 20 && n <= 40 && s[n - 6] == ' ') {
        char *fixed = arena_strdup(&r->a, s);
        fixed[n - 6] = '+';
        bad = clock_parse_rfc3339(fixed, out) != 0;
    }
    if (bad || *out <= 0) {
        *out = 0;
        reply_fail(r, AJ_EINVAL, name, "%s 须为带时区的 RFC 3339 时间，如 2026-09-30T16:00:00+08:00",
                   name);
        return 0;
    }
    return 1;
}

/* "application/json", optionally "; charset=utf-8" (any case, spaces around
 * the parts); any other type, parameter or charset is not JSON to us. */
static int req_is_json_type(const char *t)
{
    static const char json[] = "application/json";
    if (!t) return 0;
    while (*t == ' ' || *t == '\t') t++;
    if (strncasecmp(t, json, sizeof json - 1) != 0) return 0;
    t += sizeof json - 1;
    while (*t == ' ' || *t == '\t') t++;
    if (!*t) return 1;
    if (*t++ != ';') return 0;
    while (*t == ' ' || *t == '\t') t++;
    if (strncasecmp(t, "charset=", 8) != 0) return 0;
    t += 8;
    int quoted = *t == '"';
    t += quoted;
    if (strncasecmp(t, "utf-8", 5) != 0) return 0;
    t += 5;
    if (quoted && *t++ != '"') return 0;
    while (*t == ' ' || *t == '\t') t++;
    return !*t;
}

json_t *req_json_or_reply(req *r)
{
    /* A browser sends a cross-site form (urlencoded, multipart, text/plain)
     * without a preflight, but never application/json: with the type
     * required, a foreign page cannot post a login or any other JSON body
     * (ASVS 4.0 V13.1.5: requests with an unexpected content type are
     * refused; V4.2.2 against CSRF). */
    if ((r->body_len || r->too_large) && !req_is_json_type(req_header(r, "Content-Type"))) {
        reply_fail(r, AJ_EMEDIA, NULL, "请求体须为 JSON（Content-Type: application/json）");
        return NULL;
    }
    if (r->too_large) {
        reply_fail(r, AJ_ETOOLARGE, NULL, "请求体过大");
        return NULL;
    }
    if (!r->body_len) {
        reply_fail(r, AJ_EBADJSON, NULL, "请求体为空，需要 JSON 对象");
        return NULL;
    }
    json_error_t e;
    /* jansson rejects invalid UTF-8, trailing garbage and integers that
     * do not fit 64 bits; duplicate keys are refused as ambiguous. */
    json_t *j = json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &e);
    if (!j) {
        reply_fail(r, AJ_EBADJSON, NULL, "JSON 无效：%s（第 %d 行第 %d 列）", e.text, e.line,
                   e.column);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        reply_fail(r, AJ_EBADJSON, NULL, "请求体必须是 JSON 对象");
        return NULL;
    }
    r->json = j;
    return j;
}

int req_parse_ids(const char *s, int64_t *out, size_t max, size_t *n)
{
    *n = 0;
    if (!s || !*s) return -1;
    for (const char *p = s;;) {
        int64_t v = 0;
        const char *start = p;
        for (; *p >= '0' && *p <= '9'; p++) {
            if (v > (INT64_MAX - (*p - '0')) / 10) return -1;
            v = v * 10 + (*p - '0');
        }
        if (p == start || v <= 0 || *n == max) return -1;
        out[(*n)++] = v;
        if (!*p) return 0;
        if (*p++ != ',') return -1;
    }
}

int req_query_ids_or_reply(req *r, const char *name, size_t max, int64_t **out, size_t *n)
{
    const char *s = req_query(r, name);
    *out = NULL;
    *n = 0;
    if (!s) return 1;
    int64_t *ids = arena_alloc(&r->a, (max ? max : 1) * sizeof *ids);
    if (req_parse_ids(s, ids, max, n)) {
        *n = 0;
        reply_fail(r, AJ_EINVAL, name, "%s 须为逗号分隔的正整数 id，最多 %zu 个", name, max);
        return 0;
    }
    *out = ids;
    return 1;
}

int req_staff_or_reply(req *r)
{
    if (actor_is_staff(&r->who)) return 1;
    reply_fail(r, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    return 0;
}
