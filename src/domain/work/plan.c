/* domain/work/plan.c: plans (计划): their rules, who may see and change them, and what a
 * change does to the tasks already made (the future unstarted ones are replaced; the past
 * is never rewritten). */
#include "domain/work/plan.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/strlist.h"
#include "domain/org/org.h"
#include "domain/work/plan_gen.h"
#include "domain/work/plan_rule.h"

const char *const plan_kinds[] = {"pm",    "patrol",   "cleaning", "inspection",
                                  "drill", "training", "meeting",  "custom", NULL};
static const char *const plan_item_types[] = {"check", "number", "text", "photo", NULL};
static const char *const plan_levels[] = {"self", "cross", "spot", NULL};
static const char *const plan_assign_roles[] = {"technician", "guard", "cleaner", "desk",
                                                "quality", "manager", NULL};

/* The longest window: a quarter (a quarterly drill may be done any day of it). */
#define PLAN_WINDOW_MAX (92 * 1440)

#define PLAN_COLS                                                                              \
    "p.id, p.project_id, p.kind, p.title, p.rrule, p.dtstart, p.window_minutes,"              \
    " p.workdays_only, p.assign, p.equipment_ids, p.route_id, p.area, p.level, p.category,"   \
    " p.checklist, p.active, p.version, p.generated_until, p.created_at, p.updated_at,"       \
    " pr.timezone, COALESCE(p.inspected_department_id, 0)"

static void plan_read(db_rows *r, arena *a, plan *p)
{
    *p = (plan){0};
    p->id = db_int(r, 0);
    p->project_id = db_int(r, 1);
    p->kind = arena_strdup(a, db_text(r, 2));
    p->title = arena_strdup(a, db_text(r, 3));
    p->rrule = arena_strdup(a, db_text(r, 4));
    p->dtstart = db_int(r, 5);
    p->window_minutes = db_int(r, 6);
    p->workdays_only = (int)db_int(r, 7);
    p->assign = arena_strdup(a, db_text(r, 8));
    p->equipment_ids = arena_strdup(a, db_text(r, 9));
    p->route_id = db_null(r, 10) ? 0 : db_int(r, 10);
    p->area = arena_strdup(a, db_text(r, 11));
    p->level = db_null(r, 12) ? NULL : arena_strdup(a, db_text(r, 12));
    p->category = arena_strdup(a, db_text(r, 13));
    p->checklist = arena_strdup(a, db_text(r, 14));
    p->active = (int)db_int(r, 15);
    p->version = (int)db_int(r, 16);
    p->generated_until = db_int(r, 17);
    p->created_at = db_int(r, 18);
    p->updated_at = db_int(r, 19);
    p->tz_offset = clock_tz_offset_or_default(db_text(r, 20));
    p->inspected_department_id = db_int(r, 21);
}

json_t *plan_checklist_parse(const char *text) { return json_loads(text ? text : "[]", 0, NULL); }

/* A checklist item's key: what results are addressed by in URLs (…/results/{key}). */
static int plan_key_ok(const char *k)
{
    size_t n = strlen(k);
    if (n == 0 || n > 32) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
              (k[i] >= '0' && k[i] <= '9') || k[i] == '_' || k[i] == '-'))
            return 0;
    return 1;
}

/* The checklist, checked and rewritten in one canonical shape (every field present).
 * route: the items are a patrol route's checkpoints (the patrol context's, never a
 * caller's), which also carry scan (answered by a check-in only) and key_area. */
static int plan_checklist_normalise(json_t *in, int route, arena *a, const char **out,
                                    aj_error *err)
{
    static const char *const fields[] = {"key", "label", "type", "min", "max", "required",
                                         "standard_id", NULL};
    static const char *const route_fields[] = {"key", "label", "type", "min", "max", "required",
                                               "standard_id", "scan", "key_area", NULL};
    if (!json_is_array(in)) return aj_fail(err, AJ_EINVAL, "checklist", "checklist 须为数组");
    size_t n = json_array_size(in);
    if (n == 0 || n > PLAN_MAX_ITEMS)
        return aj_fail(err, AJ_EINVAL, "checklist", "检查项须为 1 到 %d 项", PLAN_MAX_ITEMS);
    json_t *res = json_array();
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        json_t *it = json_array_get(in, i), *v;
        const char *k;
        if (!json_is_object(it)) {
            rc = aj_fail(err, AJ_EINVAL, "checklist", "第 %zu 个检查项须为对象", i + 1);
            break;
        }
        json_object_foreach(it, k, v) if (!strlist_has(route ? route_fields : fields, k)) {
            rc = aj_fail(err, AJ_EINVAL, "checklist", "检查项不认识的字段 %.40s", k);
            break;
        }
        if (rc) break;
        const char *key = json_string_value(json_object_get(it, "key"));
        const char *label = json_string_value(json_object_get(it, "label"));
        const char *type = json_string_value(json_object_get(it, "type"));
        if (!type) type = "check";
        json_t *mn = json_object_get(it, "min"), *mx = json_object_get(it, "max");
        json_t *req = json_object_get(it, "required"), *std = json_object_get(it, "standard_id");
        if (!key || !plan_key_ok(key))
            rc = aj_fail(err, AJ_EINVAL, "checklist",
                         "第 %zu 个检查项的 key 须为 1 到 32 个字母、数字、_ 或 -", i + 1);
        else if (!label || !*label || strlen(label) > 200)
            rc = aj_fail(err, AJ_EINVAL, "checklist", "检查项 %s 的 label 须为 1 到 200 字节", key);
        else if (!strlist_has(plan_item_types, type))
            rc = aj_fail(err, AJ_EINVAL, "checklist", "检查项 %s 的 type 须为 check、number、text 或 photo",
                         key);
        else if ((mn && !json_is_null(mn) && !json_is_number(mn)) ||
                 (mx && !json_is_null(mx) && !json_is_number(mx)))
            rc = aj_fail(err, AJ_EINVAL, "checklist", "检查项 %s 的 min/max 须为数字", key);
        else if (strcmp(type, "number") && ((mn && !json_is_null(mn)) || (mx && !json_is_null(mx))))
            rc = aj_fail(err, AJ_EINVAL, "checklist", "仅数值（number）检查项可设 min/max：%s", key);
        else if (json_is_number(mn) && json_is_number(mx) &&
                 json_number_value(mn) > json_number_value(mx))
            rc = aj_fail(err, AJ_EINVAL, "checklist", "检查项 %s 的 min 大于 max", key);
        else if (req && !json_is_boolean(req))
            rc = aj_fail(err, AJ_EINVAL, "checklist", "检查项 %s 的 required 须为布尔值", key);
        else if (std && !json_is_null(std) && !(json_is_integer(std) && json_integer_value(std) > 0))
            rc = aj_fail(err, AJ_EINVAL, "checklist", "检查项 %s 的 standard_id 须为正整数", key);
        for (size_t j = 0; !rc && j < json_array_size(res); j++)
            if (!strcmp(json_string_value(json_object_get(json_array_get(res, j), "key")), key))
                rc = aj_fail(err, AJ_EINVAL, "checklist", "检查项 key 重复：%s", key);
        if (rc) break;
        json_t *norm =
            json_pack("{s:s, s:s, s:s, s:O, s:O, s:b, s:O}", "key", key, "label", label, "type",
                      type, "min", json_is_number(mn) ? mn : json_null(), "max",
                      json_is_number(mx) ? mx : json_null(), "required",
                      req ? json_is_true(req) : 1, "standard_id",
                      json_is_integer(std) ? std : json_null());
        if (route) {
            json_object_set_new(norm, "scan", json_boolean(json_is_true(json_object_get(it, "scan"))));
            json_object_set_new(norm, "key_area",
                                json_boolean(json_is_true(json_object_get(it, "key_area"))));
        }
        json_array_append_new(res, norm);
    }
    if (!rc) {
        char *s = json_dumps(res, JSON_COMPACT);
        *out = arena_strdup(a, s ? s : "[]");
        free(s);
    }
    json_decref(res);
    return rc;
}

/* The assignment rule: {} (nobody: the manager assigns), or one of staff_id, department,
 * role or skill. */
static int plan_assign_normalise(json_t *in, arena *a, const char **out, aj_error *err)
{
    if (!json_is_object(in)) return aj_fail(err, AJ_EINVAL, "assign", "assign 须为对象");
    if (json_object_size(in) > 1)
        return aj_fail(err, AJ_EINVAL, "assign", "assign 只能指定 staff_id、department、role、skill 之一");
    json_t *v;
    const char *s;
    if ((v = json_object_get(in, "staff_id"))) {
        if (!json_is_integer(v) || json_integer_value(v) <= 0)
            return aj_fail(err, AJ_EINVAL, "assign", "assign.staff_id 须为正整数");
    } else if ((v = json_object_get(in, "role"))) {
        if (!(s = json_string_value(v)) || !strlist_has(plan_assign_roles, s))
            return aj_fail(err, AJ_EINVAL, "assign", "assign.role 须为 technician、guard、cleaner、desk、quality 或 manager");
    } else if ((v = json_object_get(in, "department")) || (v = json_object_get(in, "skill"))) {
        if (!(s = json_string_value(v)) || !*s || strlen(s) > 64)
            return aj_fail(err, AJ_EINVAL, "assign", "assign 的部门或技能须为 1 到 64 字节");
    } else if (json_object_size(in) == 1) {
        return aj_fail(err, AJ_EINVAL, "assign", "assign 只能指定 staff_id、department、role、skill 之一");
    }
    char *d = json_dumps(in, JSON_COMPACT);
    *out = arena_strdup(a, d ? d : "{}");
    free(d);
    return 0;
}

static plan_equipment_check_fn plan_equipment_check;

void plan_on_equipment_check(plan_equipment_check_fn fn) { plan_equipment_check = fn; }

static int plan_check_equipment(db *c, int64_t project_id, const plan_input *in, aj_error *err)
{
    if (!in->has_equipment || in->nequipment == 0) return 0;
    if (!plan_equipment_check)
        return aj_fail(err, AJ_EINVAL, "equipment_ids", "设备台账未启用，计划不能关联设备");
    return plan_equipment_check(c, project_id, in->equipment_ids, in->nequipment, err);
}

static plan_route_items_fn plan_route_items;

void plan_on_route_items(plan_route_items_fn fn) { plan_route_items = fn; }

/* A patrol plan's items are its route's checkpoints, never a checklist of its own: with a
 * route_id, *local is in with the route's checklist (*held: the reference to drop after). */
static int plan_check_route(db *c, const plan_input *in, int64_t project_id, const char *kind,
                            arena *a, plan_input *local, json_t **held, aj_error *err)
{
    *local = *in;
    *held = NULL;
    if (!in->has_route || !in->route_id) return 0;
    if (!kind || strcmp(kind, "patrol"))
        return aj_fail(err, AJ_EINVAL, "route_id", "只有巡更计划（patrol）可以关联巡更路线");
    if (in->checklist)
        return aj_fail(err, AJ_EINVAL, "checklist", "巡更计划的检查项即路线的巡更点，不能另填");
    if (!plan_route_items)
        return aj_fail(err, AJ_EINVAL, "route_id", "巡更路线未启用");
    if (plan_route_items(c, project_id, in->route_id, a, held, err)) return err->rc;
    local->checklist = *held;
    return 0;
}

/* A staff_id rule names someone who works in the project; a department rule names one of
 * the company's departments (工程部, or the old word 工程), stored by its name. */
static int plan_check_staff(db *c, int64_t project_id, json_t *assign, arena *a,
                            const char **stored, aj_error *err)
{
    json_t *d = assign ? json_object_get(assign, "department") : NULL;
    if (d) {
        int64_t id;
        const char *name;
        if (department_resolve(c, json_string_value(d), "assign", a, &id, &name, err))
            return err->rc;
        json_t *o = json_pack("{s:s}", "department", name);
        char *t = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        *stored = arena_strdup(a, t ? t : "{}");
        free(t);
        return 0;
    }
    json_t *v = assign ? json_object_get(assign, "staff_id") : NULL;
    if (!v) return 0;
    int64_t one;
    int rc = db_scalar(c,
                       "SELECT 1 FROM users u JOIN staff_projects sp ON sp.user_id = u.id"
                       " WHERE u.id = $1 AND sp.project_id = $2 AND u.active = 1",
                       DB_ARGS(DB_INT(json_integer_value(v)), DB_INT(project_id)), &one, err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "assign", "assign.staff_id 不是本项目的在职员工");
    return rc;
}

static int plan_check(const plan_input *in, const plan *cur, arena *a, const char **assign,
                      const char **checklist, aj_error *err)
{
    int creating = cur == NULL;
    if (creating && !in->kind) return aj_fail(err, AJ_EINVAL, "kind", "缺少必填字段 kind");
    if (in->kind && (!cur || strcmp(in->kind, cur->kind)) && !strlist_has(plan_kinds, in->kind))
        return aj_fail(err, AJ_EINVAL, "kind",
                       "kind 须为 pm、patrol、cleaning、inspection、drill、training、meeting 或 custom");
    if (!creating && in->kind && strcmp(in->kind, cur->kind))
        return aj_fail(err, AJ_EINVAL, "kind", "计划类型创建后不能修改");
    if (creating && !in->title) return aj_fail(err, AJ_EINVAL, "title", "缺少必填字段 title");
    if (creating && !in->rrule) return aj_fail(err, AJ_EINVAL, "rrule", "缺少必填字段 rrule");
    if (creating && !in->has_window)
        return aj_fail(err, AJ_EINVAL, "window_minutes", "缺少必填字段 window_minutes");
    if (creating && !in->checklist) return aj_fail(err, AJ_EINVAL, "checklist", "缺少必填字段 checklist");
    if (in->rrule && plan_rule_check(in->rrule, err)) return err->rc;
    if (in->has_window && (in->window_minutes < 5 || in->window_minutes > PLAN_WINDOW_MAX))
        return aj_fail(err, AJ_EINVAL, "window_minutes", "时间窗须在 5 到 %d 分钟之间", PLAN_WINDOW_MAX);
    if (in->level && !strlist_has(plan_levels, in->level))
        return aj_fail(err, AJ_EINVAL, "level", "level 须为 self、cross 或 spot");
    if (in->has_equipment && in->nequipment > PLAN_MAX_EQUIPMENT)
        return aj_fail(err, AJ_EINVAL, "equipment_ids", "一个计划最多 %d 台设备", PLAN_MAX_EQUIPMENT);
    *assign = NULL;
    *checklist = NULL;
    if (in->assign && plan_assign_normalise(in->assign, a, assign, err)) return err->rc;
    if (in->checklist &&
        plan_checklist_normalise(in->checklist, in->has_route && in->route_id, a, checklist, err))
        return err->rc;
    /* The window may not outlast the gap to the next occurrence: two tasks of one plan
     * open at once would make "which round is this scan for" a guess. */
    const char *rule = in->rrule ? in->rrule : cur->rrule;
    int64_t start = in->has_dtstart ? in->dtstart : cur ? cur->dtstart : clock_now();
    int64_t window = in->has_window ? in->window_minutes : cur->window_minutes;
    int64_t gap = plan_rule_min_gap(rule, start, CLOCK_TZ_DEFAULT);
    if (gap > 0 && window * 60 > gap)
        return aj_fail(err, AJ_EINVAL, "window_minutes",
                       "时间窗（%lld 分钟）长于两次之间的间隔（%lld 分钟）", (long long)window,
                       (long long)(gap / 60));
    return 0;
}

static const char *plan_ids_json(const int64_t *ids, size_t n, arena *a)
{
    buf b;
    buf_init(&b, a);
    buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++) buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&b, ']');
    return b.s;
}

static json_t *plan_change(const plan_input *in, const char *assign, const char *checklist)
{
    json_t *ch = json_object();
    if (in->project_id) json_object_set_new(ch, "project_id", json_integer(in->project_id));
    if (in->kind) json_object_set_new(ch, "kind", json_string(in->kind));
    if (in->title) json_object_set_new(ch, "title", json_string(in->title));
    if (in->rrule) json_object_set_new(ch, "rrule", json_string(in->rrule));
    if (in->has_dtstart) json_object_set_new(ch, "dtstart", json_integer(in->dtstart));
    if (in->has_window) json_object_set_new(ch, "window_minutes", json_integer(in->window_minutes));
    if (in->has_workdays) json_object_set_new(ch, "workdays_only", json_boolean(in->workdays_only));
    if (in->has_active) json_object_set_new(ch, "active", json_boolean(in->active));
    if (assign) json_object_set_new(ch, "assign", json_loads(assign, 0, NULL));
    if (checklist) json_object_set_new(ch, "checklist", json_loads(checklist, 0, NULL));
    if (in->has_equipment) json_object_set_new(ch, "equipment_count", json_integer((json_int_t)in->nequipment));
    return ch;
}

/* The plan's current version as its tasks will see it (after a create or a reshape). */
static int plan_version_save(db *c, int64_t id, int64_t now, aj_error *err)
{
    return db_exec(c,
                   "INSERT INTO plan_versions (plan_id, version, checklist, created_at)"
                   " SELECT id, version, checklist, $2 FROM plans WHERE id = $1",
                   DB_ARGS(DB_INT(id), DB_INT(now)), err) < 0
               ? err->rc
               : 0;
}

static int plan_project_tz(db *c, int64_t project_id, int *offset, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT timezone FROM projects WHERE id = $1",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    *offset = CLOCK_TZ_DEFAULT;
    if (db_next(r)) *offset = clock_tz_offset_or_default(db_text(r, 0));
    return db_end(r, err) ? err->rc : 0;
}

static int plan_create_checked(db *c, const actor *who, const plan_input *in, arena *a,
                               plan *out, aj_error *err);
static int plan_update_checked(db *c, const actor *who, int64_t id, const plan *cur,
                               const plan_input *in, arena *a, plan *out, aj_error *err);

int plan_create(db *c, const actor *who, const plan_input *in, arena *a, plan *out,
                aj_error *err)
{
    plan_input local;
    json_t *held;
    if (plan_check_route(c, in, in->project_id, in->kind, a, &local, &held, err)) return err->rc;
    int rc = plan_create_checked(c, who, &local, a, out, err);
    json_decref(held);
    return rc;
}

int plan_update(db *c, const actor *who, int64_t id, const plan_input *in, arena *a, plan *out,
                aj_error *err)
{
    plan cur;
    plan_input local;
    json_t *held;
    if (plan_get(c, who, id, a, &cur, err)) return err->rc;
    if (in->has_route && in->route_id != cur.route_id && cur.route_id && !in->route_id)
        return aj_fail(err, AJ_EINVAL, "route_id", "巡更计划须关联一条路线");
    if (plan_check_route(c, in, cur.project_id, cur.kind, a, &local, &held, err)) return err->rc;
    int rc = plan_update_checked(c, who, id, &cur, &local, a, out, err);
    json_decref(held);
    return rc;
}

static int plan_create_checked(db *c, const actor *who, const plan_input *in, arena *a,
                               plan *out, aj_error *err)
{
    const char *assign, *checklist;
    if (!in->project_id) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
    if (actor_can_see_project(c, who, in->project_id, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    if (plan_check(in, NULL, a, &assign, &checklist, err)) return err->rc;
    int64_t inspected;
    if (plan_check_staff(c, in->project_id, in->assign, a, &assign, err) ||
        plan_check_equipment(c, in->project_id, in, err) ||
        plan_inspect_resolve(c, in, a, &inspected, err) ||
        plan_inspect_check(c, in->kind, in->level, inspected, assign, err))
        return err->rc;
    int64_t now = clock_now(), id;
    int64_t dtstart = in->has_dtstart ? in->dtstart : now;
    /* Tasks from now on (a plan written today for a rule begun last year has no past to
     * miss), including one whose window is open already. */
    int64_t from = dtstart > now - in->window_minutes * 60 ? dtstart : now - in->window_minutes * 60;
    int offset;
    if (plan_project_tz(c, in->project_id, &offset, err)) return err->rc;
    plan_gen_stats st = {0};
    if (db_begin(c, err)) return err->rc;
    int rc = db_scalar(
        c,
        "INSERT INTO plans (project_id, kind, title, rrule, dtstart, window_minutes,"
        " workdays_only, assign, equipment_ids, route_id, area, level, category, checklist,"
        " active, version, horizon, generated_until, refill_at, created_by, created_at,"
        " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
        " 1, 1, $15, $16, 0, $17, $18, $18) RETURNING id",
        DB_ARGS(DB_INT(in->project_id), DB_TEXT(in->kind), DB_TEXT(in->title), DB_TEXT(in->rrule),
                DB_INT(dtstart), DB_INT(in->window_minutes), DB_INT(in->has_workdays && in->workdays_only),
                DB_TEXT(assign ? assign : "{}"),
                DB_TEXT(in->has_equipment ? plan_ids_json(in->equipment_ids, in->nequipment, a) : "[]"),
                DB_OPT_INT(in->has_route && in->route_id, in->route_id), DB_TEXT(in->area ? in->area : ""),
                DB_TEXT(in->level), DB_TEXT(in->category ? in->category : ""), DB_TEXT(checklist),
                DB_INT(plan_rule_horizon(in->rrule)), DB_INT(from), DB_OPT_INT(who->id, who->id),
                DB_INT(now)),
        &id, err);
    if (rc) goto fail;
    if (inspected && db_exec(c, "UPDATE plans SET inspected_department_id = $2 WHERE id = $1",
                             DB_ARGS(DB_INT(id), DB_INT(inspected)), err) < 0)
        goto fail;
    if (plan_version_save(c, id, now, err)) goto fail;
    json_t *ch = plan_change(in, assign, checklist);
    if (inspected) json_object_set_new(ch, "inspected_department_id", json_integer(inspected));
    rc = audit_append(c, who, "create", "plan", id, ch, err);
    json_decref(ch);
    if (rc || plan_gen_fill(c, id, now, &st, err) || db_commit(c, err)) goto fail;
    return plan_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

static int plan_update_checked(db *c, const actor *who, int64_t id, const plan *curp,
                               const plan_input *in, arena *a, plan *out, aj_error *err)
{
    plan cur = *curp;
    const char *assign, *checklist;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    if (in->project_id && in->project_id != cur.project_id)
        return aj_fail(err, AJ_EINVAL, "project_id", "计划所属项目不能修改");
    if (plan_check(in, &cur, a, &assign, &checklist, err)) return err->rc;
    int64_t inspected;
    if (plan_check_staff(c, cur.project_id, in->assign, a, &assign, err) ||
        plan_check_equipment(c, cur.project_id, in, err) ||
        plan_inspect_resolve(c, in, a, &inspected, err))
        return err->rc;
    int given = inspected != 0;
    if (!given) inspected = cur.inspected_department_id;
    if (plan_inspect_check(c, cur.kind, in->level ? in->level : cur.level, inspected,
                           assign ? assign : cur.assign, err))
        return err->rc;
    int64_t now = clock_now();
    /* What the tasks are made from: a change there replaces the future ones. */
    int reshape = in->rrule || in->has_dtstart || in->has_window || in->has_workdays || assign ||
                  checklist || in->has_equipment || in->title ||
                  (in->has_active && in->active != cur.active);
    int active = in->has_active ? in->active : cur.active;
    plan_gen_stats st = {0};
    int64_t dropped = 0;
    if (db_begin(c, err)) return err->rc;
    int64_t n = db_exec(
        c,
        "UPDATE plans SET title = COALESCE($2, title), rrule = COALESCE($3, rrule),"
        " dtstart = COALESCE(CAST($4 AS BIGINT), dtstart),"
        " window_minutes = COALESCE(CAST($5 AS BIGINT), window_minutes),"
        " workdays_only = COALESCE(CAST($6 AS BIGINT), workdays_only),"
        " assign = COALESCE($7, assign), equipment_ids = COALESCE($8, equipment_ids),"
        " area = COALESCE($9, area), level = COALESCE($10, level),"
        " category = COALESCE($11, category), checklist = COALESCE($12, checklist),"
        " active = $13, version = version + $14,"
        " horizon = COALESCE(CAST($15 AS BIGINT), horizon),"
        " generated_until = CASE WHEN $14 = 1 THEN $16 ELSE generated_until END,"
        " refill_at = CASE WHEN $14 = 1 THEN 0 ELSE refill_at END, updated_at = $16,"
        " route_id = COALESCE(CAST($17 AS BIGINT), route_id)"
        " WHERE id = $1",
        DB_ARGS(DB_INT(id), DB_TEXT(in->title), DB_TEXT(in->rrule),
                DB_OPT_INT(in->has_dtstart, in->dtstart), DB_OPT_INT(in->has_window, in->window_minutes),
                DB_OPT_INT(in->has_workdays, in->workdays_only), DB_TEXT(assign),
                DB_TEXT(in->has_equipment ? plan_ids_json(in->equipment_ids, in->nequipment, a) : NULL),
                DB_TEXT(in->area), DB_TEXT(in->level), DB_TEXT(in->category), DB_TEXT(checklist),
                DB_INT(active), DB_INT(reshape ? 1 : 0),
                DB_OPT_INT(in->rrule != NULL, in->rrule ? plan_rule_horizon(in->rrule) : 0),
                DB_INT(now), DB_OPT_INT(in->has_route && in->route_id, in->route_id)),
        err);
    if (n < 0) goto fail;
    if (given && db_exec(c, "UPDATE plans SET inspected_department_id = $2 WHERE id = $1",
                         DB_ARGS(DB_INT(id), DB_INT(inspected)), err) < 0)
        goto fail;
    if (reshape && (plan_version_save(c, id, now, err) ||
                    plan_gen_drop_future(c, id, now, &dropped, err)))
        goto fail;
    json_t *ch = plan_change(in, assign, checklist);
    if (given) json_object_set_new(ch, "inspected_department_id", json_integer(inspected));
    if (reshape) json_object_set_new(ch, "future_tasks_replaced", json_integer(dropped));
    int rc = audit_append(c, who, "update", "plan", id, ch, err);
    json_decref(ch);
    if (rc || (reshape && active && plan_gen_fill(c, id, now, &st, err)) || db_commit(c, err))
        goto fail;
    return plan_get(c, who, id, a, out, err);
fail:
    db_rollback(c);
    return err->rc ? err->rc : AJ_EDB;
}

int plan_reshape_in(db *c, const actor *who, int64_t id, json_t *items, arena *a, int64_t now,
                    aj_error *err)
{
    const char *checklist;
    if (plan_checklist_normalise(items, 1, a, &checklist, err)) return err->rc;
    int64_t dropped = 0;
    plan_gen_stats st = {0};
    if (db_exec(c,
                "UPDATE plans SET checklist = $2, version = version + 1, generated_until = $3,"
                " refill_at = 0, updated_at = $3 WHERE id = $1",
                DB_ARGS(DB_INT(id), DB_TEXT(checklist), DB_INT(now)), err) < 0 ||
        plan_version_save(c, id, now, err) || plan_gen_drop_future(c, id, now, &dropped, err))
        return err->rc;
    json_t *ch = json_pack("{s:o, s:I}", "checklist", json_loads(checklist, 0, NULL),
                           "future_tasks_replaced", (json_int_t)dropped);
    int rc = audit_append(c, who, "update", "plan", id, ch, err);
    json_decref(ch);
    return rc ? rc : plan_gen_fill(c, id, now, &st, err);
}

/* The next starts after now of an active plan, from its rule (a list shows them too). */
static int plan_next(plan *p, arena *a, aj_error *err)
{
    p->nnext = 0;
    if (!p->active) return 0;
    int64_t *next;
    int capped;
    int64_t now = clock_now();
    if (plan_rule_expand(p->rrule, p->dtstart, p->tz_offset, now, now + 400 * 86400, PLAN_NEXT, a,
                         &next, &p->nnext, &capped, err))
        return err->rc;
    memcpy(p->next, next, p->nnext * sizeof *next);
    return 0;
}

int plan_get(db *c, const actor *who, int64_t id, arena *a, plan *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_ENOTFOUND, NULL, "计划不存在");
    db_rows *r = db_query(c,
                          "SELECT " PLAN_COLS " FROM plans p JOIN projects pr ON pr.id = p.project_id"
                          " WHERE p.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) plan_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "计划不存在");
    int rc = actor_can_see_project(c, who, out->project_id, err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_ENOTFOUND, NULL, "计划不存在");
    if (rc) return rc;
    return plan_next(out, a, err);
}

int plan_list(db *c, const actor *who, const plan_filter *f, const page_req *pg, arena *a,
              plan **items, size_t *n, int *more, aj_error *err)
{
    *n = 0;
    *more = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
    if (f->kind && !strlist_has(plan_kinds, f->kind))
        return aj_fail(err, AJ_EINVAL, "kind", "未知计划类型");
    *items = arena_alloc(a, sizeof(plan) * (size_t)(pg->limit + 1));
    db_rows *r = db_query(
        c,
        "SELECT " PLAN_COLS " FROM plans p JOIN projects pr ON pr.id = p.project_id"
        " WHERE p.id > $1 AND (CAST($2 AS BIGINT) IS NULL OR p.project_id = $2)"
        " AND (CAST($3 AS TEXT) IS NULL OR p.kind = $3)"
        " AND (CAST($4 AS BIGINT) IS NULL OR p.active = $4)"
        " AND ($5 = 1 OR p.project_id IN (SELECT project_id FROM staff_projects WHERE user_id = $6))"
        " ORDER BY p.id LIMIT $7",
        DB_ARGS(DB_INT(pg->after), DB_OPT_INT(f->project_id, f->project_id), DB_TEXT(f->kind),
                DB_OPT_INT(f->active >= 0, f->active), DB_INT(actor_is_company_wide(who)),
                DB_INT(who->id), DB_INT(pg->limit + 1)),
        err);
    if (!r) return err->rc;
    while (db_next(r)) {
        if ((int)*n == pg->limit) {
            *more = 1;
            break;
        }
        plan_read(r, a, &(*items)[(*n)++]);
    }
    if (db_end(r, err)) return err->rc;
    for (size_t i = 0; i < *n; i++)
        if (plan_next(&(*items)[i], a, err)) return err->rc;
    return 0;
}
