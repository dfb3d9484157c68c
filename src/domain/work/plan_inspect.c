/* domain/work/plan_inspect.c: what an inspection plan (三级检查) inspects and who may do it.
 * An inspection plan names the department whose work it checks; a cross-check (交叉互检,
 * level cross) is done by another department — a rule that names a person or a department
 * of the inspected one is refused, and so is a rule (a role, a skill, nobody) that cannot
 * say which department will do it. A spot check (管理层巡检, level spot) covers buildings the
 * server draws, never the manager: three of the project's active ones per task, at random,
 * written on the task and in the audit log, so nobody picks the clean ones. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"

#include "domain/org/org.h"
#include "domain/work/plan.h"

int plan_inspect_resolve(db *c, const plan_input *in, arena *a, int64_t *id, aj_error *err)
{
    *id = 0;
    if (in->inspected_department) {
        const char *name;
        return department_resolve(c, in->inspected_department, "inspected_department", a, id, &name,
                                  err);
    }
    if (!in->inspected_department_id) return 0;
    int64_t one;
    int rc = db_scalar(c, "SELECT 1 FROM departments WHERE id = $1 AND active = 1",
                       DB_ARGS(DB_INT(in->inspected_department_id)), &one, err);
    if (rc == AJ_ENOTFOUND)
        return aj_fail(err, AJ_EINVAL, "inspected_department_id", "被检查部门不存在或已停用");
    if (!rc) *id = in->inspected_department_id;
    return rc;
}

/* The department a stored assignment rule ({"staff_id"} or {"department"}) puts the work
 * in: *dept 0 when the rule does not say. */
static int plan_inspect_rule_department(db *c, const char *assign, int64_t *dept, aj_error *err)
{
    *dept = 0;
    json_t *rule = json_loads(assign ? assign : "{}", 0, NULL), *v;
    int rc = 0;
    if ((v = json_object_get(rule, "staff_id")))
        rc = db_scalar(c, "SELECT COALESCE(department_id, 0) FROM users WHERE id = $1",
                       DB_ARGS(DB_INT(json_integer_value(v))), dept, err);
    else if ((v = json_object_get(rule, "department")))
        rc = db_scalar(c, "SELECT id FROM departments WHERE name = $1 AND active = 1",
                       DB_ARGS(DB_TEXT(json_string_value(v))), dept, err);
    json_decref(rule);
    if (rc == AJ_ENOTFOUND) rc = 0, *dept = 0;
    return rc;
}

int plan_inspect_check(db *c, const char *kind, const char *level, int64_t inspected,
                       const char *assign, aj_error *err)
{
    if (inspected && (!kind || strcmp(kind, "inspection")))
        return aj_fail(err, AJ_EINVAL, "inspected_department_id", "只有品质检查计划（inspection）可以指定被检查部门");
    if (!level || strcmp(level, "cross")) return 0;
    if (!inspected)
        return aj_fail(err, AJ_EINVAL, "inspected_department_id", "交叉检查须指定被检查部门");
    int64_t by;
    if (plan_inspect_rule_department(c, assign, &by, err)) return err->rc;
    if (!by)
        return aj_fail(err, AJ_EINVAL, "assign", "交叉检查须指定执行检查的其他部门或人员");
    if (by == inspected)
        return aj_fail(err, AJ_EINVAL, "assign", "交叉检查须由被检查部门以外的部门执行");
    return 0;
}

int plan_inspect_draw(db *c, int64_t plan_id, int64_t project_id, int64_t *drawn, aj_error *err)
{
    *drawn = 0;
    arena a;
    arena_init(&a, 8192);
    int64_t ids[PLAN_SPOT_MAX_BUILDINGS];
    const char *names[PLAN_SPOT_MAX_BUILDINGS];
    size_t nb = 0, nt = 0;
    int64_t tasks[200];
    db_rows *r = db_query(c, "SELECT id, name FROM buildings WHERE project_id = $1 AND active = 1 ORDER BY id",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) goto fail;
    while (db_next(r) && nb < PLAN_SPOT_MAX_BUILDINGS) {
        ids[nb] = db_int(r, 0);
        names[nb++] = arena_strdup(&a, db_text(r, 1));
    }
    if (db_end(r, err)) goto fail;
    r = db_query(c, "SELECT id FROM tasks WHERE plan_id = $1 AND buildings IS NULL ORDER BY id LIMIT 200",
                 DB_ARGS(DB_INT(plan_id)), err);
    if (!r) goto fail;
    while (db_next(r) && nt < 200) tasks[nt++] = db_int(r, 0);
    if (db_end(r, err)) goto fail;
    actor sys = actor_system("job:plans");
    for (size_t t = 0; t < nt; t++) {
        /* the first k of a partial Fisher-Yates shuffle, libsodium's uniform draw */
        size_t k = nb < PLAN_SPOT_BUILDINGS ? nb : PLAN_SPOT_BUILDINGS;
        for (size_t i = 0; i < k; i++) {
            size_t j = i + (size_t)randombytes_uniform((uint32_t)(nb - i));
            int64_t ti = ids[i];
            const char *tn = names[i];
            ids[i] = ids[j], names[i] = names[j];
            ids[j] = ti, names[j] = tn;
        }
        buf b;
        buf_init(&b, &a);
        buf_putc(&b, '[');
        json_t *picked = json_array();
        for (size_t i = 0; i < k; i++) {
            buf_printf(&b, "%s{\"id\":%lld,\"name\":", i ? "," : "", (long long)ids[i]);
            buf_json_str(&b, names[i]);
            buf_putc(&b, '}');
            json_array_append_new(picked, json_integer(ids[i]));
        }
        buf_putc(&b, ']');
        int rc = db_exec(c, "UPDATE tasks SET buildings = $2 WHERE id = $1 AND buildings IS NULL",
                         DB_ARGS(DB_INT(tasks[t]), DB_TEXT(b.s)), err) < 0
                     ? err->rc
                     : 0;
        json_t *ch = json_pack("{s:o}", "buildings", picked);
        if (!rc) rc = audit_append(c, &sys, "draw", "task", tasks[t], ch, err);
        json_decref(ch);
        if (rc) goto fail;
        (*drawn)++;
    }
    arena_free(&a);
    return 0;
fail:
    arena_free(&a);
    return err->rc ? err->rc : AJ_EDB;
}
