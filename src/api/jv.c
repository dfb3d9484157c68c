/* api/jv.c: typed reads of JSON body fields. */
#include "api/jv.h"

#include "base/clock.h"

#include <math.h>
#include <string.h>

static json_t *jv_get(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_null(v) ? NULL : v;
}

static int jv_missing(const char *key, aj_error *err)
{
    return aj_fail(err, AJ_EINVAL, key, "缺少必填字段 %s", key);
}

int jv_str(json_t *o, const char *key, int required, size_t maxlen, const char **out,
           aj_error *err)
{
    json_t *v = jv_get(o, key);
    *out = NULL;
    if (!v) return required ? jv_missing(key, err) : 0;
    if (!json_is_string(v)) return aj_fail(err, AJ_EINVAL, key, "%s 必须是字符串", key);
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n) return aj_fail(err, AJ_EINVAL, key, "%s 不能包含 NUL 字符", key);
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    if (i == n) return aj_fail(err, AJ_EINVAL, key, "%s 不能为空", key);
    if (n > maxlen) return aj_fail(err, AJ_EINVAL, key, "%s 过长（最多 %zu 字节）", key, maxlen);
    *out = s;
    return 0;
}

int jv_int(json_t *o, const char *key, int required, int64_t min, int64_t max, int64_t *out,
           int *present, aj_error *err)
{
    json_t *v = jv_get(o, key);
    if (present) *present = 0;
    if (!v) return required ? jv_missing(key, err) : 0;
    if (!json_is_integer(v)) return aj_fail(err, AJ_EINVAL, key, "%s 必须是整数", key);
    json_int_t x = json_integer_value(v);
    if (x < min || x > max)
        return aj_fail(err, AJ_EINVAL, key, "%s 必须在 %lld 到 %lld 之间", key, (long long)min,
                       (long long)max);
    *out = x;
    if (present) *present = 1;
    return 0;
}

int jv_num(json_t *o, const char *key, int required, double min, double max, double *out,
           int *present, aj_error *err)
{
    json_t *v = jv_get(o, key);
    if (present) *present = 0;
    if (!v) return required ? jv_missing(key, err) : 0;
    if (!json_is_number(v)) return aj_fail(err, AJ_EINVAL, key, "%s 必须是数字", key);
    double x = json_number_value(v);
    if (!isfinite(x) || x < min || x > max)
        return aj_fail(err, AJ_EINVAL, key, "%s 必须在 %g 到 %g 之间", key, min, max);
    *out = x;
    if (present) *present = 1;
    return 0;
}

int jv_bool(json_t *o, const char *key, int required, int *out, int *present, aj_error *err)
{
    json_t *v = jv_get(o, key);
    if (present) *present = 0;
    if (!v) return required ? jv_missing(key, err) : 0;
    if (!json_is_boolean(v)) return aj_fail(err, AJ_EINVAL, key, "%s 必须是 true 或 false", key);
    *out = json_is_true(v);
    if (present) *present = 1;
    return 0;
}

int jv_ids(json_t *o, const char *key, int required, size_t max, arena *a, int64_t **out,
           size_t *n, int *present, aj_error *err)
{
    json_t *v = jv_get(o, key);
    *n = 0;
    *out = NULL;
    if (present) *present = 0;
    if (!v) return required ? jv_missing(key, err) : 0;
    if (!json_is_array(v)) return aj_fail(err, AJ_EINVAL, key, "%s 必须是整数数组", key);
    size_t len = json_array_size(v);
    if (len > max) return aj_fail(err, AJ_EINVAL, key, "%s 最多 %zu 项", key, max);
    *out = arena_alloc(a, (len ? len : 1) * sizeof(int64_t));
    for (size_t i = 0; i < len; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_integer(e) || json_integer_value(e) <= 0)
            return aj_fail(err, AJ_EINVAL, key, "%s 必须是正整数数组", key);
        int64_t id = json_integer_value(e);
        for (size_t k = 0; k < *n; k++)
            if ((*out)[k] == id) return aj_fail(err, AJ_EINVAL, key, "%s 有重复项", key);
        (*out)[(*n)++] = id;
    }
    if (present) *present = 1;
    return 0;
}

int jv_strs(json_t *o, const char *key, int required, size_t max, size_t maxlen, arena *a,
            const char ***out, size_t *n, int *present, aj_error *err)
{
    json_t *v = jv_get(o, key);
    *n = 0;
    *out = NULL;
    if (present) *present = 0;
    if (!v) return required ? jv_missing(key, err) : 0;
    if (!json_is_array(v)) return aj_fail(err, AJ_EINVAL, key, "%s 必须是字符串数组", key);
    size_t len = json_array_size(v);
    if (len > max) return aj_fail(err, AJ_EINVAL, key, "%s 最多 %zu 项", key, max);
    *out = arena_alloc(a, (len ? len : 1) * sizeof(char *));
    for (size_t i = 0; i < len; i++) {
        json_t *e = json_array_get(v, i);
        if (!json_is_string(e) || json_string_length(e) == 0 || json_string_length(e) > maxlen ||
            strlen(json_string_value(e)) != json_string_length(e))
            return aj_fail(err, AJ_EINVAL, key, "%s 的每一项必须是 1 到 %zu 字节的字符串", key,
                           maxlen);
        (*out)[(*n)++] = arena_strdup(a, json_string_value(e));
    }
    if (present) *present = 1;
    return 0;
}

int jv_time(json_t *o, const char *key, int required, int64_t *out, aj_error *err)
{
    const char *s;
    *out = 0;
    if (jv_str(o, key, required, 40, &s, err)) return err->rc;
    if (s && clock_parse_rfc3339(s, out))
        return aj_fail(err, AJ_EINVAL, key, "%s 须为带时区的 RFC 3339 时间", key);
    if (s && *out <= 0) return aj_fail(err, AJ_EINVAL, key, "%s 超出范围", key);
    return 0;
}

int jv_only(json_t *o, const char *const *keys, aj_error *err)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int ok = 0;
        for (const char *const *p = keys; *p; p++)
            if (strcmp(*p, k) == 0) ok = 1;
        if (!ok) return aj_fail(err, AJ_EINVAL, strlen(k) < sizeof err->field ? k : "", "未知字段");
    }
    return 0;
}
