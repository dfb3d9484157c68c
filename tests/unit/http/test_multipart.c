/* tests/unit/test_multipart.c: the multipart/form-data parser: the forms clients
 * send, and the broken, truncated and hostile bodies it must refuse safely. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/multipart.h"

#define CT "multipart/form-data; boundary=XyZ"
#define MAXP 8

static multipart_part mp_parts[MAXP];
static size_t mp_n;
static const char *mp_why;

static int parse(const char *body, size_t len, const char *ct)
{
    /* A heap copy of exactly len bytes, so a read past the end is caught under ASan. */
    char *copy = malloc(len ? len : 1);
    memcpy(copy, body, len);
    int rc = multipart_parse(copy, len, ct, mp_parts, MAXP, &mp_n, &mp_why);
    /* parts point into the body: keep them valid by re-pointing into the original */
    for (size_t i = 0; rc == 0 && i < mp_n; i++)
        mp_parts[i].data = body + (mp_parts[i].data - copy);
    free(copy);
    return rc;
}

static int parse_s(const char *body) { return parse(body, strlen(body), CT); }

Test(multipart, boundary_forms)
{
    char b[MULTIPART_BOUNDARY_MAX + 1];
    cr_assert_eq(multipart_boundary("multipart/form-data; boundary=abc", b), 0);
    cr_assert_str_eq(b, "abc");
    cr_assert_eq(multipart_boundary("  Multipart/Form-Data ;BOUNDARY=\"a b:c\" ; charset=utf-8", b),
                 0);
    cr_assert_str_eq(b, "a b:c");
    cr_assert_eq(
        multipart_boundary(
            "multipart/form-data; charset=utf-8; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
            b),
        0);
    cr_assert_str_eq(b, "----WebKitFormBoundary7MA4YWxkTrZu0gW");
    cr_assert_eq(multipart_boundary("multipart/form-data; boundary=\"q\\\"\"", b),
                 MULTIPART_ENOTFORM, "a quote is not a boundary character");
    char seventy[128] = "multipart/form-data; boundary=";
    memset(seventy + strlen(seventy), 'a', 70);
    cr_assert_eq(multipart_boundary(seventy, b), 0);
    cr_assert_eq(strlen(b), 70);
    strcat(seventy, "a");
    cr_assert_eq(multipart_boundary(seventy, b), MULTIPART_ENOTFORM, "71 characters");

    const char *bad[] = {
        NULL,
        "",
        "application/json",
        "multipart/form-data",
        "multipart/form-data;",
        "multipart/form-data; boundary=",
        "multipart/form-data; boundary=\"\"",
        "multipart/form-data; boundary=\"abc",
        "multipart/form-data; boundary=\"abc \"",
        "multipart/form-data; boundary=a; boundary=b",
        "multipart/form-datax; boundary=a",
        "multipart/mixed; boundary=a",
        "multipart/form-data boundary=a",
        "multipart/form-data; boundary=a\x01",
        "multipart/form-data; =a",
        "multipart/form-data; boundary=a{b}",
        "multipart/form-data; boundary=\"a\\",
        "text/plain; boundary=a",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(multipart_boundary(bad[i], b), MULTIPART_ENOTFORM, "%s",
                     bad[i] ? bad[i] : "(null)");
}

Test(multipart, parses_fields_and_files)
{
    const char body[] =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"project_id\"\r\n"
        "\r\n"
        "12\r\n"
        "--XyZ\r\n"
        "content-disposition: FORM-DATA; name=file; filename=\"照片 \\\"1\\\".jpg\"\r\n"
        "Content-Type:  image/jpeg \r\n"
        "X-Other: ignored\r\n"
        "\r\n"
        "a\r\nb--XyZ\r\n--XyZz\r\n--Xy\0c\r\n"
        "--XyZ--\r\n"
        "epilogue";
    size_t len = sizeof body - 1;
    /* the content above holds a near-delimiter: "--XyZz" is not preceded by CRLF--XyZ + CRLF */
    int rc = parse(body, len, CT);
    /* "\r\n--XyZz" *is* a delimiter followed by junk, which the format forbids */
    cr_assert_eq(rc, MULTIPART_EMALFORMED, "%s", mp_why);

    const char ok[] =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"project_id\"\r\n"
        "\r\n"
        "12\r\n"
        "--XyZ\r\n"
        "content-disposition: FORM-DATA; name=file; filename=\"照片 \\\"1\\\".jpg\"\r\n"
        "Content-Type:  image/jpeg \r\n"
        "X-Other: ignored\r\n"
        "\r\n"
        "a\r\nb--XyZ\r\n-XyZ\r\n--Xy\0c\r\n"
        "--XyZ--\r\n"
        "epilogue";
    rc = parse(ok, sizeof ok - 1, CT);
    cr_assert_eq(rc, 0, "%s", mp_why);
    cr_assert_eq(mp_n, 2);
    cr_assert_str_eq(mp_parts[0].name, "project_id");
    cr_assert_not(mp_parts[0].has_filename);
    cr_assert_eq(mp_parts[0].len, 2);
    cr_assert_eq(memcmp(mp_parts[0].data, "12", 2), 0);
    cr_assert_str_eq(mp_parts[0].type, "");
    cr_assert_str_eq(mp_parts[1].name, "file");
    cr_assert(mp_parts[1].has_filename);
    cr_assert_str_eq(mp_parts[1].filename, "照片 \"1\".jpg");
    cr_assert_str_eq(mp_parts[1].type, "image/jpeg");
    const char content[] = "a\r\nb--XyZ\r\n-XyZ\r\n--Xy\0c";
    cr_assert_eq(mp_parts[1].len, sizeof content - 1);
    cr_assert_eq(memcmp(mp_parts[1].data, content, sizeof content - 1), 0);

    size_t count;
    cr_assert_eq(multipart_find(mp_parts, mp_n, "file", &count), &mp_parts[1]);
    cr_assert_eq(count, 1);
    cr_assert_null(multipart_find(mp_parts, mp_n, "nope", &count));
    cr_assert_eq(count, 0);
}

Test(multipart, preamble_padding_and_empty_parts)
{
    const char body[] = "this is a preamble\r\n--XyZ \t\r\n"
                        "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
                        "\r\n--XyZ\r\n"
                        "Content-Disposition: form-data; name=\"b\"; filename=\"\"\r\n\r\n"
                        "x\r\n--XyZ--";
    cr_assert_eq(parse_s(body), 0, "%s", mp_why);
    cr_assert_eq(mp_n, 2);
    cr_assert_eq(mp_parts[0].len, 0);
    cr_assert(mp_parts[1].has_filename);
    cr_assert_str_eq(mp_parts[1].filename, "");
    cr_assert_eq(mp_parts[1].len, 1);
    /* a close delimiter right away: a valid form with no fields */
    cr_assert_eq(parse_s("--XyZ--\r\n"), 0);
    cr_assert_eq(mp_n, 0);
}

Test(multipart, long_names)
{
    char body[2048], name[100];
    memset(name, 'n', 63);
    name[63] = 0;
    snprintf(body, sizeof body,
             "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"; "
             "filename=\"%0400d\"\r\n\r\nv\r\n--XyZ--",
             name, 7);
    cr_assert_eq(parse_s(body), 0, "%s", mp_why);
    cr_assert_str_eq(mp_parts[0].name, name);
    cr_assert_eq(strlen(mp_parts[0].filename), MULTIPART_FILENAME_MAX - 1,
                 "truncated, not refused");
    name[63] = 'n';
    name[64] = 0;
    snprintf(body, sizeof body,
             "--XyZ\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\nv\r\n--XyZ--", name);
    cr_assert_eq(parse_s(body), MULTIPART_EMALFORMED, "a field name over 63 bytes");
}

Test(multipart, refuses_malformed_bodies)
{
    const char *bad[] = {
        "",
        "no delimiter",
        "--XyZ",
        "--XyZ\r\n",
        "--XyZx\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ-",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\nv\n--XyZ--",
        "--XyZ\nContent-Disposition: form-data; name=a\n\nv\n--XyZ--",
        "--XyZ\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Type: text/plain\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\" x\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a; filename=x; "
        "filename=y\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-datax; name=a\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; "
        "name=b\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Type: a\r\nContent-Type: "
        "b\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\nno colon here\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\n: empty name\r\nContent-Disposition: form-data; name=a\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a\rb\r\n\r\nv\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = parse_s(bad[i]);
        cr_assert_eq(rc, MULTIPART_EMALFORMED, "case %zu: rc %d", i, rc);
        cr_assert(mp_why && *mp_why, "a reason is given");
    }
    /* NUL inside a header value (a C string would stop there) */
    const char nul[] = "--XyZ\r\nContent-Disposition: form-data; name=a\0b\r\n\r\nv\r\n--XyZ--";
    cr_assert_eq(parse(nul, sizeof nul - 1, CT), MULTIPART_EMALFORMED);
    cr_assert_eq(multipart_parse(NULL, 0, CT, mp_parts, MAXP, &mp_n, &mp_why),
                 MULTIPART_EMALFORMED);
    cr_assert_eq(parse_s("--XyZ--"), 0);
    cr_assert_eq(parse("--XyZ--", 7, "application/json"), MULTIPART_ENOTFORM);
}

Test(multipart, header_block_limit)
{
    size_t n = MULTIPART_HEADERS_MAX + 200;
    char *body = malloc(n + 100);
    strcpy(body, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX: ");
    size_t l = strlen(body);
    memset(body + l, 'y', n - l);
    strcpy(body + n, "\r\n\r\nv\r\n--XyZ--");
    cr_assert_eq(parse_s(body), MULTIPART_EMALFORMED);
    free(body);
}

Test(multipart, too_many_parts)
{
    char body[4096] = "";
    for (int i = 0; i < MAXP + 1; i++)
        snprintf(body + strlen(body), sizeof body - strlen(body),
                 "--XyZ\r\nContent-Disposition: form-data; name=f%d\r\n\r\n%d\r\n", i, i);
    strcat(body, "--XyZ--");
    cr_assert_eq(parse_s(body), MULTIPART_ETOOMANY);
    cr_assert_eq(mp_n, MAXP);
}

/* Every proper prefix of a valid body is an incomplete upload and refused. */
Test(multipart, every_truncation_is_refused)
{
    const char body[] = "--XyZ\r\n"
                        "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                        "Content-Type: image/png\r\n\r\n"
                        "\x89PNG\r\n\x1a\n\r\n-\r\n--X\r\n"
                        "--XyZ\r\n"
                        "Content-Disposition: form-data; name=\"project_id\"\r\n\r\n"
                        "3\r\n"
                        "--XyZ--";
    size_t len = sizeof body - 1;
    cr_assert_eq(parse(body, len, CT), 0, "%s", mp_why);
    cr_assert_eq(mp_n, 2);
    for (size_t cut = 0; cut < len; cut++)
        cr_assert_neq(parse(body, cut, CT), 0, "prefix of %zu bytes accepted", cut);
}

/* Random mutations of a valid body: any result, but never a read out of bounds
 * (run under ASan in the sanitizer build) and parts always inside the body. */
Test(multipart, random_mutations_stay_in_bounds)
{
    const char seed[] = "--XyZ\r\n"
                        "Content-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
                        "Content-Type: image/png\r\n\r\n"
                        "\x89PNG\r\n\r\n--XyZ\r\n"
                        "Content-Disposition: form-data; name=\"project_id\"\r\n\r\n"
                        "3\r\n--XyZ--\r\n";
    unsigned s = 12345;
    char buf[256];
    for (int iter = 0; iter < 20000; iter++) {
        size_t len = sizeof seed - 1;
        memcpy(buf, seed, len);
        int edits = 1 + (int)((s = s * 1103515245u + 12345u) >> 16) % 6;
        for (int e = 0; e < edits; e++) {
            s = s * 1103515245u + 12345u;
            size_t at = (s >> 8) % len;
            switch ((s >> 4) % 4) {
            case 0:
                buf[at] = (char)(s >> 20);
                break;
            case 1:
                len = at;
                break;
            case 2:
                buf[at] = "\r\n-\"; =:"[(s >> 12) % 8];
                break;
            default:
                if (len < sizeof buf) {
                    memmove(buf + at + 1, buf + at, len - at);
                    len++;
                    buf[at] = '-';
                }
            }
            if (!len) break;
        }
        char *copy = malloc(len ? len : 1);
        memcpy(copy, buf, len);
        size_t n;
        const char *why;
        int rc = multipart_parse(copy, len, CT, mp_parts, MAXP, &n, &why);
        if (rc == 0)
            for (size_t i = 0; i < n; i++) {
                cr_assert(mp_parts[i].data >= copy &&
                          mp_parts[i].data + mp_parts[i].len <= copy + len);
                cr_assert(mp_parts[i].name[0]);
            }
        else
            cr_assert(why && *why);
        free(copy);
    }
}
