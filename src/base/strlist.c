/* base/strlist.c: lists of strings and their stored JSON form. */
#include "base/strlist.h"

#include <stdlib.h>
#include <string.h>

int strlist_has(const char *const *set, const char *s)
{
    for (; *set; set++)
        if (strcmp(s, *set) == 0) return 1;
    return 0;
}

const char **strlist_decode(arena *a, const char *text, size_t *n)
{
    json_t *arr = json_loads(text, 0, NULL);
    size_t len = json_is_array(arr) ? json_array_size(arr) : 0;
    const char **out = arena_alloc(a, (len ? len : 1) * sizeof(char *));
    *n = 0;
    for (size_t i = 0; i < len; i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        if (s) out[(*n)++] = arena_strdup(a, s);
    }
    json_decref(arr);
    return out;
}

json_t *strlist_json(const char *const *s, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, json_string(s[i]));
    return arr;
}

char *strlist_encode(const char *const *s, size_t n)
{
    json_t *arr = strlist_json(s, n);
    char *text = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    if (!text) abort();
    return text;
}
