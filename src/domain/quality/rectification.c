/* domain/quality/rectification.c: rectifications (整改单, see rectification.h), a state
 * machine in the manner of ticket_action.c: every action loads the row in its transaction,
 * checks the state and who acts, writes, audits, and reads the row back.
 *
 *   open ──submit──▶ submitted ──recheck passed──▶ passed
 *     ▲                  │
 *     └─recheck failed───┘ (a new deadline, rounds + 1)
 *   open, submitted ──cancel──▶ cancelled */
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/strlist.h"
#include "domain/quality/quality.h"

static const char *const rectification_severities[] = {"minor", "major", "critical", NULL};
static const char *const rectification_states[] = {"open", "submitted", "passed", "cancelled", NULL};

#define RECT_COLS                                                                              \
    "x.id, x.project_id, COALESCE(x.task_id, 0), COALESCE(x.standard_id, 0),"                \
    " COALESCE(x.standard_version, 0), COALESCE(x.assignee_id, 0), x.department, x.problem,"  \
    " x.location, x.photos, x.severity, x.state, x.due_at, x.rounds,"                        \
    " COALESCE(x.submitted_by, 0), COALESCE(x.submitted_at, 0), COALESCE(x.checked_by, 0),"  \
    " COALESCE(x.checked_at, 0), COALESCE(x.created_by, 0), x.submit_note, x.submit_photos,"  \
    " x.check_note, x.cancel_reason, COALESCE(x.escalated_at, 0), x.created_at, x.updated_at," \
    " (SELECT u.name FROM users u WHERE u.id = x.assignee_id),"                              \
    " (SELECT pz.timezone FROM projects pz WHERE pz.id = x.project_id)"

static void rectification_read(db_rows *r, arena *a, rectification *x)
{
    const char *s[] = {db_text(r, 6), db_text(r, 7), db_text(r, 8), db_text(r, 9), db_text(r, 10),
                       db_text(r, 11), db_text(r, 19), db_text(r, 20), db_text(r, 21), db_text(r, 22)};
    *x = (rectification){
        .id = db_int(r, 0), .project_id = db_int(r, 1), .task_id = db_int(r, 2),
        .standard_id = db_int(r, 3), .standard_version = db_int(r, 4), .assignee_id = db_int(r, 5),
        .department = arena_strdup(a, s[0]), .problem = arena_strdup(a, s[1]),
        .location = arena_strdup(a, s[2]), .photos = arena_strdup(a, s[3]),
        .severity = arena_strdup(a, s[4]), .state = arena_strdup(a, s[5]), .due_at = db_int(r, 12),
        .rounds = db_int(r, 13), .submitted_by = db_int(r, 14), .submitted_at = db_int(r, 15),
        .checked_by = db_int(r, 16), .checked_at = db_int(r, 17), .created_by = db_int(r, 18),
        .submit_note = arena_strdup(a, s[6]), .submit_photos = arena_strdup(a, s[7]),
        .check_note = arena_strdup(a, s[8]), .cancel_reason = arena_strdup(a, s[9]),
        .escalated_at = db_int(r, 23), .created_at = db_int(r, 24), .updated_at = db_int(r, 25),
        .assignee_name = db_null(r, 26) ? NULL : arena_strdup(a, db_text(r, 26)),
        .tz_offset = clock_tz_offset_or_default(db_text(r, 27))};
}

static int rectification_load(db *c, int64_t id, arena *a, rectification *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT " RECT_COLS " FROM rectifications x WHERE x.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) rectification_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "整改单不存在");
}

/* The row for an action, in the caller's transaction: AJ_ENOTFOUND outside the caller's
 * projects, AJ_EFORBIDDEN for a resident. */
static int rectification_load_for(db *c, const actor *who, int64_t id, arena *a, rectification *out,
                         aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (rectification_load(c, id, a, out, err)) return err->rc;
    if (actor_can_see_project(c, who, out->project_id, err))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "整改单不存在");
    return 0;
}

static int rectification_inspector(const actor *who, aj_error *err)
{
    return actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0);
}

/* "[1,2]" from ids checked to be the project's files (or anyone's files: the files context
 * checks visibility when they are read). */
static const char *rectification_photos(const int64_t *ids, size_t n, arena *a)
{
    char *out = arena_alloc(a, 2 + n * 22), *p = out;
    *p++ = '[';
    for (size_t i = 0; i < n; i++) p += sprintf(p, "%s%lld", i ? "," : "", (long long)ids[i]);
    *p++ = ']';
    *p = 0;
    return out;
}

/* Commits (or rolls back) and reads the row back for the caller. */
static int rectification_done(db *c, int64_t id, int rc, arena *a, rectification *out, aj_error *err)
{
    if (!rc) rc = rectification_load(c, id, a, out, err);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int rectification_raise_in(db *c, const actor *who, const rectification_input *in, arena *a,
                           int64_t *id, aj_error *err)
{
    const char *dept = in->department ? standard_department_of(in->department) : NULL;
    if (!dept) return aj_fail(err, AJ_EINVAL, "department", "责任部门须为客服、工程、秩序、保洁、绿化或品质");
    if (!in->problem || !*in->problem || strlen(in->problem) > 1000)
        return aj_fail(err, AJ_EINVAL, "problem", "问题描述须为 1 到 1000 字节");
    if (in->location && strlen(in->location) > 200)
        return aj_fail(err, AJ_EINVAL, "location", "位置最多 200 字节");
    const char *sev = in->severity ? in->severity : "minor";
    if (!strlist_has(rectification_severities, sev))
        return aj_fail(err, AJ_EINVAL, "severity", "severity 须为 minor、major 或 critical");
    int64_t now = clock_now();
    int64_t due = in->due_at ? in->due_at
                             : now + 86400 * (!strcmp(sev, "critical") ? 1 : !strcmp(sev, "major") ? 2 : 3);
    if (due <= now) return aj_fail(err, AJ_EINVAL, "due_at", "整改期限须晚于现在");
    if (in->assignee_id) {
        int64_t one;
        int rc = db_scalar(c,
                           "SELECT 1 FROM staff_projects sp JOIN users u ON u.id = sp.user_id"
                           " WHERE sp.user_id = $1 AND sp.project_id = $2 AND u.active = 1",
                           DB_ARGS(DB_INT(in->assignee_id), DB_INT(in->project_id)), &one, err);
        if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "assignee_id", "负责人不在该项目");
        if (rc) return rc;
    }
    int64_t version = 0;
    if (in->standard_id) {
        int rc = db_scalar(c, "SELECT version FROM standards WHERE id = $1",
                           DB_ARGS(DB_INT(in->standard_id)), &version, err);
        if (rc == AJ_ENOTFOUND) return aj_fail(err, AJ_EINVAL, "standard_id", "服务标准不存在");
        if (rc) return rc;
    }
    int rc = db_scalar(
        c,
        "INSERT INTO rectifications (project_id, task_id, standard_id, standard_version, department,"
        " assignee_id, problem, location, photos, severity, due_at, state, rounds, created_by,"
        " created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', 1, $12, $13, $13) RETURNING id",
        DB_ARGS(DB_INT(in->project_id), DB_OPT_INT(in->task_id, in->task_id),
                DB_OPT_INT(in->standard_id, in->standard_id), DB_OPT_INT(version, version),
                DB_TEXT(dept), DB_OPT_INT(in->assignee_id, in->assignee_id), DB_TEXT(in->problem),
                DB_TEXT(in->location ? in->location : ""), DB_TEXT(rectification_photos(in->photos, in->nphotos, a)),
                DB_TEXT(sev), DB_INT(due), DB_OPT_INT(who->id, who->id), DB_INT(now)),
        id, err);
    if (!rc) {
        json_t *ch = json_pack("{s:s, s:s, s:I}", "department", dept, "severity", sev, "due_at",
                               (json_int_t)due);
        rc = audit_append(c, who, "create", "rectification", *id, ch, err);
        json_decref(ch);
    }
    if (!rc && in->assignee_id && in->assignee_id != who->id) {
        char title[160];
        snprintf(title, sizeof title, "新的整改单：%s", arena_strcut(a, in->problem, 100));
        rc = notify_create(c, in->assignee_id, in->project_id, 0, NOTIFY_ASSIGNMENT, title,
                           "请在期限内完成整改并提交整改结果", now, err);
    }
    return rc;
}

int rectification_create(db *c, const actor *who, const rectification_input *in, arena *a,
                         rectification *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (!in->project_id) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
    if (actor_can_see_project(c, who, in->project_id, err) || rectification_inspector(who, err))
        return err->rc;
    if (db_begin(c, err)) return err->rc;
    int64_t id = 0;
    int rc = rectification_raise_in(c, who, in, a, &id, err);
    return rectification_done(c, id, rc, a, out, err);
}

int rectification_get(db *c, const actor *who, int64_t id, arena *a, rectification *out, aj_error *err)
{
    return rectification_load_for(c, who, id, a, out, err);
}

int rectification_list(db *c, const actor *who, const rectification_filter *f, const page_req *pg, arena *a,
              rectification **items, size_t *n, int *more, aj_error *err)
{
    *n = 0;
    *more = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (f->state && !strlist_has(rectification_states, f->state))
        return aj_fail(err, AJ_EINVAL, "state", "state 须为 open、submitted、passed 或 cancelled");
    const char *dept = NULL;
    if (f->department && !(dept = standard_department_of(f->department)))
        return aj_fail(err, AJ_EINVAL, "department", "未知的部门");
    if (f->project_id && actor_can_see_project(c, who, f->project_id, err)) return err->rc;
    db_rows *r = db_query(
        c,
        "SELECT " RECT_COLS " FROM rectifications x WHERE ($1 = 0 OR x.project_id = $1)"
        " AND ($2 = 1 OR x.project_id IN (SELECT sp.project_id FROM staff_projects sp WHERE sp.user_id = $3))"
        " AND (CAST($4 AS TEXT) IS NULL OR x.state = $4) AND (CAST($5 AS TEXT) IS NULL OR x.department = $5)"
        " AND ($6 = 0 OR (x.state IN ('open', 'submitted') AND x.due_at < $7)) AND x.id > $8"
        " ORDER BY x.id LIMIT $9",
        DB_ARGS(DB_INT(f->project_id), DB_INT(actor_is_company_wide(who)), DB_INT(who->id),
                DB_TEXT(f->state), DB_TEXT(dept), DB_INT(f->overdue), DB_INT(clock_now()),
                DB_INT(pg->after), DB_INT(pg->limit + 1)),
        err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof **items * (size_t)(pg->limit + 1));
    while (db_next(r)) rectification_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    return 0;
}

int rectification_submit(db *c, const actor *who, int64_t id, const char *note, const int64_t *photos,
                size_t nphotos, arena *a, rectification *out, aj_error *err)
{
    if (!note || !*note || strlen(note) > 1000)
        return aj_fail(err, AJ_EINVAL, "note", "整改说明须为 1 到 1000 字节");
    if (db_begin(c, err)) return err->rc;
    rectification cur;
    int rc = rectification_load_for(c, who, id, a, &cur, err);
    if (!rc && strcmp(cur.state, "open"))
        rc = aj_fail(err, AJ_ETRANSITION, "state", "整改单当前状态为 %s，不能提交", cur.state);
    int64_t now = clock_now();
    if (!rc &&
        db_exec(c,
                "UPDATE rectifications SET state = 'submitted', submitted_by = $2, submitted_at = $3,"
                " submit_note = $4, submit_photos = $5, updated_at = $3 WHERE id = $1 AND state = 'open'",
                DB_ARGS(DB_INT(id), DB_OPT_INT(who->id, who->id), DB_INT(now), DB_TEXT(note),
                        DB_TEXT(rectification_photos(photos, nphotos, a))),
                err) < 0)
        rc = err->rc;
    if (!rc) rc = audit_append(c, who, "submit", "rectification", id, NULL, err);
    return rectification_done(c, id, rc, a, out, err);
}

int rectification_recheck(db *c, const actor *who, int64_t id, int passed, const char *note,
                 int64_t due_at, arena *a, rectification *out, aj_error *err)
{
    if (note && strlen(note) > 1000) return aj_fail(err, AJ_EINVAL, "note", "复检说明最多 1000 字节");
    int64_t now = clock_now();
    if (!passed && due_at <= now) return aj_fail(err, AJ_EINVAL, "due_at", "复检不合格须给出晚于现在的新期限");
    if (db_begin(c, err)) return err->rc;
    rectification cur;
    int rc = rectification_load_for(c, who, id, a, &cur, err);
    if (!rc) rc = rectification_inspector(who, err);
    if (!rc && strcmp(cur.state, "submitted"))
        rc = aj_fail(err, AJ_ETRANSITION, "state", "整改单当前状态为 %s，不能复检", cur.state);
    /* 复检 is another pair of eyes: never the one who submitted the work */
    if (!rc && cur.submitted_by == who->id)
        rc = aj_fail(err, AJ_EFORBIDDEN, NULL, "提交人不能复检自己的整改");
    if (!rc &&
        db_exec(c,
                passed ? "UPDATE rectifications SET state = 'passed', checked_by = $2, checked_at = $3,"
                         " check_note = $4, updated_at = $3 WHERE id = $1 AND state = 'submitted'"
                       : "UPDATE rectifications SET state = 'open', checked_by = $2, checked_at = $3,"
                         " check_note = $4, due_at = $5, rounds = rounds + 1, escalated_at = NULL,"
                         " updated_at = $3 WHERE id = $1 AND state = 'submitted'",
                passed ? 4 : 5,
                (db_val[]){DB_INT(id), DB_OPT_INT(who->id, who->id), DB_INT(now), DB_TEXT(note ? note : ""),
                           DB_INT(due_at)},
                err) < 0)
        rc = err->rc;
    if (!rc) {
        json_t *ch = json_pack("{s:b}", "passed", passed);
        rc = audit_append(c, who, "recheck", "rectification", id, ch, err);
        json_decref(ch);
    }
    return rectification_done(c, id, rc, a, out, err);
}

int rectification_cancel(db *c, const actor *who, int64_t id, const char *reason, arena *a,
                rectification *out, aj_error *err)
{
    if (!reason || !*reason || strlen(reason) > 500)
        return aj_fail(err, AJ_EINVAL, "reason", "取消原因须为 1 到 500 字节");
    if (db_begin(c, err)) return err->rc;
    rectification cur;
    int rc = rectification_load_for(c, who, id, a, &cur, err);
    if (!rc) rc = rectification_inspector(who, err);
    if (!rc && strcmp(cur.state, "open") && strcmp(cur.state, "submitted"))
        rc = aj_fail(err, AJ_ETRANSITION, "state", "整改单当前状态为 %s，不能取消", cur.state);
    int64_t now = clock_now();
    if (!rc && db_exec(c,
                       "UPDATE rectifications SET state = 'cancelled', cancel_reason = $2, updated_at = $3"
                       " WHERE id = $1",
                       DB_ARGS(DB_INT(id), DB_TEXT(reason), DB_INT(now)), err) < 0)
        rc = err->rc;
    if (!rc) rc = audit_append(c, who, "cancel", "rectification", id, NULL, err);
    return rectification_done(c, id, rc, a, out, err);
}

int rectification_public(db *c, const char *project_code, arena *a, rectification **items,
                         size_t *n, aj_error *err)
{
    *n = 0;
    db_rows *r = db_query(c,
                          "SELECT " RECT_COLS " FROM rectifications x JOIN projects p ON p.id = x.project_id"
                          " WHERE p.code = $1 AND p.active = 1 AND x.state IN ('open', 'submitted')"
                          " ORDER BY x.due_at, x.id LIMIT 50",
                          DB_ARGS(DB_TEXT(project_code)), err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof **items * 50);
    while (db_next(r)) {
        rectification *x = &(*items)[(*n)++];
        rectification_read(r, a, x);
        x->assignee_id = 0; /* the board names no one */
        x->assignee_name = NULL;
    }
    return db_end(r, err) ? err->rc : 0;
}

int rectification_escalate(db *c, int64_t now, int64_t *n, aj_error *err)
{
    *n = 0;
    arena a;
    arena_init(&a, 8192);
    int64_t ids[200], projects[200];
    const char *problems[200];
    size_t k = 0;
    db_rows *r = db_query(c,
                          "SELECT id, project_id, problem FROM rectifications WHERE state IN ('open', 'submitted')"
                          " AND escalated_at IS NULL AND due_at < $1 ORDER BY due_at, id LIMIT 200",
                          DB_ARGS(DB_INT(now)), err);
    if (!r) goto fail;
    while (db_next(r) && k < 200) {
        ids[k] = db_int(r, 0);
        projects[k] = db_int(r, 1);
        problems[k++] = arena_strcut(&a, arena_strdup(&a, db_text(r, 2)), 100);
    }
    if (db_end(r, err)) goto fail;
    actor sys = actor_system("job:plans");
    for (size_t i = 0; i < k; i++) {
        if (db_begin(c, err)) goto fail;
        int64_t ch = db_exec(c,
                             "UPDATE rectifications SET escalated_at = $2 WHERE id = $1 AND escalated_at IS NULL"
                             " AND state IN ('open', 'submitted')",
                             DB_ARGS(DB_INT(ids[i]), DB_INT(now)), err);
        int rc = ch < 0 ? err->rc : 0;
        int64_t to[NOTIFY_MAX_RECIPIENTS];
        size_t nto = 0;
        if (!rc && ch) rc = notify_recipients(c, projects[i], 0, "manager", to, NOTIFY_MAX_RECIPIENTS, &nto, err);
        char title[160];
        snprintf(title, sizeof title, "整改逾期：%s", problems[i]);
        for (size_t j = 0; !rc && j < nto; j++)
            rc = notify_create(c, to[j], projects[i], 0, NOTIFY_ESCALATION, title,
                               "整改单已超过期限仍未完成，请督办", now, err);
        if (!rc && ch) rc = audit_append(c, &sys, "escalate", "rectification", ids[i], NULL, err);
        if (!rc) rc = db_commit(c, err);
        if (rc) {
            db_rollback(c);
            goto fail;
        }
        *n += ch > 0;
    }
    arena_free(&a);
    return 0;
fail:
    arena_free(&a);
    return err->rc ? err->rc : AJ_EDB;
}
