/* domain/quality/standard.h: the service-standards catalogue (服务标准库, standard.c):
 * per department function, items with a requirement, how they are checked, a score weight
 * and the service levels they apply to; each change a new version; published per project
 * by its service level. */
#ifndef AJ_STANDARD_H
#define AJ_STANDARD_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "domain/core/core.h"

#define STANDARD_MAX_LIST 1000 /* the whole catalogue in one answer */

/* The departments a standard belongs to (department functions, NULL-terminated). */
extern const char *const standard_departments[];

typedef struct standard {
    int64_t id;
    const char *department, *code, *item, *requirement, *method;
    int64_t weight, version;
    int levels; /* bit 1 << level for levels 1..3 */
    int active;
    int64_t created_at, updated_at;
} standard;

typedef struct standard_input {
    const char *department, *code, *item, *requirement, *method;
    int64_t weight;
    int has_weight;
    int levels, has_levels; /* levels: as in standard */
    int active, has_active;
} standard_input;

typedef struct standard_filter {
    const char *department; /* a function, or its word (工程, 工程部…); NULL: any */
    int level;              /* 1..3; 0: any */
    int active;             /* -1: any */
    const char *q;          /* part of the code or the item */
} standard_filter;

/* The function a department word names: a function key, the short word (客服, 工程, 秩序,
 * 保洁, 绿化, 品质) or the usual department name (工程部…); NULL when none. */
const char *standard_department_of(const char *word);

/* Staff read; admin and quality (品质) create and change. 422 with the field: an unknown
 * department, code missing or over 20 bytes (409 when taken), item 1–100 bytes,
 * requirement 1–1000, method up to 1000, weight 1–100, levels not a non-empty subset of
 * 1–3. A change that alters anything but active is a new version (the old kept). */
int standard_list(db *c, const actor *who, const standard_filter *f, arena *a,
                  standard **items, size_t *n, aj_error *err);
int standard_get(db *c, const actor *who, int64_t id, arena *a, standard *out, aj_error *err);
int standard_create(db *c, const actor *who, const standard_input *in, arena *a, standard *out,
                    aj_error *err);
int standard_update(db *c, const actor *who, int64_t id, const standard_input *in, arena *a,
                    standard *out, aj_error *err);
/* No login: the active standards for the service level of the project with this code
 * (AJ_ENOTFOUND for an unknown or closed project), by department and code; *level set. */
int standard_public(db *c, const char *project_code, arena *a, standard **items, size_t *n,
                    int *level, const char **project_name, aj_error *err);

#endif
