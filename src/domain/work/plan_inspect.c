/* domain/work/plan_inspect.c: what an inspection plan (三级检查) inspects and who may do it.
 * An inspection plan names the department whose work it checks; a cross-check (交叉互检,
 * level cross) is done by another department — a rule that names a person or a department
 * of the inspected one is refused, and so is a rule (a role, a skill, nobody) that cannot
 * say which department will do it. */
#include <string.h>

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
