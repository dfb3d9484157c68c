/* domain/voice/survey_poster.c: a survey's QR poster (调查海报) for the lobbies, and the
 * phone proof behind it. The poster's code opens /s/p/{survey id} on any phone; a resident
 * gives the phone number the property has on record, proves it with an SMS code (the HTTP
 * face sends and checks it: identity's otp_proof_*), and gets the invitation links of their
 * rooms — the same links the SMS invitations carry — so a poster answer counts once per
 * room, as every answer does, and is as anonymous (the invitation keeps only "answered").
 * Whether a phone is on record is never told: a code goes only to one that is, and the
 * reply is the same either way. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "domain/voice/voice.h"

static int survey_poster_project(db *c, int64_t project_id, arena *a, const char **name, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT name FROM projects WHERE id = $1", DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    *name = db_next(r) ? arena_strdup(a, db_text(r, 0)) : "";
    return db_end(r, err) ? err->rc : 0;
}

int survey_poster_get(db *c, int64_t id, arena *a, survey *out, const char **project_name, aj_error *err)
{
    int rc = survey_load(c, id, a, out, err);
    if (rc == AJ_ENOTFOUND || (!rc && strcmp(out->state, "open")))
        return aj_fail(err, AJ_ENOTFOUND, NULL, "该调查未开始或已结束");
    if (rc) return rc;
    return survey_poster_project(c, out->project_id, a, project_name, err);
}

/* The rooms of the active resident with phone invited to survey id. */
#define SURVEY_POSTER_ROOMS                                                                            \
    " FROM survey_invitations i JOIN resident_rooms x ON x.room_id = i.room_id"                        \
    " JOIN residents rs ON rs.id = x.resident_id AND rs.active = 1 AND rs.phone = $2"                   \
    " JOIN rooms rm ON rm.id = i.room_id JOIN buildings b ON b.id = rm.building_id WHERE i.survey_id = $1"

int survey_poster_phone(db *c, int64_t id, const char *phone, int *has, aj_error *err)
{
    int64_t n = 0;
    *has = 0;
    if (db_scalar(c, "SELECT COUNT(*)" SURVEY_POSTER_ROOMS, DB_ARGS(DB_INT(id), DB_TEXT(phone)), &n, err))
        return err->rc;
    *has = n > 0;
    return 0;
}

int survey_poster_rooms(db *c, int64_t id, const char *phone, arena *a, survey_link **items, size_t *n,
                        aj_error *err)
{
    *n = 0;
    *items = NULL;
    db_rows *r = db_query(c,
                          "SELECT i.room_id, i.building_id, b.name || ' ' || CASE WHEN rm.unit <> '' THEN"
                          " rm.unit || ' ' ELSE '' END || rm.number, i.token, i.answered" SURVEY_POSTER_ROOMS
                          " ORDER BY i.building_id, i.room_id LIMIT 20",
                          DB_ARGS(DB_INT(id), DB_TEXT(phone)), err);
    if (!r) return err->rc;
    size_t cap = 0;
    while (db_next(r)) {
        *items = arena_grow(a, *items, *n, &cap, sizeof **items);
        (*items)[(*n)++] = (survey_link){.room_id = db_int(r, 0), .building_id = db_int(r, 1),
                                         .room = arena_strdup(a, db_text(r, 2)),
                                         .token = arena_strdup(a, db_text(r, 3)), .answered = (int)db_int(r, 4)};
    }
    if (db_end(r, err)) return err->rc;
    return *n ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "该手机号在本次调查中没有受邀房屋");
}

int survey_poster_pdf(db *c, const actor *who, int64_t id, const char *base_url, arena *a, buf *out,
                      aj_error *err)
{
    survey s;
    const char *project;
    if (survey_get(c, who, id, a, &s, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    if (!strcmp(s.state, "closed")) return aj_fail(err, AJ_ETRANSITION, "state", "调查已结束，不能再打印海报");
    if (survey_poster_project(c, s.project_id, a, &project, err)) return err->rc;
    char from[40], to[40];
    clock_format(s.opens_at, s.tz_offset, from, sizeof from);
    clock_format(s.closes_at, s.tz_offset, to, sizeof to);
    const char *url = arena_printf(a, "%s/s/p/%lld", base_url, (long long)s.id);
    label_poster p = {
        .heading = project,
        .title = s.title,
        .subtitle = *s.period ? arena_printf(a, "%s · 您的意见决定我们下一步的改进", s.period)
                              : "您的意见决定我们下一步的改进",
        .url = url,
        .footer = arena_printf(a, "无法扫码时请在手机浏览器打开 %s", url),
        .lines = {"微信或手机相机扫一扫，约 1 分钟完成",
                  "用在物业登记的手机号接收验证码，每户一份",
                  "匿名填写：答卷不记录房号和姓名，只用于统计",
                  arena_printf(a, "调查时间：%.10s 至 %.10s", from, to),
                  "低于 85 分的项目，物业将在 15 日内制定整改方案并公示"},
        .nlines = 5,
    };
    return label_sheet_poster(&p, out, err);
}
