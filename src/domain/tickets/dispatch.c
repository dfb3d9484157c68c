/* domain/tickets/dispatch.c: who gets a work order: staff of the project on duty with
 * the category's skill, the one with the fewest open work orders first. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "domain/tickets/category.h"
#include "domain/tickets/ticket_sql.h"

/* Front-line roles take dispatched work; managers, quality and admins do not. */
#define DISPATCH_ROLES " u.role IN ('technician', 'guard', 'cleaner', 'desk')"

static int dispatch_has_skill(const char *skills_json, const char **want, size_t nwant)
{
    json_t *arr = json_loads(skills_json, 0, NULL);
    int found = 0;
    for (size_t i = 0; !found && json_is_array(arr) && i < json_array_size(arr); i++) {
        const char *s = json_string_value(json_array_get(arr, i));
        for (size_t k = 0; s && k < nwant; k++)
            if (strcmp(s, want[k]) == 0) found = 1;
    }
    json_decref(arr);
    return found;
}

static int dispatch_cmp(const void *pa, const void *pb)
{
    const dispatch_candidate *a = pa, *b = pb;
    if (a->open != b->open) return a->open < b->open ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

int dispatch_candidates(db *c, int64_t project_id, int64_t category_id, arena *a,
                        dispatch_candidate **items, size_t *n, aj_error *err)
{
    const char **skills;
    size_t nskills;
    if (category_skills(c, category_id, a, &skills, &nskills, err)) return err->rc;
    /* A project's staff are tens, not thousands: skills are matched here, not in SQL. */
    db_rows *r = db_query(c,
                          "SELECT u.id, u.name, u.role, u.on_duty, u.skills,"
                          " (SELECT COUNT(*) FROM tickets t WHERE t.assignee_id = u.id"
                          "  AND t.status IN ('assigned', 'in_progress', 'on_hold'))"
                          " FROM users u JOIN staff_projects sp ON sp.user_id = u.id"
                          " WHERE sp.project_id = $1 AND u.active = 1 AND u.on_duty = 1 AND"
                          DISPATCH_ROLES " ORDER BY u.id",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    size_t cap = 16;
    *items = arena_alloc(a, cap * sizeof(dispatch_candidate));
    *n = 0;
    while (db_next(r)) {
        int fits = nskills ? dispatch_has_skill(db_text(r, 4), skills, nskills)
                           : strcmp(db_text(r, 2), "technician") == 0;
        if (!fits) continue;
        *items = arena_grow(a, *items, *n, &cap, sizeof **items);
        dispatch_candidate *d = &(*items)[(*n)++];
        d->id = db_int(r, 0);
        d->name = arena_strdup(a, db_text(r, 1));
        d->role = arena_strdup(a, db_text(r, 2));
        d->on_duty = (int)db_int(r, 3);
        d->open = db_int(r, 5);
    }
    if (db_end(r, err)) return err->rc;
    qsort(*items, *n, sizeof(dispatch_candidate), dispatch_cmp);
    return 0;
}

int dispatch_pick(db *c, int64_t project_id, int64_t category_id, int64_t *assignee,
                  aj_error *err)
{
    arena a;
    dispatch_candidate *items;
    size_t n;
    const char **skills;
    size_t nskills = 0;
    arena_init(&a, 4096);
    int rc = dispatch_candidates(c, project_id, category_id, &a, &items, &n, err);
    if (!rc && n) *assignee = items[0].id;
    if (!rc && !n) {
        char want[160] = "维修工";
        if (category_skills(c, category_id, &a, &skills, &nskills, err) == 0 && nskills) {
            want[0] = 0;
            for (size_t i = 0; i < nskills && strlen(want) + strlen(skills[i]) + 4 < sizeof want; i++) {
                if (i) strcat(want, "、");
                strcat(want, skills[i]);
            }
        }
        rc = aj_fail(err, AJ_ECONFLICT, "assignee_id",
                     "没有可自动派单的在岗人员（需要技能：%s），请手动指派", want);
    }
    arena_free(&a);
    return rc;
}

int dispatch_check_assignee(db *c, int64_t project_id, int64_t user_id, aj_error *err)
{
    int64_t one;
    int rc = db_scalar(c,
                       "SELECT 1 FROM users u JOIN staff_projects sp ON sp.user_id = u.id"
                       " WHERE u.id = $1 AND sp.project_id = $2 AND u.active = 1"
                       " AND u.role <> 'resident'",
                       DB_ARGS(DB_INT(user_id), DB_INT(project_id)), &one, err);
    if (rc == AJ_ENOTFOUND)
        return aj_fail(err, AJ_EINVAL, "assignee_id", "指派对象须为本项目在职员工");
    return rc;
}

int dispatch_ticket_candidates(db *c, const actor *who, int64_t id, arena *a, dispatch_candidate **items,
                      size_t *n, aj_error *err)
{
    ticket t;
    if (ticket_load(c, who, id, a, &t, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_DESK, 0)) return err->rc;
    return dispatch_candidates(c, t.project_id, t.category_id, a, items, n, err);
}
