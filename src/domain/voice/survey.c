/* domain/voice/survey.c: a satisfaction survey (满意度调查, see survey.h) and its life:
 * draft (the questionnaire editable) -> open (every occupied room invited, each with its
 * link token) -> closed. */
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/strlist.h"
#include "base/token.h"
#include "domain/voice/voice.h"

static const char *const survey_states[] = {"draft", "open", "closed", NULL};

#define SURVEY_COLS                                                                            \
    "s.id, s.project_id, s.title, s.period, s.opens_at, s.closes_at, s.dimensions, s.questions," \
    " s.state, s.invited, s.responses, COALESCE(s.opened_at, 0), COALESCE(s.closed_at, 0),"      \
    " COALESCE(s.created_by, 0), s.created_at, s.updated_at,"                                   \
    " (SELECT pz.timezone FROM projects pz WHERE pz.id = s.project_id)"

static void survey_read(db_rows *r, arena *a, survey *s)
{
    *s = (survey){.id = db_int(r, 0), .project_id = db_int(r, 1),
                  .title = arena_strdup(a, db_text(r, 2)), .period = arena_strdup(a, db_text(r, 3)),
                  .opens_at = db_int(r, 4), .closes_at = db_int(r, 5),
                  .dimensions = arena_strdup(a, db_text(r, 6)),
                  .questions = arena_strdup(a, db_text(r, 7)), .state = arena_strdup(a, db_text(r, 8)),
                  .invited = db_int(r, 9), .responses = db_int(r, 10), .opened_at = db_int(r, 11),
                  .closed_at = db_int(r, 12), .created_by = db_int(r, 13), .created_at = db_int(r, 14),
                  .updated_at = db_int(r, 15), .tz_offset = clock_tz_offset_or_default(db_text(r, 16))};
}

int survey_load(db *c, int64_t id, arena *a, survey *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT " SURVEY_COLS " FROM surveys s WHERE s.id = $1",
                          DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) survey_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "问卷不存在");
}

json_t *survey_default_dimensions(void)
{
    static const char *const d[][2] = {
        {"attitude", "服务态度"},   {"response", "响应效率"}, {"facilities", "设施维护"},
        {"cleanliness", "环境卫生"}, {"security", "安全秩序"}, {"greening", "绿化养护"},
        {"communication", "沟通与信息公开"}, {"overall", "总体评价"}};
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s}", "key", d[i][0], "label", d[i][1]));
    return arr;
}

json_t *survey_default_questions(void)
{
    static const char *const q[][3] = {
        {"q1", "物业服务人员的服务态度（礼貌、耐心、首问负责）", "attitude"},
        {"q2", "报修、投诉的响应速度和处理效率", "response"},
        {"q3", "电梯、门禁、照明等公共设施设备的维护", "facilities"},
        {"q4", "公共区域的清洁卫生和垃圾清运", "cleanliness"},
        {"q5", "小区秩序维护、门岗和巡逻", "security"},
        {"q6", "绿化养护", "greening"},
        {"q7", "信息公开与沟通（通知、公示、回访）", "communication"},
        {"q8", "总体而言，您对物业服务的满意程度", "overall"},
    };
    json_t *arr = json_array();
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s}", "key", q[i][0], "label", q[i][1],
                                             "type", "scale", "dimension", q[i][2]));
    json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:n}", "key", "q9", "label",
                                         "您对我们的服务还有哪些意见和建议？", "type", "text",
                                         "dimension"));
    return arr;
}

/* a-z, 0-9, _; 1–20 bytes */
static int survey_key_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n == 0 || n > 20) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_')) return 0;
    return 1;
}

static int survey_text_ok(json_t *v, size_t max)
{
    const char *s = json_string_value(v);
    return s && *s && strlen(s) <= max;
}

/* The questionnaire checked, as normalised JSON text (dims and qs are stored). */
static int survey_check_form(json_t *dims, json_t *qs, arena *a, const char **dims_out,
                             const char **qs_out, aj_error *err)
{
    if (!json_is_array(dims) || !json_array_size(dims) || json_array_size(dims) > SURVEY_MAX_DIMENSIONS)
        return aj_fail(err, AJ_EINVAL, "dimensions", "dimensions 须为 1 到 %d 个维度", SURVEY_MAX_DIMENSIONS);
    if (!json_is_array(qs) || !json_array_size(qs) || json_array_size(qs) > SURVEY_MAX_QUESTIONS)
        return aj_fail(err, AJ_EINVAL, "questions", "questions 须为 1 到 %d 个问题", SURVEY_MAX_QUESTIONS);
    json_t *nd = json_array(), *nq = json_array(), *seen = json_object();
    size_t i, j;
    json_t *it, *other;
    int rc = 0, scales = 0;
    json_array_foreach(dims, i, it)
    {
        const char *key = json_string_value(json_object_get(it, "key"));
        if (!json_is_object(it) || !survey_key_ok(key) || !survey_text_ok(json_object_get(it, "label"), 60) ||
            json_object_size(it) != 2) {
            rc = aj_fail(err, AJ_EINVAL, "dimensions", "第 %zu 个维度须为 {key, label}（key 为 1–20 个小写字母、数字或下划线）", i + 1);
            goto out;
        }
        json_array_foreach(nd, j, other) if (!strcmp(json_string_value(json_object_get(other, "key")), key))
        {
            rc = aj_fail(err, AJ_EINVAL, "dimensions", "维度 %s 重复", key);
            goto out;
        }
        json_array_append_new(nd, json_pack("{s:s, s:O}", "key", key, "label", json_object_get(it, "label")));
    }
    json_array_foreach(qs, i, it)
    {
        const char *key = json_string_value(json_object_get(it, "key"));
        const char *type = json_string_value(json_object_get(it, "type"));
        json_t *dim = json_object_get(it, "dimension");
        const char *d = json_string_value(dim);
        if (!json_is_object(it) || !survey_key_ok(key) || !survey_text_ok(json_object_get(it, "label"), 200) ||
            !type || (strcmp(type, "scale") && strcmp(type, "text"))) {
            rc = aj_fail(err, AJ_EINVAL, "questions", "第 %zu 个问题须为 {key, label, type: scale|text, dimension}", i + 1);
            goto out;
        }
        const char *k2;
        json_t *v2;
        json_object_foreach(it, k2, v2) if (strcmp(k2, "key") && strcmp(k2, "label") && strcmp(k2, "type") &&
                                            strcmp(k2, "dimension"))
        {
            rc = aj_fail(err, AJ_EINVAL, "questions", "问题 %s 有未知字段 %.40s", key, k2);
            goto out;
        }
        if (json_object_get(seen, key)) {
            rc = aj_fail(err, AJ_EINVAL, "questions", "问题 %s 重复", key);
            goto out;
        }
        json_object_set_new(seen, key, json_true());
        int known = 0;
        json_array_foreach(nd, j, other) known |= d && !strcmp(json_string_value(json_object_get(other, "key")), d);
        if ((!strcmp(type, "scale") && !known) || (d && !known) || (dim && !json_is_null(dim) && !d)) {
            rc = aj_fail(err, AJ_EINVAL, "questions", "问题 %s 的 dimension 须为已定义的维度%s", key,
                         !strcmp(type, "scale") ? "（评分题必填）" : "或 null");
            goto out;
        }
        scales += !strcmp(type, "scale");
        json_array_append_new(nq, json_pack("{s:s, s:O, s:s, s:o}", "key", key, "label",
                                            json_object_get(it, "label"), "type", type, "dimension",
                                            d ? json_string(d) : json_null()));
    }
    if (!scales) {
        rc = aj_fail(err, AJ_EINVAL, "questions", "至少须有一个评分题（type scale）");
        goto out;
    }
    char *ds = json_dumps(nd, JSON_COMPACT), *qstr = json_dumps(nq, JSON_COMPACT);
    *dims_out = arena_strdup(a, ds);
    *qs_out = arena_strdup(a, qstr);
    free(ds);
    free(qstr);
out:
    json_decref(nd);
    json_decref(nq);
    json_decref(seen);
    return rc;
}

/* admin, quality, and a manager of the project */
static int survey_may_run(db *c, const actor *who, int64_t project_id, aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    return actor_can_see_project(c, who, project_id, err);
}

static int survey_check_dates(int64_t opens, int64_t closes, aj_error *err)
{
    if (closes <= opens) return aj_fail(err, AJ_EINVAL, "closes_at", "结束时间须晚于开始时间");
    if (closes - opens > (int64_t)SURVEY_MAX_DAYS * 86400)
        return aj_fail(err, AJ_EINVAL, "closes_at", "调查最长 %d 天", SURVEY_MAX_DAYS);
    return 0;
}

static int survey_check_texts(const survey_input *in, int create, aj_error *err)
{
    if ((create || in->title) && (!in->title || !*in->title || strlen(in->title) > 100))
        return aj_fail(err, AJ_EINVAL, "title", "标题须为 1 到 100 字节");
    if (in->period && strlen(in->period) > 20) return aj_fail(err, AJ_EINVAL, "period", "period 最多 20 字节");
    return 0;
}

/* Commits (or rolls back) and reads the row back. */
static int survey_done(db *c, int64_t id, int rc, arena *a, survey *out, aj_error *err)
{
    if (!rc) rc = survey_load(c, id, a, out, err);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int survey_create(db *c, const actor *who, const survey_input *in, arena *a, survey *out,
                  aj_error *err)
{
    if (!in->project_id) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
    if (survey_may_run(c, who, in->project_id, err) || survey_check_texts(in, 1, err)) return err->rc;
    int64_t now = clock_now();
    int64_t opens = in->opens_at ? in->opens_at : now;
    int64_t closes = in->closes_at ? in->closes_at : opens + 30 * 86400;
    if (survey_check_dates(opens, closes, err)) return err->rc;
    json_t *dd = in->dimensions ? json_incref(in->dimensions) : survey_default_dimensions();
    json_t *dq = in->questions ? json_incref(in->questions) : survey_default_questions();
    const char *dims, *qs;
    int rc = survey_check_form(dd, dq, a, &dims, &qs, err);
    json_decref(dd);
    json_decref(dq);
    if (rc) return rc;
    if (db_begin(c, err)) return err->rc;
    int64_t id = 0;
    rc = db_scalar(c,
                   "INSERT INTO surveys (project_id, title, period, opens_at, closes_at, dimensions,"
                   " questions, state, invited, responses, created_by, created_at, updated_at)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, 'draft', 0, 0, $8, $9, $9) RETURNING id",
                   DB_ARGS(DB_INT(in->project_id), DB_TEXT(in->title), DB_TEXT(in->period ? in->period : ""),
                           DB_INT(opens), DB_INT(closes), DB_TEXT(dims), DB_TEXT(qs),
                           DB_OPT_INT(who->id, who->id), DB_INT(now)),
                   &id, err);
    if (!rc) {
        json_t *ch = json_pack("{s:s, s:I}", "title", in->title, "project_id", (json_int_t)in->project_id);
        rc = audit_append(c, who, "create", "survey", id, ch, err);
        json_decref(ch);
    }
    return survey_done(c, id, rc, a, out, err);
}

/* The row for a change by who, in the caller's transaction. */
static int survey_load_for(db *c, const actor *who, int64_t id, arena *a, survey *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (survey_load(c, id, a, out, err)) return err->rc;
    if (actor_can_see_project(c, who, out->project_id, err))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "问卷不存在");
    return 0;
}

int survey_get(db *c, const actor *who, int64_t id, arena *a, survey *out, aj_error *err)
{
    return survey_load_for(c, who, id, a, out, err);
}

int survey_update(db *c, const actor *who, int64_t id, const survey_input *in, arena *a,
                  survey *out, aj_error *err)
{
    if (survey_check_texts(in, 0, err)) return err->rc;
    if (db_begin(c, err)) return err->rc;
    survey cur;
    int rc = survey_load_for(c, who, id, a, &cur, err);
    if (!rc) rc = survey_may_run(c, who, cur.project_id, err);
    if (!rc && !strcmp(cur.state, "closed"))
        rc = aj_fail(err, AJ_ETRANSITION, "state", "问卷已结束，不能修改");
    const char *dims = cur.dimensions, *qs = cur.questions;
    if (!rc && (in->dimensions || in->questions || in->opens_at)) {
        if (strcmp(cur.state, "draft"))
            rc = aj_fail(err, AJ_ETRANSITION, "state", "问卷已发布，问题和开始时间不能再改");
        else {
            json_t *dd = in->dimensions ? json_incref(in->dimensions) : json_loads(cur.dimensions, 0, NULL);
            json_t *dq = in->questions ? json_incref(in->questions) : json_loads(cur.questions, 0, NULL);
            rc = survey_check_form(dd, dq, a, &dims, &qs, err);
            json_decref(dd);
            json_decref(dq);
        }
    }
    int64_t opens = in->opens_at ? in->opens_at : cur.opens_at;
    int64_t closes = in->closes_at ? in->closes_at : cur.closes_at;
    if (!rc) rc = survey_check_dates(opens, closes, err);
    if (!rc && db_exec(c,
                       "UPDATE surveys SET title = $2, period = $3, opens_at = $4, closes_at = $5,"
                       " dimensions = $6, questions = $7, updated_at = $8 WHERE id = $1",
                       DB_ARGS(DB_INT(id), DB_TEXT(in->title ? in->title : cur.title),
                               DB_TEXT(in->period ? in->period : cur.period), DB_INT(opens),
                               DB_INT(closes), DB_TEXT(dims), DB_TEXT(qs), DB_INT(clock_now())),
                       err) < 0)
        rc = err->rc;
    if (!rc) rc = audit_append(c, who, "update", "survey", id, NULL, err);
    return survey_done(c, id, rc, a, out, err);
}

int survey_list(db *c, const actor *who, const survey_filter *f, const page_req *pg, arena *a,
                survey **items, size_t *n, int *more, aj_error *err)
{
    *n = 0;
    *more = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (f->state && !strlist_has(survey_states, f->state))
        return aj_fail(err, AJ_EINVAL, "state", "state 须为 draft、open 或 closed");
    if (f->project_id && actor_can_see_project(c, who, f->project_id, err)) return err->rc;
    db_rows *r = db_query(
        c,
        "SELECT " SURVEY_COLS " FROM surveys s WHERE ($1 = 0 OR s.project_id = $1)"
        " AND ($2 = 1 OR s.project_id IN (SELECT sp.project_id FROM staff_projects sp WHERE sp.user_id = $3))"
        " AND (CAST($4 AS TEXT) IS NULL OR s.state = $4) AND s.id > $5 ORDER BY s.id LIMIT $6",
        DB_ARGS(DB_INT(f->project_id), DB_INT(actor_is_company_wide(who)), DB_INT(who->id),
                DB_TEXT(f->state), DB_INT(pg->after), DB_INT(pg->limit + 1)),
        err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof **items * (size_t)(pg->limit + 1));
    while (db_next(r)) survey_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    return 0;
}

/* One invitation per occupied room (an active room with at least one resident bound). */
static int survey_invite_rooms(db *c, const survey *s, arena *a, int64_t *invited, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT r.id, r.building_id FROM rooms r WHERE r.project_id = $1 AND r.active = 1"
                          " AND EXISTS (SELECT 1 FROM resident_rooms x WHERE x.room_id = r.id) ORDER BY r.id",
                          DB_ARGS(DB_INT(s->project_id)), err);
    if (!r) return err->rc;
    int64_t (*rooms)[2] = NULL;
    size_t n = 0, cap = 0;
    while (db_next(r)) {
        rooms = arena_grow(a, rooms, n, &cap, sizeof *rooms);
        rooms[n][0] = db_int(r, 0);
        rooms[n][1] = db_int(r, 1);
        n++;
    }
    if (db_end(r, err)) return err->rc;
    for (size_t i = 0; i < n; i++) {
        char token[TOKEN_LEN];
        if (token_new(token)) return aj_fail(err, AJ_EDB, NULL, "随机数不可用");
        if (db_exec(c,
                    "INSERT INTO survey_invitations (survey_id, room_id, building_id, token, answered)"
                    " VALUES ($1, $2, $3, $4, 0)",
                    DB_ARGS(DB_INT(s->id), DB_INT(rooms[i][0]), DB_INT(rooms[i][1]), DB_TEXT(token)),
                    err) < 0)
            return err->rc;
    }
    *invited = (int64_t)n;
    return db_exec(c,
                   "INSERT INTO survey_coverage (survey_id, building_id, invited, responses)"
                   " SELECT survey_id, building_id, COUNT(*), 0 FROM survey_invitations WHERE survey_id = $1"
                   " GROUP BY survey_id, building_id",
                   DB_ARGS(DB_INT(s->id)), err) < 0
               ? err->rc
               : 0;
}

int survey_open(db *c, const actor *who, int64_t id, arena *a, survey *out, aj_error *err)
{
    if (db_begin(c, err)) return err->rc;
    survey cur;
    int64_t invited = 0, now = clock_now();
    int rc = survey_load_for(c, who, id, a, &cur, err);
    if (!rc) rc = survey_may_run(c, who, cur.project_id, err);
    if (!rc && strcmp(cur.state, "draft"))
        rc = aj_fail(err, AJ_ETRANSITION, "state", "只有草稿可以发布（当前：%s）", cur.state);
    if (!rc && cur.closes_at <= now) rc = aj_fail(err, AJ_EINVAL, "closes_at", "结束时间已过，请先修改");
    if (!rc) rc = survey_invite_rooms(c, &cur, a, &invited, err);
    if (!rc && db_exec(c,
                       "UPDATE surveys SET state = 'open', invited = $2, opened_at = $3, updated_at = $3"
                       " WHERE id = $1 AND state = 'draft'",
                       DB_ARGS(DB_INT(id), DB_INT(invited), DB_INT(now)), err) < 0)
        rc = err->rc;
    if (!rc) {
        json_t *ch = json_pack("{s:s, s:s, s:I}", "from", "draft", "to", "open", "invited", (json_int_t)invited);
        rc = audit_append(c, who, "open", "survey", id, ch, err);
        json_decref(ch);
    }
    return survey_done(c, id, rc, a, out, err);
}

int survey_close(db *c, const actor *who, int64_t id, arena *a, survey *out, aj_error *err)
{
    if (db_begin(c, err)) return err->rc;
    survey cur;
    int64_t now = clock_now();
    int rc = survey_load_for(c, who, id, a, &cur, err);
    if (!rc) rc = survey_may_run(c, who, cur.project_id, err);
    if (!rc && strcmp(cur.state, "open"))
        rc = aj_fail(err, AJ_ETRANSITION, "state", "只有进行中的问卷可以结束（当前：%s）", cur.state);
    if (!rc && db_exec(c,
                       "UPDATE surveys SET state = 'closed', closed_at = $2, updated_at = $2"
                       " WHERE id = $1 AND state = 'open'",
                       DB_ARGS(DB_INT(id), DB_INT(now)), err) < 0)
        rc = err->rc;
    if (!rc) {
        json_t *ch = json_pack("{s:s, s:s, s:I}", "from", "open", "to", "closed", "responses",
                               (json_int_t)cur.responses);
        rc = audit_append(c, who, "close", "survey", id, ch, err);
        json_decref(ch);
    }
    /* each dimension under 85: a plan due in 15 days, public (improvement_check.c) */
    int64_t plans = 0;
    if (!rc) rc = improvement_raise_for_survey(c, who, id, now, &plans, err);
    return survey_done(c, id, rc, a, out, err);
}
