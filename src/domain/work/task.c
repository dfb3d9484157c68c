/* domain/work/task.c: reading tasks: one with its checklist and results, and the lists
 * (我的任务, a project's day, an equipment's PM) in due order. */
#include "domain/work/task.h"

#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/strlist.h"
#include "domain/work/plan.h"

static const char *const task_states[] = {"scheduled", "in_progress", "done", "late",
                                          "missed",    "skipped",     NULL};

int task_state_known(const char *s) { return strlist_has(task_states, s); }

#define TASK_COLS                                                                              \
    "t.id, t.plan_id, t.project_id, t.equipment_id, t.assignee_id, t.kind, t.title, t.state," \
    " t.skip_reason, t.starts_at, t.due_at, t.started_at, t.finished_at, t.missed_at,"         \
    " t.created_at, t.updated_at, pr.timezone, pv.checklist, t.plan_version, t.buildings,"    \
    " COALESCE(t.score, -1)"

#define TASK_FROM                                                                              \
    "tasks t JOIN projects pr ON pr.id = t.project_id"                                         \
    " JOIN plan_versions pv ON pv.plan_id = t.plan_id AND pv.version = t.plan_version"

static void task_read(db_rows *r, arena *a, task *t)
{
    *t = (task){0};
    t->id = db_int(r, 0);
    t->plan_id = db_int(r, 1);
    t->project_id = db_int(r, 2);
    t->equipment_id = db_int(r, 3);
    t->assignee_id = db_null(r, 4) ? 0 : db_int(r, 4);
    t->kind = arena_strdup(a, db_text(r, 5));
    t->title = arena_strdup(a, db_text(r, 6));
    t->state = arena_strdup(a, db_text(r, 7));
    t->skip_reason = db_null(r, 8) ? NULL : arena_strdup(a, db_text(r, 8));
    t->starts_at = db_int(r, 9);
    t->due_at = db_int(r, 10);
    t->started_at = db_null(r, 11) ? 0 : db_int(r, 11);
    t->finished_at = db_null(r, 12) ? 0 : db_int(r, 12);
    t->missed_at = db_null(r, 13) ? 0 : db_int(r, 13);
    t->created_at = db_int(r, 14);
    t->updated_at = db_int(r, 15);
    t->tz_offset = clock_tz_offset_or_default(db_text(r, 16));
    t->checklist = arena_strdup(a, db_text(r, 17));
    t->plan_version = (int)db_int(r, 18);
    t->buildings = db_null(r, 19) ? NULL : arena_strdup(a, db_text(r, 19));
    t->score = db_int(r, 20);
}

static json_t *task_time(int64_t t, int off)
{
    if (!t) return json_null();
    char s[40];
    clock_format(t, off, s, sizeof s);
    return json_string(s);
}

/* The checklist with each item's result (null when not answered yet). */
static int task_items(db *c, task *t, aj_error *err)
{
    json_t *items = json_loads(t->checklist, 0, NULL);
    if (!json_is_array(items)) {
        json_decref(items);
        items = json_array();
    }
    db_rows *r = db_query(c,
                          "SELECT key, ok, value, note, measure, photos, ticket_id, answered_by,"
                          " answered_at, recheck_ok, recheck_note, recheck_by, recheck_at,"
                          " rectification_id FROM task_results WHERE task_id = $1",
                          DB_ARGS(DB_INT(t->id)), err);
    if (!r) {
        json_decref(items);
        return err->rc;
    }
    size_t i;
    json_t *it;
    json_array_foreach(items, i, it) json_object_set_new(it, "result", json_null());
    while (db_next(r)) {
        const char *key = db_text(r, 0);
        json_array_foreach(items, i, it)
        {
            if (strcmp(json_string_value(json_object_get(it, "key")), key)) continue;
            json_t *res = json_pack(
                "{s:b, s:o, s:s, s:s, s:o, s:o, s:o, s:o}", "ok", (int)db_int(r, 1), "value",
                db_null(r, 2) ? json_null() : json_loads(db_text(r, 2), JSON_DECODE_ANY, NULL),
                "note", db_text(r, 3), "measure", db_text(r, 4), "photos",
                json_loads(db_text(r, 5), 0, NULL), "ticket_id",
                db_null(r, 6) ? json_null() : json_integer(db_int(r, 6)), "answered_by",
                db_null(r, 7) ? json_null() : json_integer(db_int(r, 7)), "answered_at",
                task_time(db_int(r, 8), t->tz_offset));
            if (!db_null(r, 13)) json_object_set_new(res, "rectification_id", json_integer(db_int(r, 13)));
            if (!db_null(r, 9))
                json_object_set_new(res, "recheck",
                                    json_pack("{s:b, s:s, s:o, s:o}", "ok", (int)db_int(r, 9),
                                              "note", db_text(r, 10), "by",
                                              db_null(r, 11) ? json_null() : json_integer(db_int(r, 11)),
                                              "at", task_time(db_int(r, 12), t->tz_offset)));
            else
                json_object_set_new(res, "recheck", json_null());
            json_object_set_new(it, "result", res);
        }
    }
    if (db_end(r, err)) {
        json_decref(items);
        return err->rc;
    }
    t->items = items;
    return 0;
}

int task_get(db *c, const actor *who, int64_t id, arena *a, task *out, aj_error *err)
{
    return task_load(c, who, id, a, out, err) ? err->rc : task_items(c, out, err);
}

int task_load(db *c, const actor *who, int64_t id, arena *a, task *out, aj_error *err)
{
    out->items = NULL;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_ENOTFOUND, NULL, "任务不存在");
    db_rows *r = db_query(c,
                          "SELECT " TASK_COLS " FROM " TASK_FROM " WHERE t.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) task_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "任务不存在");
    int rc = actor_can_see_project(c, who, out->project_id, err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_ENOTFOUND, NULL, "任务不存在");
    return rc;
}

int task_list(db *c, const actor *who, const task_filter *f, const page_req *pg, arena *a,
              task **items, size_t *n, int *more, aj_error *err)
{
    *n = 0;
    *more = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权执行此操作");
    if (f->kind && !strlist_has(plan_kinds, f->kind))
        return aj_fail(err, AJ_EINVAL, "kind", "未知任务类型");
    const char *st[6] = {0};
    for (size_t i = 0; i < f->nstates && i < 6; i++) {
        if (!task_state_known(f->states[i]))
            return aj_fail(err, AJ_EINVAL, "state",
                           "state 须为 scheduled、in_progress、done、late、missed 或 skipped");
        st[i] = f->states[i];
    }
    int64_t assignee = f->mine ? who->id : f->assignee_id;
    *items = arena_alloc(a, sizeof(task) * (size_t)(pg->limit + 1));
    /* Only the conditions given, so each list finds its index (assignee, project, plan,
     * equipment: all by due time); every value still a bound parameter. */
    db_val args[24];
    int na = 0;
    buf q;
    buf_init(&q, a);
    buf_puts(&q, "SELECT " TASK_COLS " FROM " TASK_FROM " WHERE 1 = 1");
#define TASK_ARG(cond, v)                                                                      \
    do {                                                                                       \
        args[na++] = (v);                                                                      \
        buf_printf(&q, cond, na);                                                              \
    } while (0)
    if (assignee) TASK_ARG(" AND t.assignee_id = $%d", DB_INT(assignee));
    if (f->unassigned) buf_puts(&q, " AND t.assignee_id IS NULL");
    if (f->project_id) TASK_ARG(" AND t.project_id = $%d", DB_INT(f->project_id));
    if (f->plan_id) TASK_ARG(" AND t.plan_id = $%d", DB_INT(f->plan_id));
    if (f->equipment_id) TASK_ARG(" AND t.equipment_id = $%d", DB_INT(f->equipment_id));
    if (f->kind) TASK_ARG(" AND t.kind = $%d", DB_TEXT(f->kind));
    if (f->due_from) TASK_ARG(" AND t.due_at >= $%d", DB_INT(f->due_from));
    if (f->due_to) TASK_ARG(" AND t.due_at < $%d", DB_INT(f->due_to));
    for (size_t i = 0; i < f->nstates; i++)
        TASK_ARG(i == 0 ? " AND t.state IN ($%d" : ", $%d", DB_TEXT(st[i]));
    if (f->nstates) buf_putc(&q, ')');
    if (!actor_is_company_wide(who))
        TASK_ARG(" AND t.project_id IN (SELECT project_id FROM staff_projects WHERE user_id = $%d)",
                 DB_INT(who->id));
    if (pg->after) {
        /* keyset on (due_at, id): the cursor is the last id, its due time read back */
        TASK_ARG(" AND (t.due_at, t.id) > ((SELECT due_at FROM tasks WHERE id = $%d),", DB_INT(pg->after));
        TASK_ARG(" $%d)", DB_INT(pg->after));
    }
    TASK_ARG(" ORDER BY t.due_at, t.id LIMIT $%d", DB_INT(pg->limit + 1));
#undef TASK_ARG
    db_rows *r = db_query(c, q.s, na, args, err);
    if (!r) return err->rc;
    while (db_next(r)) {
        if ((int)*n == pg->limit) {
            *more = 1;
            break;
        }
        task_read(r, a, &(*items)[(*n)++]);
    }
    return db_end(r, err) ? err->rc : 0;
}
