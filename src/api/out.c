/* api/out.c: shared pieces of JSON replies. Cursors are opaque to clients:
 * base64url of the last id seen. */
#include "api/out.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"

json_t *out_time(int64_t t, int offset)
{
    if (!t) return json_null();
    char s[40];
    clock_format(t, offset, s, sizeof s);
    return json_string(s);
}

json_t *out_str(const char *s) { return s ? json_string(s) : json_null(); }

void out_jtime(buf *b, const char *key, int64_t t, int offset)
{
    if (!t) return buf_jnull(b, key);
    char s[40];
    clock_format(t, offset, s, sizeof s);
    buf_jstr(b, key, s);
}

int out_project_tz(req *r, int64_t project_id)
{
    project p;
    aj_error err = {0};
    if (project_get(r->db, &r->who, project_id, &r->a, &p, &err)) return CLOCK_TZ_DEFAULT;
    return project_tz_offset(&p);
}

static int out_cursor_decode(const char *s, int64_t *after)
{
    unsigned char raw[32];
    size_t len;
    if (strlen(s) > 40 ||
        sodium_base642bin(raw, sizeof raw - 1, s, strlen(s), NULL, &len, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return -1;
    raw[len] = 0;
    char *end;
    if (len < 2 || raw[0] != 'i') return -1;
    long long v = strtoll((const char *)raw + 1, &end, 10);
    if (*end || v < 0) return -1;
    *after = v;
    return 0;
}

int out_page_or_reply(req *r, page_req *pg)
{
    int64_t limit = 50;
    pg->after = 0;
    pg->want_total = 0;
    if (!req_query_int_or_reply(r, "limit", 1, 200, &limit, NULL)) return 0;
    pg->limit = (int)limit;
    const char *cur, *wt;
    if (!req_query_text_or_reply(r, "cursor", &cur) ||
        !req_query_text_or_reply(r, "with_total", &wt))
        return 0;
    if (cur && *cur && out_cursor_decode(cur, &pg->after)) {
        reply_fail(r, AJ_EINVAL, "cursor", "cursor 无效");
        return 0;
    }
    if (wt && strcmp(wt, "1") && strcmp(wt, "true") && strcmp(wt, "0") && strcmp(wt, "false")) {
        reply_fail(r, AJ_EINVAL, "with_total", "with_total 须为 0 或 1");
        return 0;
    }
    pg->want_total = wt && (strcmp(wt, "1") == 0 || strcmp(wt, "true") == 0);
    return 1;
}

/* The cursor after last_id (base64url, no padding). */
static void out_cursor_encode(int64_t last_id, char enc[48])
{
    char raw[32];
    int n = snprintf(raw, sizeof raw, "i%lld", (long long)last_id);
    sodium_bin2base64(enc, 48, (const unsigned char *)raw, (size_t)n,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

json_t *out_page_json(json_t *items, int more, int64_t last_id)
{
    json_t *o = json_object();
    char enc[48];
    json_object_set_new(o, "items", items);
    if (more) out_cursor_encode(last_id, enc);
    json_object_set_new(o, "next_cursor", more ? json_string(enc) : json_null());
    return o;
}

void out_page_reply_buf(req *r, buf *items, int more, int64_t last_id, const page_req *pg,
                        int64_t total)
{
    buf out;
    char enc[48];
    buf_init(&out, NULL);
    buf_append(&out, "{\"items\":", 9);
    buf_append(&out, items->s ? items->s : "[]", items->s ? items->len : 2);
    buf_free(items);
    if (more) out_cursor_encode(last_id, enc);
    buf_jstr(&out, "next_cursor", more ? enc : NULL);
    if (pg->want_total) buf_jint(&out, "total", total);
    buf_putc(&out, '}');
    reply_buf(r, 200, &out);
}

void out_page_reply(req *r, json_t *items, int more, int64_t last_id, const page_req *pg,
                    int64_t total)
{
    json_t *o = out_page_json(items, more, last_id);
    if (pg->want_total) json_object_set_new(o, "total", json_integer(total));
    reply_json(r, 200, o);
}

int out_active_or_reply(req *r, int *active)
{
    const char *s;
    *active = -1;
    if (!req_query_text_or_reply(r, "active", &s)) return 0;
    if (!s) return 1;
    if (!strcmp(s, "1") || !strcmp(s, "true")) *active = 1;
    else if (!strcmp(s, "0") || !strcmp(s, "false")) *active = 0;
    else {
        reply_fail(r, AJ_EINVAL, "active", "active 须为 0 或 1");
        return 0;
    }
    return 1;
}

/* The address a label's QR opens: --public-url, else the Host the caller
 * reached us at (names, addresses and a port only), else the listen address. */
const char *out_public_base(req *r)
{
    const char *pub = r->cfg ? r->cfg->public_url : NULL;
    if (pub && *pub) {
        size_t n = strlen(pub);
        while (n && pub[n - 1] == '/') n--;
        return arena_strndup(&r->a, pub, n);
    }
    const char *host = req_header(r, "Host");
    size_t n = host ? strlen(host) : 0;
    if (n && n <= 255 &&
        strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") == n)
        return arena_printf(&r->a, "http://%s", host);
    return arena_printf(&r->a, "http://%s", r->cfg && r->cfg->listen ? r->cfg->listen : "localhost");
}

int out_project_day_or_reply(req *r, const char *key, int64_t *project_id, int64_t *days,
                             int *offset)
{
    int present = 0;
    const char *day = NULL;
    *project_id = 0;
    if (!req_query_int_or_reply(r, "project_id", 1, INT64_MAX, project_id, &present) ||
        !req_query_text_or_reply(r, key, &day))
        return 0;
    if (!present) {
        aj_fail(&r->err, AJ_EINVAL, "project_id", "缺少必填参数 project_id");
        reply_error(r);
        return 0;
    }
    *offset = out_project_tz(r, *project_id);
    if (day && clock_parse_date(day, days)) {
        aj_fail(&r->err, AJ_EINVAL, key, "%s 须为 YYYY-MM-DD", key);
        reply_error(r);
        return 0;
    }
    if (!day) *days = (clock_now() + *offset) / 86400;
    return 1;
}

int out_project_month_or_reply(req *r, int64_t *project_id, int64_t *from, int64_t *to,
                               char month[8])
{
    int present = 0;
    const char *m = NULL;
    *project_id = 0;
    if (!req_query_int_or_reply(r, "project_id", 1, INT64_MAX, project_id, &present) ||
        !req_query_text_or_reply(r, "month", &m))
        return 0;
    if (!present) {
        aj_fail(&r->err, AJ_EINVAL, "project_id", "缺少必填参数 project_id");
        reply_error(r);
        return 0;
    }
    int off = out_project_tz(r, *project_id);
    if (!m) {
        char day[16];
        clock_format_date((clock_now() + off) / 86400, day, sizeof day);
        memcpy(month, day, 7);
        month[7] = 0;
    } else if (strlen(m) == 7) {
        memcpy(month, m, 8);
    }
    if ((m && strlen(m) != 7) || clock_month_range(month, off, from, to)) {
        aj_fail(&r->err, AJ_EINVAL, "month", "month 须为 YYYY-MM");
        reply_error(r);
        return 0;
    }
    return 1;
}
