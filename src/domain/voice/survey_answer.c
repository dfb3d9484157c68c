/* domain/voice/survey_answer.c: answering a survey — anonymous by construction. What is
 * written for an answer: the invitation's "answered" (no time, no link to the answer); the
 * answer with the building and the day only, under a random id (so no order ties it to
 * the audit log or to anything else); the per-building tallies and count; and an audit row in the
 * system's name that says a survey got an answer — never who gave it. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/voice/voice.h"

/* The answers checked against the questionnaire: every key a question of its type, a scale
 * answer an integer 1–5, an open answer 1..SURVEY_COMMENT_MAX bytes; at least one scale. */
static int survey_answer_check(const survey *s, const survey_answer *in, aj_error *err)
{
    json_t *qs = json_loads(s->questions, 0, NULL);
    int rc = 0, scales = 0;
    const char *key;
    json_t *v;
    if (!json_is_object(in->answers)) {
        rc = aj_fail(err, AJ_EINVAL, "answers", "answers 须为 {问题: 1–5}");
        goto out;
    }
    if (in->comments && !json_is_object(in->comments)) {
        rc = aj_fail(err, AJ_EINVAL, "comments", "comments 须为 {问题: 文字}");
        goto out;
    }
    for (int pass = 0; pass < 2; pass++) {
        json_t *obj = pass ? in->comments : in->answers;
        const char *want = pass ? "text" : "scale", *field = pass ? "comments" : "answers";
        json_object_foreach(obj, key, v)
        {
            size_t i;
            json_t *q, *found = NULL;
            json_array_foreach(qs, i, q) if (!strcmp(json_string_value(json_object_get(q, "key")), key)) found = q;
            if (!found || strcmp(json_string_value(json_object_get(found, "type")), want)) {
                rc = aj_fail(err, AJ_EINVAL, field, "问卷没有%s题 %.40s", pass ? "开放" : "评分", key);
                goto out;
            }
            if (!pass && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 5)) {
                rc = aj_fail(err, AJ_EINVAL, field, "问题 %s 的评分须为 1 到 5 的整数", key);
                goto out;
            }
            if (pass && (!json_is_string(v) || strlen(json_string_value(v)) > SURVEY_COMMENT_MAX)) {
                rc = aj_fail(err, AJ_EINVAL, field, "问题 %s 的回答须为文字，最多 %d 字节", key, SURVEY_COMMENT_MAX);
                goto out;
            }
            scales += !pass;
        }
    }
    if (!scales) rc = aj_fail(err, AJ_EINVAL, "answers", "请至少回答一个评分题");
out:
    json_decref(qs);
    return rc;
}

/* A random positive id below 2^52 (exact in a browser's numbers). */
static int64_t survey_answer_id(void)
{
    uint64_t v;
    randombytes_buf(&v, sizeof v);
    v &= (UINT64_C(1) << 52) - 1;
    return v ? (int64_t)v : 1;
}

/* Writes the answer of the invited room (its invitation id, its building), in the caller's
 * transaction; the survey row is locked by the first UPDATE. */
static int survey_answer_write(db *c, const survey *s, int64_t invitation, int64_t building,
                               const survey_answer *in, aj_error *err)
{
    int64_t now = clock_now();
    if (strcmp(s->state, "open") || now < s->opens_at || now >= s->closes_at)
        return aj_fail(err, AJ_ETRANSITION, "state", "问卷%s", now < s->opens_at ? "尚未开始" : "已结束或未发布");
    if (survey_answer_check(s, in, err)) return err->rc;
    int64_t n = db_exec(c, "UPDATE survey_invitations SET answered = 1 WHERE id = $1 AND answered = 0",
                    DB_ARGS(DB_INT(invitation)), err);
    if (n < 0) return err->rc;
    if (n == 0) return aj_fail(err, AJ_ECONFLICT, "room_id", "该房屋已提交过本次问卷");
    char day[16];
    clock_format_date((now + s->tz_offset) / 86400, day, sizeof day);
    char *answers = json_dumps(in->answers, JSON_COMPACT | JSON_SORT_KEYS);
    char *comments = in->comments ? json_dumps(in->comments, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int64_t rc = 0;
    /* two random ids may meet (1 in 2^52 per pair): then another */
    for (int tries = 0; tries < 3; tries++) {
        rc = db_exec(c,
                     "INSERT INTO survey_responses (id, survey_id, building_id, day, answers, comments)"
                     " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
                     DB_ARGS(DB_INT(survey_answer_id()), DB_INT(s->id), DB_INT(building), DB_TEXT(day),
                             DB_TEXT(answers), DB_TEXT(comments ? comments : "{}")),
                     err);
        if (rc != 0) break;
    }
    free(answers);
    free(comments);
    if (rc < 0) return err->rc;
    if (rc == 0) return aj_fail(err, AJ_EDB, NULL, "答卷编号冲突");
    const char *key;
    json_t *v;
    json_object_foreach(in->answers, key, v)
    {
        if (db_exec(c,
                    "INSERT INTO survey_tallies (survey_id, building_id, question, value, n)"
                    " VALUES ($1, $2, $3, $4, 1) ON CONFLICT (survey_id, building_id, question, value)"
                    " DO UPDATE SET n = survey_tallies.n + 1",
                    DB_ARGS(DB_INT(s->id), DB_INT(building), DB_TEXT(key), DB_INT(json_integer_value(v))),
                    err) < 0)
            return err->rc;
    }
    if (db_exec(c, "UPDATE surveys SET responses = responses + 1 WHERE id = $1", DB_ARGS(DB_INT(s->id)),
                err) < 0 ||
        db_exec(c, "UPDATE survey_coverage SET responses = responses + 1 WHERE survey_id = $1 AND building_id = $2",
                DB_ARGS(DB_INT(s->id), DB_INT(building)), err) < 0)
        return err->rc;
    /* in the system's name: the audit log must not tell who answered what */
    actor anon = actor_system("survey");
    return audit_append(c, &anon, "answer", "survey", s->id, NULL, err);
}

static int survey_answer_finish(db *c, int rc, aj_error *err)
{
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int survey_answer_room(db *c, const actor *who, int64_t survey_id, int64_t room_id,
                       const survey_answer *in, aj_error *err)
{
    if (who->role != ROLE_RESIDENT) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限业主本人作答");
    if (!room_id) return aj_fail(err, AJ_EINVAL, "room_id", "缺少必填字段 room_id");
    if (actor_can_see_room(c, who, room_id, err)) return err->rc;
    arena a;
    arena_init(&a, 4096);
    int rc = db_begin(c, err);
    survey s;
    int64_t inv = 0, building = 0;
    if (!rc) rc = survey_load(c, survey_id, &a, &s, err);
    if (!rc) {
        db_rows *r = db_query(c, "SELECT id, building_id FROM survey_invitations WHERE survey_id = $1 AND room_id = $2",
                              DB_ARGS(DB_INT(survey_id), DB_INT(room_id)), err);
        if (!r) rc = err->rc;
        else {
            if (db_next(r)) inv = db_int(r, 0), building = db_int(r, 1);
            if (db_end(r, err)) rc = err->rc;
        }
        if (!rc && !inv) rc = aj_fail(err, AJ_ENOTFOUND, NULL, "该房屋不在本次调查范围内");
    }
    if (!rc) rc = survey_answer_write(c, &s, inv, building, in, err);
    rc = survey_answer_finish(c, rc, err);
    arena_free(&a);
    return rc;
}

/* The invitation of a link token: its id, survey, building, answered. */
static int survey_answer_invitation(db *c, const char *token, int64_t *inv, int64_t *survey_id,
                                int64_t *building, int *answered, aj_error *err)
{
    *inv = 0;
    if (!token || !*token || strlen(token) > 64) return aj_fail(err, AJ_ENOTFOUND, NULL, "问卷链接无效");
    db_rows *r = db_query(c, "SELECT id, survey_id, building_id, answered FROM survey_invitations WHERE token = $1",
                          DB_ARGS(DB_TEXT(token)), err);
    if (!r) return err->rc;
    if (db_next(r)) {
        *inv = db_int(r, 0);
        *survey_id = db_int(r, 1);
        *building = db_int(r, 2);
        *answered = (int)db_int(r, 3);
    }
    if (db_end(r, err)) return err->rc;
    return *inv ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "问卷链接无效");
}

int survey_answer_token(db *c, const char *token, const survey_answer *in, aj_error *err)
{
    arena a;
    arena_init(&a, 4096);
    int rc = db_begin(c, err), answered;
    int64_t inv, sid, building;
    survey s;
    if (!rc) rc = survey_answer_invitation(c, token, &inv, &sid, &building, &answered, err);
    if (!rc) rc = survey_load(c, sid, &a, &s, err);
    if (!rc) rc = survey_answer_write(c, &s, inv, building, in, err);
    rc = survey_answer_finish(c, rc, err);
    arena_free(&a);
    return rc;
}

int survey_by_token(db *c, const char *token, arena *a, survey *out, const char **project_name,
                    int *answered, aj_error *err)
{
    int64_t inv, sid, building;
    if (survey_answer_invitation(c, token, &inv, &sid, &building, answered, err) ||
        survey_load(c, sid, a, out, err))
        return err->rc;
    if (!strcmp(out->state, "draft")) return aj_fail(err, AJ_ENOTFOUND, NULL, "问卷链接无效");
    db_rows *r = db_query(c, "SELECT name FROM projects WHERE id = $1", DB_ARGS(DB_INT(out->project_id)), err);
    if (!r) return err->rc;
    *project_name = db_next(r) ? arena_strdup(a, db_text(r, 0)) : "";
    return db_end(r, err) ? err->rc : 0;
}

int survey_mine(db *c, const actor *who, arena *a, survey_invite **items, size_t *n, aj_error *err)
{
    *n = 0;
    *items = NULL;
    if (who->role != ROLE_RESIDENT) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限业主");
    db_rows *r = db_query(
        c,
        "SELECT s.id, i.room_id, b.name || ' ' || CASE WHEN rm.unit <> '' THEN rm.unit || ' ' ELSE '' END"
        " || rm.number FROM survey_invitations i JOIN surveys s ON s.id = i.survey_id"
        " JOIN rooms rm ON rm.id = i.room_id JOIN buildings b ON b.id = rm.building_id"
        " JOIN resident_rooms x ON x.room_id = i.room_id AND x.resident_id = $1"
        " WHERE i.answered = 0 AND s.state = 'open' AND s.opens_at <= $2 AND s.closes_at > $2"
        " ORDER BY s.closes_at, s.id, i.room_id LIMIT 50",
        DB_ARGS(DB_INT(who->resident_id), DB_INT(clock_now())), err);
    if (!r) return err->rc;
    size_t cap = 0;
    while (db_next(r)) {
        *items = arena_grow(a, *items, *n, &cap, sizeof **items);
        (*items)[*n] = (survey_invite){.s = {.id = db_int(r, 0)}, .room_id = db_int(r, 1),
                                       .room = arena_strdup(a, db_text(r, 2))};
        (*n)++;
    }
    if (db_end(r, err)) return err->rc;
    for (size_t i = 0; i < *n; i++)
        if (survey_load(c, (*items)[i].s.id, a, &(*items)[i].s, err)) return err->rc;
    return 0;
}

int survey_links(db *c, const actor *who, int64_t survey_id, arena *a, survey_link **items,
                 size_t *n, aj_error *err)
{
    *n = 0;
    *items = NULL;
    survey s;
    if (survey_get(c, who, survey_id, a, &s, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    db_rows *r = db_query(
        c,
        "SELECT i.room_id, i.building_id, b.name || ' ' || CASE WHEN rm.unit <> '' THEN rm.unit || ' '"
        " ELSE '' END || rm.number, i.token, i.answered FROM survey_invitations i"
        " JOIN rooms rm ON rm.id = i.room_id JOIN buildings b ON b.id = rm.building_id"
        " WHERE i.survey_id = $1 ORDER BY i.building_id, i.room_id",
        DB_ARGS(DB_INT(survey_id)), err);
    if (!r) return err->rc;
    size_t cap = 0;
    while (db_next(r)) {
        *items = arena_grow(a, *items, *n, &cap, sizeof **items);
        (*items)[(*n)++] = (survey_link){.room_id = db_int(r, 0), .building_id = db_int(r, 1),
                                         .room = arena_strdup(a, db_text(r, 2)),
                                         .token = arena_strdup(a, db_text(r, 3)),
                                         .answered = (int)db_int(r, 4)};
    }
    return db_end(r, err) ? err->rc : 0;
}

int survey_responses(db *c, const actor *who, int64_t survey_id, const page_req *pg, arena *a,
                     survey_response **items, size_t *n, int *more, aj_error *err)
{
    *n = 0;
    *more = 0;
    survey s;
    if (survey_get(c, who, survey_id, a, &s, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    db_rows *r = db_query(c,
                          "SELECT id, building_id, day, answers, comments FROM survey_responses"
                          " WHERE survey_id = $1 AND id > $2 ORDER BY id LIMIT $3",
                          DB_ARGS(DB_INT(survey_id), DB_INT(pg->after), DB_INT(pg->limit + 1)), err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof **items * (size_t)(pg->limit + 1));
    while (db_next(r))
        (*items)[(*n)++] = (survey_response){.id = db_int(r, 0), .building_id = db_int(r, 1),
                                             .day = arena_strdup(a, db_text(r, 2)),
                                             .answers = arena_strdup(a, db_text(r, 3)),
                                             .comments = arena_strdup(a, db_text(r, 4))};
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    return 0;
}
