/* domain/patrol/patrol_board.c: today's round board (今日巡更) — every round of a project's
 * day with its progress and flags, for the console to show at a glance and refresh on each
 * live scan. Two queries whatever the stored history: the day's rounds through the tasks'
 * (project, due) index, and their scans grouped per round through the scans' (task,
 * checkpoint) key; a round's checkpoint count is its plan version's checklist, parsed once
 * per version. */
#include <string.h>

#include "base/clock.h"
#include "domain/patrol/patrol.h"

typedef struct patrol_board_version {
    int64_t plan_id, version, points;
} patrol_board_version;

int patrol_board_get(db *c, const actor *who, int64_t project_id, int64_t from, int64_t to,
                     arena *a, patrol_board_round **rounds, size_t *n, aj_error *err)
{
    *n = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (actor_can_see_project(c, who, project_id, err)) return err->rc;
    patrol_board_round *list = arena_alloc(a, sizeof *list * PATROL_BOARD_MAX);
    patrol_board_version *vers = arena_alloc(a, sizeof *vers * PATROL_BOARD_MAX);
    size_t nvers = 0;
    /* a round belongs to the day its window meets: due after the day starts, started
     * before it ends (a window is at most a day, so due_at < to + a day bounds the scan) */
    db_rows *r = db_query(
        c,
        "SELECT t.id, t.plan_id, COALESCE(t.assignee_id, 0), t.title, COALESCE(u.name, ''),"
        " t.state, t.starts_at, t.due_at, t.plan_version,"
        " (SELECT pz.timezone FROM projects pz WHERE pz.id = t.project_id)"
        " FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id"
        " WHERE t.project_id = $1 AND t.kind = 'patrol' AND t.due_at > $2 AND t.due_at < $3 + 86400"
        " AND t.starts_at < $3 ORDER BY t.starts_at, t.id LIMIT $4",
        DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(to), DB_INT(PATROL_BOARD_MAX)), err);
    if (!r) return err->rc;
    while (db_next(r)) {
        patrol_board_round *x = &list[(*n)++];
        *x = (patrol_board_round){.id = db_int(r, 0), .plan_id = db_int(r, 1),
                                  .assignee_id = db_int(r, 2), .title = arena_strdup(a, db_text(r, 3)),
                                  .assignee_name = arena_strdup(a, db_text(r, 4)),
                                  .state = arena_strdup(a, db_text(r, 5)), .starts_at = db_int(r, 6),
                                  .due_at = db_int(r, 7),
                                  .tz_offset = clock_tz_offset_or_default(db_text(r, 9))};
        int64_t version = db_int(r, 8);
        size_t k = 0;
        while (k < nvers && !(vers[k].plan_id == x->plan_id && vers[k].version == version)) k++;
        if (k == nvers) vers[nvers++] = (patrol_board_version){x->plan_id, version, -1};
        x->checkpoints = (int64_t)k; /* the version's slot, until the counts are known */
    }
    if (db_end(r, err)) return err->rc;
    for (size_t k = 0; k < nvers; k++) {
        const char *cl = NULL;
        db_rows *v = db_query(c, "SELECT checklist FROM plan_versions WHERE plan_id = $1 AND version = $2",
                              DB_ARGS(DB_INT(vers[k].plan_id), DB_INT(vers[k].version)), err);
        if (!v) return err->rc;
        if (db_next(v)) cl = arena_strdup(a, db_text(v, 0));
        if (db_end(v, err)) return err->rc;
        json_t *items = cl ? json_loads(cl, 0, NULL) : NULL;
        vers[k].points = (int64_t)json_array_size(items);
        json_decref(items);
    }
    for (size_t i = 0; i < *n; i++) list[i].checkpoints = vers[list[i].checkpoints].points;
    if (!*n) {
        *rounds = list;
        return 0;
    }
    r = db_query(c,
                 "SELECT s.task_id, COUNT(*),"
                 " SUM(CASE WHEN s.flags LIKE '%\"far\"%' THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN s.flags LIKE '%\"speed\"%' THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN s.flags LIKE '%\"device\"%' THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN s.flags LIKE '%\"burst\"%' THEN 1 ELSE 0 END), MAX(s.scanned_at)"
                 " FROM tasks t JOIN patrol_scans s ON s.task_id = t.id"
                 " WHERE t.project_id = $1 AND t.kind = 'patrol' AND t.due_at > $2"
                 " AND t.due_at < $3 + 86400 AND t.starts_at < $3 GROUP BY s.task_id",
                 DB_ARGS(DB_INT(project_id), DB_INT(from), DB_INT(to)), err);
    if (!r) return err->rc;
    while (db_next(r)) {
        int64_t id = db_int(r, 0);
        for (size_t i = 0; i < *n; i++) {
            if (list[i].id != id) continue;
            list[i].scanned = db_int(r, 1);
            list[i].far = db_int(r, 2);
            list[i].speed = db_int(r, 3);
            list[i].device = db_int(r, 4);
            list[i].burst = db_int(r, 5);
            list[i].last_scan_at = db_int(r, 6);
            break;
        }
    }
    if (db_end(r, err)) return err->rc;
    *rounds = list;
    return 0;
}
