/* domain/core/notify.c: in-app notifications: written inside the transaction of
 * what caused them; listed and marked read by their recipient only. */
#include "domain/core/notify.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/core/live.h"

#define NOTIFY_TITLE_MAX 200
#define NOTIFY_BODY_MAX 1000

int notify_create(db *c, int64_t user_id, int64_t project_id, int64_t ticket_id,
                  const char *kind, const char *title, const char *body, int64_t now,
                  aj_error *err)
{
    arena a;
    arena_init(&a, 2048);
    int64_t id = 0;
    const char *cut = arena_strcut(&a, title, NOTIFY_TITLE_MAX);
    int rc = db_scalar(c,
                       "INSERT INTO notifications (user_id, project_id, ticket_id, kind, title,"
                       " body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                       DB_ARGS(DB_INT(user_id), DB_OPT_INT(project_id, project_id),
                               DB_OPT_INT(ticket_id, ticket_id), DB_TEXT(kind), DB_TEXT(cut),
                               DB_TEXT(arena_strcut(&a, body, NOTIFY_BODY_MAX)), DB_INT(now)),
                       &id, err);
    if (!rc) {
        /* To the recipient's open streams; a caller inside a transaction holds
         * it back until the commit (live_hold/live_release). */
        json_t *ev = json_pack("{s:I, s:s, s:o, s:s}", "id", (json_int_t)id, "kind", kind,
                               "ticket_id", ticket_id ? json_integer(ticket_id) : json_null(),
                               "title", cut);
        live_notification(user_id, ev);
        json_decref(ev);
    }
    arena_free(&a);
    return rc;
}

int notify_recipients(db *c, int64_t project_id, int64_t assignee_id, const char *notify,
                      int64_t *ids, size_t max, size_t *n, aj_error *err)
{
    const char *role = NULL;
    *n = 0;
    if (!notify) return 0;
    if (!strcmp(notify, "assignee")) {
        if (assignee_id) {
            int64_t one;
            int rc = db_scalar(c, "SELECT id FROM users WHERE id = $1 AND active = 1",
                               DB_ARGS(DB_INT(assignee_id)), &one, err);
            if (rc == AJ_ENOTFOUND) return 0;
            if (rc) return rc;
            if (max) ids[(*n)++] = one;
            return 0;
        }
        role = "desk"; /* an unassigned ticket is still the desk's */
    } else if (!strcmp(notify, "manager") || !strcmp(notify, "quality") ||
               !strcmp(notify, "desk")) {
        role = notify;
    } else {
        return 0;
    }
    db_rows *r = db_query(c,
                          "SELECT u.id FROM staff_projects sp JOIN users u ON u.id = sp.user_id"
                          " WHERE sp.project_id = $1 AND u.role = $2 AND u.active = 1"
                          " ORDER BY u.id",
                          DB_ARGS(DB_INT(project_id), DB_TEXT(role)), err);
    if (!r) return err->rc;
    while (*n < max && db_next(r)) ids[(*n)++] = db_int(r, 0);
    return db_end(r, err);
}

/* ---- the recipient's side ---- */

#define NOTIFY_COLS                                                                            \
    "n.id, n.user_id, COALESCE(n.project_id, 0), COALESCE(n.ticket_id, 0), n.kind, n.title,"   \
    " n.body, n.created_at, COALESCE(n.read_at, 0),"                                           \
    " (SELECT t.no FROM tickets t WHERE t.id = n.ticket_id),"                                  \
    " (SELECT p.timezone FROM projects p WHERE p.id = n.project_id)"

static void notify_row(db_rows *r, arena *a, notification *n)
{
    memset(n, 0, sizeof *n);
    n->id = db_int(r, 0);
    n->user_id = db_int(r, 1);
    n->project_id = db_int(r, 2);
    n->ticket_id = db_int(r, 3);
    n->kind = arena_strdup(a, db_text(r, 4));
    n->title = arena_strdup(a, db_text(r, 5));
    n->body = arena_strdup(a, db_text(r, 6));
    n->created_at = db_int(r, 7);
    n->read_at = db_int(r, 8);
    n->ticket_no = db_null(r, 9) ? NULL : arena_strdup(a, db_text(r, 9));
    n->tz_offset = clock_tz_offset_or_default(db_null(r, 10) ? NULL : db_text(r, 10));
}

/* Everyone who logs in has a list (residents' stays empty for now); a
 * session without a user has none. */
static int notify_check_caller(const actor *who, aj_error *err)
{
    if (who->role == ROLE_NONE || who->id <= 0)
        return aj_fail(err, AJ_EFORBIDDEN, NULL, "当前身份没有通知");
    return 0;
}

int notify_list(db *c, const actor *who, int unread_only, const page_req *pg, arena *a,
                notification **items, size_t *n, int *more, int64_t *unread, aj_error *err)
{
    *n = 0;
    *more = 0;
    *unread = 0;
    if (notify_check_caller(who, err)) return err->rc;
    /* Two texts rather than "$3 = 0 OR read_at IS NULL": the unread list must
     * say read_at IS NULL itself to be served by the partial index. */
    const char *sql =
        unread_only ? "SELECT " NOTIFY_COLS " FROM notifications n WHERE n.user_id = $1"
                      " AND n.id < $2 AND n.read_at IS NULL ORDER BY n.id DESC LIMIT $3"
                    : "SELECT " NOTIFY_COLS " FROM notifications n WHERE n.user_id = $1"
                      " AND n.id < $2 ORDER BY n.id DESC LIMIT $3";
    int64_t before = pg->after > 0 ? pg->after : INT64_MAX;
    db_rows *r = db_query(c, sql,
                          DB_ARGS(DB_INT(who->id), DB_INT(before), DB_INT(pg->limit + 1)), err);
    if (!r) return err->rc;
    *items = arena_alloc(a, (size_t)(pg->limit + 1) * sizeof **items);
    while (db_next(r)) {
        if ((int)*n == pg->limit) {
            *more = 1;
            break;
        }
        notify_row(r, a, &(*items)[(*n)++]);
    }
    if (db_end(r, err)) return err->rc;
    return db_scalar(c,
                     "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                     DB_ARGS(DB_INT(who->id)), unread, err);
}

static int notify_get(db *c, const actor *who, int64_t id, arena *a, notification *out,
                      aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT " NOTIFY_COLS " FROM notifications n"
                          " WHERE n.id = $1 AND n.user_id = $2",
                          DB_ARGS(DB_INT(id), DB_INT(who->id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) notify_row(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "通知不存在");
}

int notify_read(db *c, const actor *who, int64_t id, arena *a, notification *out,
                aj_error *err)
{
    if (notify_check_caller(who, err) || db_begin(c, err)) return err->rc;
    /* Only the recipient's own row matches: anyone else's id is simply not found. */
    int64_t n = db_exec(c,
                        "UPDATE notifications SET read_at = $3"
                        " WHERE id = $1 AND user_id = $2 AND read_at IS NULL",
                        DB_ARGS(DB_INT(id), DB_INT(who->id), DB_INT(clock_now())), err);
    if (n < 0 || db_commit(c, err)) {
        if (db_in_tx(c)) db_rollback(c);
        return err->rc ? err->rc : AJ_EDB;
    }
    return notify_get(c, who, id, a, out, err);
}

int notify_read_all(db *c, const actor *who, int64_t *n, aj_error *err)
{
    *n = 0;
    if (notify_check_caller(who, err) || db_begin(c, err)) return err->rc;
    int64_t changed = db_exec(c,
                              "UPDATE notifications SET read_at = $2"
                              " WHERE user_id = $1 AND read_at IS NULL",
                              DB_ARGS(DB_INT(who->id), DB_INT(clock_now())), err);
    if (changed < 0 || db_commit(c, err)) {
        if (db_in_tx(c)) db_rollback(c);
        return err->rc ? err->rc : AJ_EDB;
    }
    *n = changed;
    return 0;
}
