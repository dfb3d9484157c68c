/* tests/unit/test_base.c: arena, string builder, clock, config. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/config.h"
#include "base/error.h"
#include "base/phone.h"

Test(arena, allocates_zeroed_aligned_and_big)
{
    arena a;
    arena_init(&a, 64);
    for (int i = 0; i < 100; i++) {
        char *p = arena_alloc(&a, (size_t)i + 1);
        cr_assert_eq((uintptr_t)p % 16, 0);
        for (int k = 0; k <= i; k++) cr_assert_eq(p[k], 0);
        memset(p, 'x', (size_t)i + 1);
    }
    char *big = arena_alloc(&a, 100000);
    big[99999] = 1;
    cr_assert_str_eq(arena_printf(&a, "%s-%d", "项目", 7), "项目-7");
    cr_assert_str_eq(arena_strndup(&a, "abcdef", 3), "abc");
    cr_assert_null(arena_strdup(&a, NULL));
    arena_free(&a);
}

Test(buf, appends_and_escapes_json)
{
    buf b;
    buf_init(&b, NULL);
    buf_printf(&b, "%d:", 42);
    buf_json_str(&b, "a\"b\\c\n\x01中文");
    cr_assert_str_eq(b.s, "42:\"a\\\"b\\\\c\\n\\u0001中文\"");
    for (int i = 0; i < 1000; i++) buf_putc(&b, 'x');
    cr_assert_eq(b.len, strlen(b.s));
    buf_free(&b);
}

/* buf_json writes what json_dumps(JSON_COMPACT) would (reals with 15 digits),
 * and what it writes parses back to the same value. */
Test(buf, writes_json_values_like_jansson)
{
    json_t *v = json_pack("{s:s, s:I, s:I, s:b, s:n, s:[i, s, {}], s:f, s:f, s:s%}", "text",
                          "厨房\"漏水\"\\\n\t\x01 end", "big", (json_int_t)-9007199254740993LL,
                          "zero", (json_int_t)0, "yes", 1, "none", "list", 7, "二", "rate",
                          0.93, "whole", 2.0, "nul", "a\0b", (size_t)3);
    buf b;
    buf_init(&b, NULL);
    buf_json(&b, v);
    char *want = json_dumps(v, JSON_COMPACT);
    cr_assert_str_eq(b.s, "{\"text\":\"厨房\\\"漏水\\\"\\\\\\n\\t\\u0001 end\","
                          "\"big\":-9007199254740993,\"zero\":0,\"yes\":true,\"none\":null,"
                          "\"list\":[7,\"二\",{}],\"rate\":0.93,\"whole\":2.0,\"nul\":\"a\\u0000b\"}");
    json_t *back = json_loads(b.s, JSON_ALLOW_NUL, NULL);
    cr_assert(back && json_equal(back, v), "round trip: %s vs %s", b.s, want);
    free(want);
    json_decref(back);
    json_decref(v);
    buf_free(&b);
}

Test(clock, civil_days_round_trip)
{
    for (int64_t d = -800000; d < 800000; d += 37) {
        int y, m, dd;
        clock_civil_from_days(d, &y, &m, &dd);
        cr_assert_eq(clock_days_from_civil(y, m, dd), d);
    }
    cr_assert_eq(clock_days_from_civil(1970, 1, 1), 0);
    cr_assert_eq(clock_weekday(clock_days_from_civil(2026, 10, 1)), 4); /* Thursday */
    cr_assert_eq(clock_weekday(clock_days_from_civil(1969, 12, 28)), 0); /* Sunday */
}

Test(clock, rfc3339_parse_and_format)
{
    int64_t t;
    cr_assert_eq(clock_parse_rfc3339("2026-09-30T16:00:00+08:00", &t), 0);
    cr_assert_eq(t, 1790755200);
    char s[40];
    clock_format(t, 8 * 3600, s, sizeof s);
    cr_assert_str_eq(s, "2026-09-30T16:00:00+08:00");
    clock_format_utc(t, s, sizeof s);
    cr_assert_str_eq(s, "2026-09-30T08:00:00Z");
    int64_t u;
    cr_assert_eq(clock_parse_rfc3339("2026-09-30T08:00:00Z", &u), 0);
    cr_assert_eq(u, t);
    cr_assert_eq(clock_parse_rfc3339("2026-09-30T03:30:00.123-04:30", &u), 0);
    cr_assert_eq(u, t);
    clock_format(t, -(4 * 3600 + 1800), s, sizeof s);
    cr_assert_str_eq(s, "2026-09-30T03:30:00-04:30");
    /* junk is refused */
    const char *bad[] = {"", "2026-09-30", "2026-02-30T00:00:00Z", "2026-09-30T24:00:00Z",
                         "2026-09-30T16:00:00", "2026-09-30T16:00:00+8:00", "2026-09-30T16:00:00Zjunk",
                         "2026-13-01T00:00:00Z", "abcd-ef-ghTij:kl:mnZ", "2026-09-30T16:00:00+08:00x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_neq(clock_parse_rfc3339(bad[i], &u), 0, "accepted %s", bad[i]);
    /* leap day */
    cr_assert_eq(clock_parse_rfc3339("2028-02-29T00:00:00Z", &u), 0);
    cr_assert_neq(clock_parse_rfc3339("2027-02-29T00:00:00Z", &u), 0);
}

Test(clock, zones)
{
    int off;
    cr_assert_eq(clock_tz_offset("Asia/Shanghai", &off), 0);
    cr_assert_eq(off, 28800);
    cr_assert_eq(clock_tz_offset("UTC", &off), 0);
    cr_assert_eq(off, 0);
    cr_assert_neq(clock_tz_offset("Mars/Olympus", &off), 0);
}

Test(clock, dates)
{
    int64_t d;
    char s[16];
    cr_assert_eq(clock_parse_date("2026-10-10", &d), 0);
    clock_format_date(d, s, sizeof s);
    cr_assert_str_eq(s, "2026-10-10");
    cr_assert_neq(clock_parse_date("2026-10-32", &d), 0);
    cr_assert_neq(clock_parse_date("2026-1-10", &d), 0);
}

Test(config, flags_override_environment)
{
    setenv("ANJU_DB", "sqlite:/tmp/env.db", 1);
    setenv("ANJU_THREADS", "3", 1);
    config c;
    char *argv[] = {"serve", "--listen", "127.0.0.1:9", "--user", "x", "--threads", "5"};
    const char *rest[8];
    int n = 8;
    cr_assert_eq(config_load(&c, 7, argv, rest, &n), 0);
    cr_assert_str_eq(c.db_url, "sqlite:/tmp/env.db");
    cr_assert_str_eq(c.listen, "127.0.0.1:9");
    cr_assert_eq(c.threads, 5);
    cr_assert_eq(n, 3);
    cr_assert_str_eq(rest[0], "serve");
    cr_assert_str_eq(rest[1], "--user");
    char *bad[] = {"serve", "--db"};
    n = 8;
    cr_assert_neq(config_load(&c, 2, bad, rest, &n), 0);
}

Test(config, connection_and_body_limits)
{
    unsetenv("ANJU_PER_IP_CONNECTIONS");
    setenv("ANJU_HEADER_TIMEOUT", "7", 1);
    unsetenv("ANJU_BODY_MEMORY");
    config c;
    const char *rest[8];
    int n = 8;
    char *argv[] = {"serve", "--per-ip-connections", "32", "--body-memory", "16"};
    cr_assert_eq(config_load(&c, 5, argv, rest, &n), 0);
    cr_assert_eq(c.per_ip_connections, 32);
    cr_assert_eq(c.header_timeout, 7);
    cr_assert_eq(c.body_memory, 16);
    n = 8;
    cr_assert_eq(config_load(&c, 1, argv, rest, &n), 0);
    cr_assert_eq(c.per_ip_connections, 64);
    cr_assert_eq(c.body_memory, 64);
    char *bad[] = {"serve", "--header-timeout", "0"};
    n = 8;
    cr_assert_neq(config_load(&c, 3, bad, rest, &n), 0);
    unsetenv("ANJU_HEADER_TIMEOUT");
}

Test(error, codes_and_utf8_safe_truncation)
{
    aj_error e;
    cr_assert_eq(aj_fail(&e, AJ_EINVAL, "name", "x"), AJ_EINVAL);
    cr_assert_str_eq(aj_error_code(AJ_EINVAL), "validation_failed");
    cr_assert_eq(aj_error_status(AJ_ENOTFOUND), 404);
    cr_assert_eq(aj_error_status(AJ_ETOOLARGE), 413);
    cr_assert_eq(aj_error_status(AJ_EBADJSON), 400);
    char longmsg[600] = "";
    for (int i = 0; i < 100; i++) strcat(longmsg, "中");
    aj_fail(&e, AJ_EINVAL, NULL, "%s", longmsg);
    size_t n = strlen(e.message);
    cr_assert_eq(n % 3, 0, "a cut UTF-8 sequence was left: %zu bytes", n);
}

Test(phone, mainland_mobile_only)
{
    const char *good[] = {"13800000000", "19912345678", "15000000001"};
    const char *bad[] = {"", "1380000000", "138000000000", "12800000000", "23800000000",
                         "1380000000a", "+8613800000000", "138 0000 0000"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) cr_assert(phone_mobile_ok(good[i]), "%s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) cr_assert(!phone_mobile_ok(bad[i]), "%s", bad[i]);
    cr_assert(!phone_mobile_ok(NULL));
}
