/* api/work/tasks.c: HTTP face of tasks: lists, one task, its actions and results. */
#include <string.h>

#include "api/jv.h"
#include "api/out.h"
#include "api/work/work_api.h"

/* steals t->items */
static json_t *tasks_json(task *t)
{
    int off = t->tz_offset;
    json_t *o = json_pack(
        "{s:I, s:I, s:s, s:s, s:I, s:o, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o, s:o}", "id",
        (json_int_t)t->id, "plan_id", (json_int_t)t->plan_id, "kind", t->kind, "title", t->title,
        "project_id", (json_int_t)t->project_id, "equipment_id",
        t->equipment_id ? json_integer(t->equipment_id) : json_null(), "assignee_id",
        t->assignee_id ? json_integer(t->assignee_id) : json_null(), "starts_at",
        out_time(t->starts_at, off), "due_at", out_time(t->due_at, off), "state", t->state,
        "started_at", out_time(t->started_at, off), "finished_at", out_time(t->finished_at, off),
        "missed_at", out_time(t->missed_at, off), "skip_reason",
        t->skip_reason ? json_string(t->skip_reason) : json_null(), "created_at",
        out_time(t->created_at, off), "updated_at", out_time(t->updated_at, off));
    json_object_set_new(o, "plan_version", json_integer(t->plan_version));
    if (t->buildings) json_object_set_new(o, "buildings", json_loads(t->buildings, 0, NULL));
    if (!strcmp(t->kind, "inspection"))
        json_object_set_new(o, "score", t->score >= 0 ? json_integer(t->score) : json_null());
    if (t->items) json_object_set_new(o, "items", t->items);
    t->items = NULL;
    return o;
}

static void tasks_reply(req *r, int rc, task *t)
{
    if (rc) return reply_error(r);
    reply_json(r, 200, tasks_json(t));
}

void api_tasks_list(req *r)
{
    page_req pg;
    task_filter f = {0};
    task *items;
    size_t n;
    int more, present;
    const char *state = NULL, *mine = NULL, *unassigned = NULL;
    if (!req_query_int_or_reply(r, "project_id", 1, INT64_MAX, &f.project_id, &present) ||
        !req_query_int_or_reply(r, "plan_id", 1, INT64_MAX, &f.plan_id, &present) ||
        !req_query_int_or_reply(r, "assignee_id", 1, INT64_MAX, &f.assignee_id, &present) ||
        !req_query_int_or_reply(r, "equipment_id", 1, INT64_MAX, &f.equipment_id, &present) ||
        !req_query_text_or_reply(r, "kind", &f.kind) ||
        !req_query_text_or_reply(r, "state", &state) ||
        !req_query_text_or_reply(r, "mine", &mine) ||
        !req_query_text_or_reply(r, "unassigned", &unassigned) ||
        !req_query_time_or_reply(r, "due_from", &f.due_from) ||
        !req_query_time_or_reply(r, "due_to", &f.due_to) || !out_page_or_reply(r, &pg))
        return;
    if (mine && strcmp(mine, "1") && strcmp(mine, "true") && strcmp(mine, "0") && strcmp(mine, "false"))
        return reply_fail(r, AJ_EINVAL, "mine", "mine 须为 1 或 0");
    f.mine = mine && (!strcmp(mine, "1") || !strcmp(mine, "true"));
    f.unassigned = unassigned && (!strcmp(unassigned, "1") || !strcmp(unassigned, "true"));
    /* state=a,b,c */
    for (const char *p = state; p && *p && f.nstates < 6;) {
        size_t len = strcspn(p, ",");
        f.states[f.nstates++] = arena_strndup(&r->a, p, len);
        p += len + (p[len] == ',');
    }
    if (task_list(r->db, &r->who, &f, &pg, &r->a, &items, &n, &more, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) json_array_append_new(arr, tasks_json(&items[i]));
    out_page_reply(r, arr, more, n ? items[n - 1].id : 0, &pg, 0);
}

void api_tasks_get(req *r)
{
    int64_t id;
    task t;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    tasks_reply(r, task_get(r->db, &r->who, id, &r->a, &t, &r->err), &t);
}

void api_tasks_start(req *r)
{
    int64_t id;
    task t;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    tasks_reply(r, task_start(r->db, &r->who, id, &r->a, &t, &r->err), &t);
}

void api_tasks_skip(req *r)
{
    int64_t id;
    json_t *b;
    const char *reason = NULL;
    task t;
    static const char *const fields[] = {"reason", NULL};
    if (!req_path_id_or_reply(r, "id", &id)) return;
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, fields, &r->err) || jv_str(b, "reason", JV_REQUIRED, 500, &reason, &r->err))
        return reply_error(r);
    tasks_reply(r, task_skip(r->db, &r->who, id, reason, &r->a, &t, &r->err), &t);
}

void api_tasks_finish(req *r)
{
    int64_t id;
    task t;
    if (!req_path_id_or_reply(r, "id", &id)) return;
    tasks_reply(r, task_finish(r->db, &r->who, id, &r->a, &t, &r->err), &t);
}

void api_tasks_result(req *r)
{
    int64_t id;
    json_t *b;
    task t;
    task_result_input in = {0};
    static const char *const fields[] = {"ok", "value", "note", "measure", "photos", NULL};
    if (!req_path_id_or_reply(r, "id", &id)) return;
    const char *key = req_param(r, "key");
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, fields, &r->err) || jv_bool(b, "ok", 0, &in.ok, &in.has_ok, &r->err) ||
        jv_str(b, "note", 0, 2000, &in.note, &r->err) ||
        jv_str(b, "measure", 0, 2000, &in.measure, &r->err) ||
        jv_ids(b, "photos", 0, TASK_MAX_PHOTOS + 1, &r->a, &in.photos, &in.nphotos, &in.has_photos,
               &r->err))
        return reply_error(r);
    in.value = json_object_get(b, "value");
    tasks_reply(r, task_result_put(r->db, &r->who, id, key ? key : "", &in, &r->a, &t, &r->err),
                &t);
}

void api_tasks_recheck(req *r)
{
    int64_t id;
    json_t *b;
    task t;
    int ok, present;
    const char *note = NULL;
    static const char *const fields[] = {"ok", "note", NULL};
    if (!req_path_id_or_reply(r, "id", &id)) return;
    const char *key = req_param(r, "key");
    if (!(b = req_json_or_reply(r))) return;
    if (jv_only(b, fields, &r->err) || jv_bool(b, "ok", JV_REQUIRED, &ok, &present, &r->err) ||
        jv_str(b, "note", 0, 2000, &note, &r->err))
        return reply_error(r);
    tasks_reply(r, task_recheck(r->db, &r->who, id, key ? key : "", ok, note, &r->a, &t, &r->err),
                &t);
}

static json_t *tasks_stats_rate(int64_t part, int64_t whole)
{
    return whole > 0 ? json_real((double)part / (double)whole) : json_null();
}

/* GET /stats/tasks?project_id=&kind=&week_of=YYYY-MM-DD: the week (Monday to Sunday at the
 * project) holding week_of, default this week; per plan done against planned. */
void api_tasks_stats(req *r)
{
    int64_t project_id, day;
    int off;
    const char *kind = NULL;
    if (!req_staff_or_reply(r) || !req_query_text_or_reply(r, "kind", &kind) ||
        !out_project_day_or_reply(r, "week_of", &project_id, &day, &off))
        return;
    int64_t monday = day - (clock_weekday(day) + 6) % 7;
    task_plan_stats *rows;
    size_t n;
    if (task_stats_by_plan(r->db, &r->who, project_id, kind, monday * 86400 - off,
                           (monday + 7) * 86400 - off, &r->a, &rows, &n, &r->err))
        return reply_error(r);
    json_t *arr = json_array();
    task_plan_stats tot = {0};
    for (size_t i = 0; i < n; i++) {
        const task_plan_stats *s = &rows[i];
        int64_t due = s->planned - s->skipped;
        json_array_append_new(
            arr, json_pack("{s:I, s:s, s:s, s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}", "plan_id",
                           (json_int_t)s->plan_id, "title", s->title, "area", s->area, "kind", s->kind,
                           "planned", (json_int_t)s->planned, "done", (json_int_t)s->done, "late",
                           (json_int_t)s->late, "missed", (json_int_t)s->missed, "skipped",
                           (json_int_t)s->skipped, "open", (json_int_t)s->open, "completion",
                           tasks_stats_rate(s->done + s->late, due), "on_time",
                           tasks_stats_rate(s->done, due)));
        tot.planned += s->planned;
        tot.done += s->done;
        tot.late += s->late;
        tot.missed += s->missed;
        tot.skipped += s->skipped;
        tot.open += s->open;
    }
    char from[16], to[16];
    clock_format_date(monday, from, sizeof from);
    clock_format_date(monday + 7, to, sizeof to);
    int64_t due = tot.planned - tot.skipped;
    reply_json(r, 200,
               json_pack("{s:I, s:o, s:s, s:s, s:o, s:{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o}}",
                         "project_id", (json_int_t)project_id, "kind", out_str(kind), "from", from,
                         "to", to, "plans", arr, "totals", "planned", (json_int_t)tot.planned, "done",
                         (json_int_t)tot.done, "late", (json_int_t)tot.late, "missed",
                         (json_int_t)tot.missed, "skipped", (json_int_t)tot.skipped, "open",
                         (json_int_t)tot.open, "completion", tasks_stats_rate(tot.done + tot.late, due),
                         "on_time", tasks_stats_rate(tot.done, due)));
}
