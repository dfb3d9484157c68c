/* base/strlist.h: lists of strings: membership in a fixed set, and the JSON
 * text arrays the schema stores them as (tags, skills). */
#ifndef AJ_STRLIST_H
#define AJ_STRLIST_H
#include <jansson.h>
#include <stddef.h>

#include "base/arena.h"

/* 1 when s is one of the NULL-terminated set. */
int strlist_has(const char *const *set, const char *s);
/* A stored JSON text array into arena strings (non-strings are skipped). */
const char **strlist_decode(arena *a, const char *text, size_t *n);
json_t *strlist_json(const char *const *s, size_t n);
/* The stored text of a list (malloc'd; the caller frees it). */
char *strlist_encode(const char *const *s, size_t n);

#endif
