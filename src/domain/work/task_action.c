/* domain/work/task_action.c: the state machine of a task (scheduled → in_progress → done |
 * late; missed when its window ends, still finishable as late; skipped with a reason) and
 * its results. Each action is one transaction and one audit row; at finish every abnormal
 * result opens a ticket in the same transaction — no finding stays only in a note. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/tickets/tickets.h"
#include "domain/work/task.h"

#define TASK_TEXT_MAX 2000

static int task_action_open_state(const char *s)
{
    return !strcmp(s, "scheduled") || !strcmp(s, "in_progress") || !strcmp(s, "missed");
}

/* The assignee works the task; an unassigned one anyone of the project may take up;
 * managers, quality and admins may act on any task they see. */
static int task_action_may_work(const actor *who, const task *t, aj_error *err)
{
    if (who->role == ROLE_ADMIN || who->role == ROLE_MANAGER || who->role == ROLE_QUALITY)
        return 0;
    if (!t->assignee_id || t->assignee_id == who->id) return 0;
    return aj_fail(err, AJ_EFORBIDDEN, NULL, "该任务已指派给其他人");
}

static int task_action_load_for_action(db *c, const actor *who, int64_t id, arena *a, task *t,
                                aj_error *err)
{
    if (task_get(c, who, id, a, t, err)) return err->rc;
    json_decref(t->items);
    t->items = NULL;
    return task_action_may_work(who, t, err);
}

static int task_action_not_open(const task *t, aj_error *err)
{
    return aj_fail(err, AJ_ETRANSITION, "state", "任务已%s，不能再操作",
                   !strcmp(t->state, "skipped") ? "跳过" : "完成");
}

/* Puts a scheduled task in progress (and takes it up when unassigned), in the open
 * transaction. */
static int task_action_begin_work(db *c, const actor *who, const task *t, int64_t now, aj_error *err)
{
    if (strcmp(t->state, "scheduled")) return 0;
    int64_t n = db_exec(c,
                        "UPDATE tasks SET state = 'in_progress', started_at = $2, updated_at = $2,"
                        " assignee_id = COALESCE(assignee_id, $3) WHERE id = $1 AND state = 'scheduled'",
                        DB_ARGS(DB_INT(t->id), DB_INT(now), DB_OPT_INT(who->id, who->id)), err);
    return n < 0 ? err->rc : 0;
}

static int task_action_done(db *c, const actor *who, int64_t id, arena *a, task *out, int rc,
                     aj_error *err)
{
    if (rc) {
        db_rollback(c);
        return err->rc ? err->rc : AJ_EDB;
    }
    if (db_commit(c, err)) {
        db_rollback(c);
        return err->rc;
    }
    return task_get(c, who, id, a, out, err);
}

int task_start(db *c, const actor *who, int64_t id, arena *a, task *out, aj_error *err)
{
    task t;
    if (task_action_load_for_action(c, who, id, a, &t, err)) return err->rc;
    if (strcmp(t.state, "scheduled"))
        return aj_fail(err, AJ_ETRANSITION, "state", "只有未开始的任务可以开始（当前：%s）", t.state);
    if (db_begin(c, err)) return err->rc;
    int rc = task_action_begin_work(c, who, &t, clock_now(), err);
    if (!rc) rc = audit_append(c, who, "start", "task", id, NULL, err);
    return task_action_done(c, who, id, a, out, rc, err);
}

int task_skip(db *c, const actor *who, int64_t id, const char *reason, arena *a, task *out,
              aj_error *err)
{
    task t;
    if (task_action_load_for_action(c, who, id, a, &t, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    if (!reason || !*reason) return aj_fail(err, AJ_EINVAL, "reason", "跳过任务须填写原因");
    if (!task_action_open_state(t.state)) return task_action_not_open(&t, err);
    int64_t now = clock_now();
    if (db_begin(c, err)) return err->rc;
    int rc = 0;
    if (db_exec(c,
                "UPDATE tasks SET state = 'skipped', skip_reason = $2, finished_at = $3,"
                " updated_at = $3 WHERE id = $1",
                DB_ARGS(DB_INT(id), DB_TEXT(reason), DB_INT(now)), err) < 0)
        rc = err->rc;
    json_t *ch = json_pack("{s:s, s:s}", "from", t.state, "reason", reason);
    if (!rc) rc = audit_append(c, who, "skip", "task", id, ch, err);
    json_decref(ch);
    return task_action_done(c, who, id, a, out, rc, err);
}

/* The checklist item named key, or NULL. */
static json_t *task_action_item(json_t *checklist, const char *key)
{
    size_t i;
    json_t *it;
    json_array_foreach(checklist, i, it) if (!strcmp(json_string_value(json_object_get(it, "key")), key))
        return it;
    return NULL;
}

/* Whether the answer is abnormal (*ok 0), checked against the item's type and range. */
static int task_action_result_check(db *c, const actor *who, json_t *item, const task_result_input *in,
                             int *ok, aj_error *err)
{
    const char *type = json_string_value(json_object_get(item, "type"));
    *ok = in->has_ok ? in->ok : 1;
    if (!strcmp(type, "check") && !in->has_ok)
        return aj_fail(err, AJ_EINVAL, "ok", "请选择正常或异常（ok）");
    if (!strcmp(type, "number")) {
        if (!json_is_number(in->value)) return aj_fail(err, AJ_EINVAL, "value", "请填写数值（value）");
        double v = json_number_value(in->value);
        json_t *mn = json_object_get(item, "min"), *mx = json_object_get(item, "max");
        if ((json_is_number(mn) && v < json_number_value(mn)) ||
            (json_is_number(mx) && v > json_number_value(mx)))
            *ok = 0; /* outside its range is abnormal, whatever ok says */
    } else if (!strcmp(type, "text")) {
        const char *s = json_string_value(in->value);
        if (!s || !*s) return aj_fail(err, AJ_EINVAL, "value", "请填写内容（value）");
        if (strlen(s) > TASK_TEXT_MAX)
            return aj_fail(err, AJ_EINVAL, "value", "内容最长 %d 字节", TASK_TEXT_MAX);
    } else if (in->value && !json_is_null(in->value) && !json_is_string(in->value) &&
               !json_is_number(in->value) && !json_is_boolean(in->value)) {
        return aj_fail(err, AJ_EINVAL, "value", "value 须为数字、文字或布尔值");
    }
    if (!strcmp(type, "photo") && in->nphotos == 0)
        return aj_fail(err, AJ_EINVAL, "photos", "该检查项须上传照片");
    if (in->nphotos > TASK_MAX_PHOTOS)
        return aj_fail(err, AJ_EINVAL, "photos", "照片最多 %d 张", TASK_MAX_PHOTOS);
    for (size_t i = 0; i < in->nphotos; i++) {
        int rc = file_can_see(c, who, in->photos[i], err);
        if (rc == AJ_ENOTFOUND)
            return aj_fail(err, AJ_EINVAL, "photos", "文件 %lld 不存在", (long long)in->photos[i]);
        if (rc) return rc;
    }
    if (in->note && strlen(in->note) > TASK_TEXT_MAX)
        return aj_fail(err, AJ_EINVAL, "note", "问题描述最长 %d 字节", TASK_TEXT_MAX);
    if (in->measure && strlen(in->measure) > TASK_TEXT_MAX)
        return aj_fail(err, AJ_EINVAL, "measure", "处理措施最长 %d 字节", TASK_TEXT_MAX);
    /* The seeds' record: 问题描述 + 处理措施 (+ 复检结果 later). */
    if (!*ok && (!in->note || !*in->note))
        return aj_fail(err, AJ_EINVAL, "note", "异常须填写问题描述（note）");
    if (!*ok && (!in->measure || !*in->measure))
        return aj_fail(err, AJ_EINVAL, "measure", "异常须填写处理措施（measure）");
    return 0;
}

/* One item's answer, in the open transaction (a second answer replaces the first). */
static int task_action_write(db *c, const actor *who, int64_t id, const char *key, int ok,
                             const char *value, const char *note, const char *measure,
                             const char *photos, int64_t now, aj_error *err)
{
    return db_exec(c,
                   "INSERT INTO task_results (task_id, key, ok, value, note, measure, photos,"
                   " answered_by, answered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                   " ON CONFLICT (task_id, key) DO UPDATE SET ok = excluded.ok, value = excluded.value,"
                   " note = excluded.note, measure = excluded.measure, photos = excluded.photos,"
                   " answered_by = excluded.answered_by, answered_at = excluded.answered_at",
                   DB_ARGS(DB_INT(id), DB_TEXT(key), DB_INT(ok), DB_TEXT(value),
                           DB_TEXT(note ? note : ""), DB_TEXT(measure ? measure : ""),
                           DB_TEXT(photos), DB_OPT_INT(who->id, who->id), DB_INT(now)),
                   err) < 0
               ? err->rc
               : 0;
}

int task_checkin_in(db *c, const actor *who, const task *t, const char *key, const char *value,
                    const char *note, const char *photos, int64_t now, int *finished,
                    aj_error *err)
{
    *finished = 0;
    if (!task_action_open_state(t->state)) return task_action_not_open(t, err);
    if (task_action_may_work(who, t, err)) return err->rc;
    /* is key an item, how many items are required (kept per plan version) */
    size_t need = 0;
    int known = 0;
    if (task_checklist_facts(t, key, &known, &need)) return aj_fail(err, AJ_EDB, NULL, "内存不足");
    if (!known) return aj_fail(err, AJ_EINVAL, "key", "任务没有检查项 %.40s", key);
    if (task_action_begin_work(c, who, t, now, err) ||
        task_action_write(c, who, t->id, key, 1, value, note, "", photos, now, err))
        return err->rc;
    /* the round is done when every required item has its answer */
    int64_t left;
    if (db_scalar(c,
                  "SELECT $2 - COUNT(*) FROM task_results WHERE task_id = $1",
                  DB_ARGS(DB_INT(t->id), DB_INT((int64_t)need)), &left, err))
        return err->rc;
    if (left > 0) return 0;
    const char *state = now > t->due_at ? "late" : "done";
    if (db_exec(c,
                "UPDATE tasks SET state = $2, finished_at = $3, updated_at = $3,"
                " started_at = COALESCE(started_at, $3) WHERE id = $1",
                DB_ARGS(DB_INT(t->id), DB_TEXT(state), DB_INT(now)), err) < 0)
        return err->rc;
    json_t *ch = json_pack("{s:s, s:s, s:s}", "from", t->state, "to", state, "by", "checkin");
    int rc = audit_append(c, who, "finish", "task", t->id, ch, err);
    json_decref(ch);
    *finished = !rc;
    return rc;
}

int task_result_put(db *c, const actor *who, int64_t id, const char *key,
                    const task_result_input *in, arena *a, task *out, aj_error *err)
{
    task t;
    if (task_action_load_for_action(c, who, id, a, &t, err)) return err->rc;
    if (!task_action_open_state(t.state)) return task_action_not_open(&t, err);
    json_t *list = json_loads(t.checklist, 0, NULL);
    json_t *item = task_action_item(list, key);
    int ok = 1, rc;
    if (!item) rc = aj_fail(err, AJ_EINVAL, "key", "任务没有检查项 %.40s", key);
    /* a patrol checkpoint is proved by its scan (with its time, place and device) */
    else if (json_is_true(json_object_get(item, "scan")))
        rc = aj_fail(err, AJ_EINVAL, "key", "巡更点须到现场扫码打卡，不能手工填写");
    else rc = task_action_result_check(c, who, item, in, &ok, err);
    json_decref(list);
    if (rc) return rc;
    char *value = in->value && !json_is_null(in->value)
                      ? json_dumps(in->value, JSON_COMPACT | JSON_ENCODE_ANY)
                      : NULL;
    buf ph;
    buf_init(&ph, a);
    buf_putc(&ph, '[');
    for (size_t i = 0; i < in->nphotos; i++)
        buf_printf(&ph, "%s%lld", i ? "," : "", (long long)in->photos[i]);
    buf_putc(&ph, ']');
    int64_t now = clock_now();
    if (db_begin(c, err)) {
        free(value);
        return err->rc;
    }
    rc = task_action_begin_work(c, who, &t, now, err);
    if (!rc)
        rc = task_action_write(c, who, id, key, ok, value, in->note, in->measure, ph.s, now, err);
    json_t *ch = json_pack("{s:s, s:b}", "key", key, "ok", ok);
    free(value);
    if (!rc) rc = audit_append(c, who, "result", "task", id, ch, err);
    json_decref(ch);
    return task_action_done(c, who, id, a, out, rc, err);
}

typedef struct task_finding {
    const char *key, *label, *note, *measure;
} task_finding;

/* The ticket of one abnormal finding, inside the finish's transaction. */
static int task_action_open_ticket(db *c, const actor *who, const task *t, const char *cat_path,
                            const task_finding *f, arena *a, ticket *out, aj_error *err)
{
    ticket_input in = {0};
    in.project_id = t->project_id;
    in.has_project = 1;
    in.kind = "repair";
    in.priority = "normal";
    in.category = cat_path;
    in.channel = !strcmp(t->kind, "patrol") ? "patrol" : "inspection";
    in.title = arena_printf(a, "【%s异常】%s：%s", !strcmp(t->kind, "patrol") ? "巡查" : "检查",
                            arena_strcut(a, t->title, 60), arena_strcut(a, f->label, 60));
    in.description = arena_printf(a, "问题描述：%s\n处理措施：%s", f->note, f->measure);
    in.equipment_id = t->equipment_id; /* on the equipment the task was for, if any */
    in.has_equipment = t->equipment_id != 0;
    in.task_id = t->id;
    in.task_item = f->key;
    return ticket_create_in(c, who, &in, a, out, err);
}

static task_inspection_fn task_action_inspection;

void task_on_inspection_finish(task_inspection_fn fn) { task_action_inspection = fn; }

int task_finish(db *c, const actor *who, int64_t id, arena *a, task *out, aj_error *err)
{
    task t;
    if (task_get(c, who, id, a, &t, err)) return err->rc;
    json_t *items = t.items;
    t.items = NULL;
    /* an inspection's failed items are rectifications (quality's), not tickets */
    int inspection = !strcmp(t.kind, "inspection") && task_action_inspection;
    int rc = task_action_may_work(who, &t, err);
    if (!rc && !task_action_open_state(t.state)) rc = task_action_not_open(&t, err);
    task_finding *found = NULL;
    size_t nfound = 0, cap = 0, i;
    json_t *it;
    json_array_foreach(items, i, it)
    {
        if (rc) break;
        json_t *res = json_object_get(it, "result");
        const char *key = json_string_value(json_object_get(it, "key"));
        if (json_is_true(json_object_get(it, "required")) && json_is_null(res)) {
            rc = aj_fail(err, AJ_EINVAL, key, "必填检查项未完成：%s",
                         json_string_value(json_object_get(it, "label")));
            break;
        }
        if (!inspection && json_is_object(res) && json_is_false(json_object_get(res, "ok")) &&
            json_is_null(json_object_get(res, "ticket_id"))) {
            found = arena_grow(a, found, nfound, &cap, sizeof *found);
            found[nfound++] = (task_finding){
                .key = arena_strdup(a, key),
                .label = arena_strdup(a, json_string_value(json_object_get(it, "label"))),
                .note = arena_strdup(a, json_string_value(json_object_get(res, "note"))),
                .measure = arena_strdup(a, json_string_value(json_object_get(res, "measure")))};
        }
    }
    if (rc) {
        json_decref(items);
        return rc;
    }
    const char *cat_path = "其他";
    db_rows *r = db_query(c, "SELECT category FROM plans WHERE id = $1", DB_ARGS(DB_INT(t.plan_id)), err);
    if (r && db_next(r) && *db_text(r, 0)) cat_path = arena_strdup(a, db_text(r, 0));
    if (!r || db_end(r, err)) {
        json_decref(items);
        return err->rc;
    }
    int64_t now = clock_now();
    const char *state = now > t.due_at ? "late" : "done";
    ticket *tickets = arena_alloc(a, sizeof(ticket) * (nfound ? nfound : 1));
    live_hold();
    if (db_begin(c, err)) {
        live_release(0);
        json_decref(items);
        return err->rc;
    }
    rc = task_action_begin_work(c, who, &t, now, err);
    for (size_t k = 0; !rc && k < nfound; k++) {
        rc = task_action_open_ticket(c, who, &t, cat_path, &found[k], a, &tickets[k], err);
        if (rc == AJ_EINVAL && !strcmp(err->field, "category"))
            rc = task_action_open_ticket(c, who, &t, "其他", &found[k], a, &tickets[k], err);
        if (!rc &&
            db_exec(c, "UPDATE task_results SET ticket_id = $3 WHERE task_id = $1 AND key = $2",
                    DB_ARGS(DB_INT(id), DB_TEXT(found[k].key), DB_INT(tickets[k].id)), err) < 0)
            rc = err->rc;
        if (!rc) ticket_live(&tickets[k], "create"); /* held until the commit */
    }
    int64_t score = -1;
    if (!rc && inspection)
        rc = task_action_inspection(c, who, id, t.project_id, t.plan_id, items, &score, err);
    json_array_foreach(items, i, it)
    {
        json_t *res = json_object_get(it, "result");
        json_t *rid = json_object_get(res, "rectification_id");
        if (rc || !json_is_integer(rid)) continue;
        if (db_exec(c, "UPDATE task_results SET rectification_id = $3 WHERE task_id = $1 AND key = $2",
                    DB_ARGS(DB_INT(id), DB_TEXT(json_string_value(json_object_get(it, "key"))),
                            DB_INT(json_integer_value(rid))),
                    err) < 0)
            rc = err->rc;
    }
    json_decref(items);
    if (!rc && db_exec(c,
                       "UPDATE tasks SET state = $2, finished_at = $3, updated_at = $3,"
                       " started_at = COALESCE(started_at, $3), score = $4 WHERE id = $1",
                       DB_ARGS(DB_INT(id), DB_TEXT(state), DB_INT(now), DB_OPT_INT(score >= 0, score)),
                       err) < 0)
        rc = err->rc;
    json_t *ch = json_pack("{s:s, s:s, s:I}", "from", t.state, "to", state, "tickets",
                           (json_int_t)nfound);
    if (!rc) rc = audit_append(c, who, "finish", "task", id, ch, err);
    json_decref(ch);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    live_release(rc == 0);
    if (rc) return err->rc ? err->rc : AJ_EDB;
    return task_get(c, who, id, a, out, err);
}

int task_recheck(db *c, const actor *who, int64_t id, const char *key, int ok, const char *note,
                 arena *a, task *out, aj_error *err)
{
    task t;
    if (task_get(c, who, id, a, &t, err)) return err->rc;
    json_decref(t.items);
    t.items = NULL;
    if (!actor_is_staff(who) || who->role == ROLE_DESK)
        return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前角色无权复检");
    if (strcmp(t.state, "done") && strcmp(t.state, "late"))
        return aj_fail(err, AJ_ETRANSITION, "state", "任务完成后才能复检");
    if (note && strlen(note) > TASK_TEXT_MAX)
        return aj_fail(err, AJ_EINVAL, "note", "复检说明最长 %d 字节", TASK_TEXT_MAX);
    int64_t cur_ok, has_recheck;
    int rc = db_scalar(c, "SELECT ok FROM task_results WHERE task_id = $1 AND key = $2",
                       DB_ARGS(DB_INT(id), DB_TEXT(key)), &cur_ok, err);
    if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "key", "该检查项没有记录");
    if (rc) return rc;
    if (cur_ok) return aj_fail(err, AJ_EINVAL, "key", "只有异常项需要复检");
    rc = db_scalar(c, "SELECT 1 FROM task_results WHERE task_id = $1 AND key = $2 AND recheck_at IS NOT NULL",
                   DB_ARGS(DB_INT(id), DB_TEXT(key)), &has_recheck, err);
    if (rc == 0) return aj_fail(err, AJ_ETRANSITION, "key", "该项已复检");
    if (rc != AJ_ENOTFOUND) return rc;
    int64_t now = clock_now();
    if (db_begin(c, err)) return err->rc;
    rc = 0;
    if (db_exec(c,
                "UPDATE task_results SET recheck_ok = $3, recheck_note = $4, recheck_by = $5,"
                " recheck_at = $6 WHERE task_id = $1 AND key = $2",
                DB_ARGS(DB_INT(id), DB_TEXT(key), DB_INT(ok), DB_TEXT(note ? note : ""),
                        DB_OPT_INT(who->id, who->id), DB_INT(now)),
                err) < 0)
        rc = err->rc;
    json_t *ch = json_pack("{s:s, s:b}", "key", key, "ok", ok);
    if (!rc) rc = audit_append(c, who, "recheck", "task", id, ch, err);
    json_decref(ch);
    return task_action_done(c, who, id, a, out, rc, err);
}
