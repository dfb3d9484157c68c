/* domain/quality/inspection.c: what finishing an inspection (三级检查) means to quality —
 * the work engine calls this in the finish's transaction (its task_on_inspection_finish
 * seam). The score: the weights of the items that passed over the weights of the items
 * answered, each item weighing its standard's weight (1 without one), as 0–100. Each failed
 * item becomes a rectification (整改单) instead of a ticket: on the inspected department
 * (else the standard's), against the standard and its version, the inspector's note as the
 * problem and the item's photos as its photos, due by the default of its severity. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "domain/quality/quality.h"
#include "domain/work/work.h"

/* The department a finding goes to: the plan's inspected one (when it is one of the six),
 * else the standard's, else quality's own. */
static int inspection_department(db *c, int64_t plan_id, const char *std_dept, arena *a,
                                 const char **out, aj_error *err)
{
    *out = std_dept && *std_dept ? std_dept : "quality";
    db_rows *r = db_query(c,
                          "SELECT d.function FROM plans p JOIN departments d ON d.id = p.inspected_department_id"
                          " WHERE p.id = $1",
                          DB_ARGS(DB_INT(plan_id)), err);
    if (!r) return err->rc;
    if (db_next(r) && standard_department_of(db_text(r, 0))) *out = arena_strdup(a, db_text(r, 0));
    return db_end(r, err) ? err->rc : 0;
}

static int inspection_finish(db *c, const actor *who, int64_t task_id, int64_t project_id,
                             int64_t plan_id, json_t *items, int64_t *score, aj_error *err)
{
    arena a;
    arena_init(&a, 8192);
    double total = 0, passed = 0;
    size_t i;
    json_t *it;
    int rc = 0;
    json_array_foreach(items, i, it)
    {
        json_t *res = json_object_get(it, "result");
        if (!json_is_object(res)) continue; /* not answered: not scored */
        int64_t std_id = json_integer_value(json_object_get(it, "standard_id"));
        int64_t weight = 1;
        const char *std_dept = NULL;
        if (std_id) {
            db_rows *r = db_query(c, "SELECT weight, department FROM standards WHERE id = $1",
                                  DB_ARGS(DB_INT(std_id)), err);
            if (!r) goto fail;
            if (db_next(r)) {
                weight = db_int(r, 0);
                std_dept = arena_strdup(&a, db_text(r, 1));
            }
            if (db_end(r, err)) goto fail;
        }
        total += (double)weight;
        if (!json_is_false(json_object_get(res, "ok"))) {
            passed += (double)weight;
            continue;
        }
        const char *dept, *note = json_string_value(json_object_get(res, "note"));
        if ((rc = inspection_department(c, plan_id, std_dept, &a, &dept, err))) goto fail;
        char problem[1000];
        snprintf(problem, sizeof problem, "%s%s%s",
                 arena_strcut(&a, json_string_value(json_object_get(it, "label")), 200),
                 note && *note ? "：" : "", arena_strcut(&a, note, 700));
        /* the inspector's photos of the finding go with it */
        json_t *ph = json_object_get(res, "photos");
        size_t nph = json_array_size(ph), k;
        int64_t *photos = arena_alloc(&a, sizeof *photos * (nph ? nph : 1));
        json_t *v;
        json_array_foreach(ph, k, v) photos[k] = json_integer_value(v);
        rectification_input in = {.project_id = project_id, .task_id = task_id,
                                  .standard_id = std_id, .department = dept, .problem = problem,
                                  .photos = photos, .nphotos = nph};
        int64_t rid;
        if ((rc = rectification_raise_in(c, who, &in, &a, &rid, err))) goto fail;
        json_object_set_new(res, "rectification_id", json_integer(rid)); /* work keeps it */
    }
    *score = total > 0 ? (int64_t)lround(100.0 * passed / total) : -1;
    arena_free(&a);
    return 0;
fail:
    arena_free(&a);
    return err->rc ? err->rc : AJ_EDB;
}

__attribute__((constructor)) static void inspection_register(void)
{
    task_on_inspection_finish(inspection_finish);
}
