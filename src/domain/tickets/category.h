/* domain/tickets/category.h: ticket categories (报事分类), a two-level tree such as
 * 水电/漏水, each with the skills dispatch looks for. */
#ifndef AJ_CATEGORY_H
#define AJ_CATEGORY_H
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "db/db.h"
#include "domain/core/core.h"

#define CATEGORY_MAX_SKILLS 10

typedef struct category {
    int64_t id, parent_id; /* parent_id 0: top level */
    const char *name, *path;
    const char **skills;
    size_t nskills;
    int sort;
    int active;
    int64_t created_at, updated_at;
} category;

typedef struct category_input {
    int64_t parent_id;
    int has_parent;
    const char *name;
    const char **skills;
    size_t nskills;
    int has_skills;
    int64_t sort;
    int has_sort;
    int active, has_active;
} category_input;

/* The whole tree in (parent sort, sort, id) order, parents before children.
 * Anyone logged in reads it (residents file tickets with it); inactive ones
 * only when include_inactive. */
int category_list(db *c, int include_inactive, arena *a, category **items, size_t *n,
                  aj_error *err);
int category_get(db *c, int64_t id, arena *a, category *out, aj_error *err);
/* An active category by its path ("水电" or "水电/漏水"); AJ_ENOTFOUND if none. */
int category_find(db *c, const char *path, arena *a, category *out, aj_error *err);
/* Admin only. A child's parent must be a top-level category; names are 1..32
 * bytes without '/'; a path is unique (409). Renaming a parent renames its
 * children's paths in the same transaction. */
int category_create(db *c, const actor *who, const category_input *in, arena *a, category *out,
                    aj_error *err);
int category_update(db *c, const actor *who, int64_t id, const category_input *in, arena *a,
                    category *out, aj_error *err);
/* The skills dispatch looks for: the category's own, else its parent's (none: any technician). */
int category_skills(db *c, int64_t id, arena *a, const char ***skills, size_t *n, aj_error *err);

#endif
