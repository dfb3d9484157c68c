/* domain/voice/mystery.c: mystery-shopper visits (神秘客, see meeting.h): a third party's
 * scorecard of a visit — the agency, the scenario played (a phoned-in repair, a visit to the
 * desk), scores 0–100 per item and their mean, the findings — whose findings become an
 * improvement plan in one click. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/voice/voice.h"

#define MYSTERY_COLS                                                                           \
    "v.id, v.project_id, v.visited_at, COALESCE(v.improvement_id, 0), COALESCE(v.created_by, 0)," \
    " v.created_at, v.agency, v.scenario, v.scores, v.findings, v.total,"                      \
    " (SELECT pz.timezone FROM projects pz WHERE pz.id = v.project_id)"

static void mystery_read(db_rows *r, arena *a, mystery_visit *v)
{
    *v = (mystery_visit){.id = db_int(r, 0), .project_id = db_int(r, 1), .visited_at = db_int(r, 2),
                         .improvement_id = db_int(r, 3), .created_by = db_int(r, 4),
                         .created_at = db_int(r, 5), .agency = arena_strdup(a, db_text(r, 6)),
                         .scenario = arena_strdup(a, db_text(r, 7)), .scores = arena_strdup(a, db_text(r, 8)),
                         .findings = arena_strdup(a, db_text(r, 9)), .total = db_real(r, 10),
                         .tz_offset = clock_tz_offset_or_default(db_text(r, 11))};
}

static int mystery_load(db *c, int64_t id, arena *a, mystery_visit *out, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT " MYSTERY_COLS " FROM mystery_visits v WHERE v.id = $1", DB_ARGS(DB_INT(id)), err);
    if (!r) return err->rc;
    int found = db_next(r);
    if (found) mystery_read(r, a, out);
    if (db_end(r, err)) return err->rc;
    return found ? 0 : aj_fail(err, AJ_ENOTFOUND, NULL, "神秘客记录不存在");
}

static int mystery_done(db *c, int64_t id, int rc, arena *a, mystery_visit *out, aj_error *err)
{
    if (!rc) rc = mystery_load(c, id, a, out, err);
    if (!rc) rc = db_commit(c, err);
    if (rc) db_rollback(c);
    return rc;
}

int mystery_create(db *c, const actor *who, const mystery_input *in, arena *a, mystery_visit *out,
                   aj_error *err)
{
    if (!in->project_id) return aj_fail(err, AJ_EINVAL, "project_id", "缺少必填字段 project_id");
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0) ||
        actor_can_see_project(c, who, in->project_id, err))
        return err->rc;
    int64_t now = clock_now();
    if (!in->visited_at || in->visited_at > now + 3600)
        return aj_fail(err, AJ_EINVAL, "visited_at", "请记录已完成的暗访（visited_at 不能晚于现在）");
    if (!in->agency || !*in->agency || strlen(in->agency) > 100)
        return aj_fail(err, AJ_EINVAL, "agency", "第三方机构须为 1 到 100 字节");
    if (!in->scenario || !*in->scenario || strlen(in->scenario) > 100)
        return aj_fail(err, AJ_EINVAL, "scenario", "暗访场景须为 1 到 100 字节");
    if (in->findings && strlen(in->findings) > 5000) return aj_fail(err, AJ_EINVAL, "findings", "发现问题最多 5000 字节");
    if (!in->nscores || in->nscores > MYSTERY_MAX_SCORES)
        return aj_fail(err, AJ_EINVAL, "scores", "scores 须为 1 到 %d 项 {名称: 0–100}", MYSTERY_MAX_SCORES);
    json_t *sc = json_object();
    double sum = 0;
    for (size_t i = 0; i < in->nscores; i++) {
        double v = in->score_values[i];
        if (!in->score_keys[i] || !*in->score_keys[i] || strlen(in->score_keys[i]) > 60 || !isfinite(v) || v < 0 ||
            v > 100) {
            json_decref(sc);
            return aj_fail(err, AJ_EINVAL, "scores", "评分项须有名称（最多 60 字节），分值 0–100");
        }
        json_object_set_new(sc, in->score_keys[i], json_real(v));
        sum += v;
    }
    char *scores = json_dumps(sc, JSON_COMPACT);
    json_decref(sc);
    double total = sum / (double)in->nscores;
    int64_t id = 0;
    int rc = db_begin(c, err);
    if (!rc)
        rc = db_scalar(c,
                       "INSERT INTO mystery_visits (project_id, visited_at, agency, scenario, scores, total,"
                       " findings, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                       DB_ARGS(DB_INT(in->project_id), DB_INT(in->visited_at), DB_TEXT(in->agency),
                               DB_TEXT(in->scenario), DB_TEXT(scores), DB_REAL(total),
                               DB_TEXT(in->findings ? in->findings : ""), DB_OPT_INT(who->id, who->id),
                               DB_INT(now)),
                       &id, err);
    free(scores);
    if (!rc) {
        json_t *ch = json_pack("{s:s, s:f}", "agency", in->agency, "total", total);
        rc = audit_append(c, who, "create", "mystery_visit", id, ch, err);
        json_decref(ch);
    }
    if (rc && !db_writing(c)) return rc;
    return mystery_done(c, id, rc, a, out, err);
}

int mystery_get(db *c, const actor *who, int64_t id, arena *a, mystery_visit *out, aj_error *err)
{
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (mystery_load(c, id, a, out, err)) return err->rc;
    if (actor_can_see_project(c, who, out->project_id, err)) return aj_fail(err, AJ_ENOTFOUND, NULL, "神秘客记录不存在");
    return 0;
}

int mystery_list(db *c, const actor *who, int64_t project_id, const page_req *pg, arena *a,
                 mystery_visit **items, size_t *n, int *more, aj_error *err)
{
    *n = 0;
    *more = 0;
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (project_id && actor_can_see_project(c, who, project_id, err)) return err->rc;
    db_rows *r = db_query(
        c,
        "SELECT " MYSTERY_COLS " FROM mystery_visits v WHERE ($1 = 0 OR v.project_id = $1)"
        " AND ($2 = 1 OR v.project_id IN (SELECT sp.project_id FROM staff_projects sp WHERE sp.user_id = $3))"
        " AND v.id > $4 ORDER BY v.id LIMIT $5",
        DB_ARGS(DB_INT(project_id), DB_INT(actor_is_company_wide(who)), DB_INT(who->id), DB_INT(pg->after),
                DB_INT(pg->limit + 1)),
        err);
    if (!r) return err->rc;
    *items = arena_alloc(a, sizeof **items * (size_t)(pg->limit + 1));
    while (db_next(r)) mystery_read(r, a, &(*items)[(*n)++]);
    if (db_end(r, err)) return err->rc;
    *more = *n > (size_t)pg->limit;
    if (*more) *n = (size_t)pg->limit;
    return 0;
}

int mystery_plan(db *c, const actor *who, int64_t id, arena *a, mystery_visit *out, aj_error *err)
{
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    if (db_begin(c, err)) return err->rc;
    mystery_visit v;
    int rc = mystery_get(c, who, id, a, &v, err);
    if (!rc && v.improvement_id) rc = aj_fail(err, AJ_ETRANSITION, NULL, "该暗访已生成改进计划");
    if (!rc && !*v.findings) rc = aj_fail(err, AJ_EINVAL, "findings", "暗访没有记录发现的问题");
    int64_t now = clock_now(), pid = 0;
    if (!rc) {
        char title[160], ref[40];
        snprintf(title, sizeof title, "神秘客暗访整改：%s", arena_strcut(a, v.scenario, 100));
        snprintf(ref, sizeof ref, "mystery:%lld", (long long)id);
        improvement_input in = {.project_id = v.project_id, .source = "mystery", .source_ref = ref,
                                .title = title, .problem = v.findings, .metric_kind = "kpi",
                                .metric_key = "mystery_score", .baseline = v.total, .target = 90,
                                .has_target = 1, .due_at = now + IMPROVEMENT_DAYS * 86400};
        rc = improvement_insert(c, who, &in, 0, now, &pid, err);
    }
    if (!rc && db_exec(c, "UPDATE mystery_visits SET improvement_id = $2 WHERE id = $1",
                       DB_ARGS(DB_INT(id), DB_INT(pid)), err) < 0)
        rc = err->rc;
    if (!rc) rc = audit_append(c, who, "plan", "mystery_visit", id, NULL, err);
    return mystery_done(c, id, rc, a, out, err);
}
