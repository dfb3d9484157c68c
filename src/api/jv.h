/* api/jv.h: typed reads of JSON body fields; a wrong type or a broken rule is
 * 422 validation_failed naming the field. Each returns 0 or AJ_EINVAL. */
#ifndef AJ_JV_H
#define AJ_JV_H
#include <jansson.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/error.h"

enum { JV_OPTIONAL = 0, JV_REQUIRED = 1 };

/* A string of 1..maxlen bytes (after trimming spaces); *out NULL when absent
 * and optional. JSON null counts as absent. */
int jv_str(json_t *o, const char *key, int required, size_t maxlen, const char **out,
           aj_error *err);
/* An integer in [min,max]; *present tells whether it was given. */
int jv_int(json_t *o, const char *key, int required, int64_t min, int64_t max, int64_t *out,
           int *present, aj_error *err);
int jv_num(json_t *o, const char *key, int required, double min, double max, double *out,
           int *present, aj_error *err);
int jv_bool(json_t *o, const char *key, int required, int *out, int *present, aj_error *err);
/* An array of positive integers (at most max), copied to the arena. */
int jv_ids(json_t *o, const char *key, int required, size_t max, arena *a, int64_t **out,
           size_t *n, int *present, aj_error *err);
/* An array of strings (each 1..maxlen, at most max), copied to the arena. */
int jv_strs(json_t *o, const char *key, int required, size_t max, size_t maxlen, arena *a,
            const char ***out, size_t *n, int *present, aj_error *err);
/* An RFC 3339 time with its offset (clock_parse_rfc3339), after 1970; *out 0
 * when absent and optional. */
int jv_time(json_t *o, const char *key, int required, int64_t *out, aj_error *err);
/* 422 for any key not in the NULL-terminated list: a typo is not silently ignored. */
int jv_only(json_t *o, const char *const *keys, aj_error *err);

#endif
