/* domain/work/task_alert.c: a patrol round nobody has started 10 minutes after its start
 * (巡更未按时开始) is told at once to the project's managers — the duty manager can still
 * send someone while the round's window is open, which a miss at the window's end is too
 * late for. Each round alerts once: the claim (start_alerted_at) and the notices are one
 * transaction, so with two servers on one database the first job to see it alerts and
 * the other finds it claimed. */
#include <stdio.h>

#include "base/clock.h"
#include "domain/work/task.h"

#define TASK_ALERT_BATCH 500

typedef struct task_alert_round {
    int64_t id, project_id, starts_at;
    const char *title, *guard; /* guard: the assignee's name, "" when nobody */
    int tz_offset;
} task_alert_round;

static int task_alert_one(db *c, const task_alert_round *t, int64_t now, int *sent, aj_error *err)
{
    *sent = 0;
    if (db_begin(c, err)) return err->rc;
    live_hold();
    int64_t ch = db_exec(c,
                         "UPDATE tasks SET start_alerted_at = $2 WHERE id = $1 AND state = 'scheduled'"
                         " AND start_alerted_at IS NULL",
                         DB_ARGS(DB_INT(t->id), DB_INT(now)), err);
    int rc = ch < 0 ? err->rc : 0;
    int64_t ids[NOTIFY_MAX_RECIPIENTS];
    size_t n = 0;
    if (!rc && ch)
        rc = notify_recipients(c, t->project_id, 0, "manager", ids, NOTIFY_MAX_RECIPIENTS, &n, err);
    char hm[40], title[160], body[400];
    clock_format(t->starts_at, t->tz_offset, hm, sizeof hm); /* "2026-12-03T21:00:00+08:00" */
    snprintf(title, sizeof title, "巡更未按时开始：%s", t->title);
    snprintf(body, sizeof body, "%s%s应于 %.5s 开始的巡更“%s”已超过 10 分钟仍未开始，请安排人员。",
             *t->guard ? t->guard : "无人负责", *t->guard ? " " : "，", hm + 11, t->title);
    for (size_t i = 0; !rc && i < n; i++)
        rc = notify_create(c, ids[i], t->project_id, 0, NOTIFY_TASK_LATE, title, body, now, err);
    if (!rc && ch) {
        live_target to = {.project_id = t->project_id};
        json_t *d = json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)t->id, "project_id",
                              (json_int_t)t->project_id, "state", "scheduled", "alert", "unstarted");
        live_publish(&to, "task", d);
        json_decref(d);
    }
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    live_release(rc == 0);
    *sent = !rc && ch > 0;
    return rc;
}

int task_alert_unstarted(db *c, int64_t now, int64_t *alerted, aj_error *err)
{
    *alerted = 0;
    arena a;
    arena_init(&a, 8192);
    task_alert_round *list = arena_alloc(&a, sizeof *list * TASK_ALERT_BATCH);
    size_t n = 0;
    db_rows *r = db_query(c,
                          "SELECT t.id, t.project_id, t.starts_at, t.title, COALESCE(u.name, ''),"
                          " (SELECT pz.timezone FROM projects pz WHERE pz.id = t.project_id)"
                          " FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id"
                          " WHERE t.kind = 'patrol' AND t.state = 'scheduled'"
                          " AND t.start_alerted_at IS NULL AND t.starts_at <= $1 AND t.due_at > $2"
                          " ORDER BY t.starts_at, t.id LIMIT $3",
                          DB_ARGS(DB_INT(now - TASK_ALERT_AFTER), DB_INT(now), DB_INT(TASK_ALERT_BATCH)),
                          err);
    if (!r) goto fail;
    while (db_next(r))
        list[n++] = (task_alert_round){.id = db_int(r, 0), .project_id = db_int(r, 1),
                                       .starts_at = db_int(r, 2),
                                       .title = arena_strcut(&a, arena_strdup(&a, db_text(r, 3)), 100),
                                       .guard = arena_strdup(&a, db_text(r, 4)),
                                       .tz_offset = clock_tz_offset_or_default(db_text(r, 5))};
    if (db_end(r, err)) goto fail;
    for (size_t i = 0; i < n; i++) {
        int sent;
        if (task_alert_one(c, &list[i], now, &sent, err)) goto fail;
        *alerted += sent;
    }
    arena_free(&a);
    return 0;
fail:
    arena_free(&a);
    return err->rc ? err->rc : AJ_EDB;
}
