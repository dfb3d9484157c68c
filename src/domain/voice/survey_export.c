/* domain/voice/survey_export.c: a survey's results as an .xlsx file (满意度调查结果导出):
 * the summary (invited, answered, response rate, margin of error, overall score), the
 * dimensions (score 0–100, satisfaction rate, n, ±, the previous survey's score), the
 * coverage by building (under-sampled marked), and every answer as kept — building and day
 * under its random id, never a room — one column per question, for the analyst's own
 * pivot tables. The same numbers as GET /surveys/{id}/results: survey_results_of. */
#include <jansson.h>
#include <string.h>

#include "domain/voice/voice.h"

#define SURVEY_EXPORT_PAGE 500

static const xlsx_col survey_export_summary[] = {{"项目", 22}, {"值", 40}};
static const xlsx_col survey_export_dims[] = {{"维度", 18},    {"得分（0–100）", 14}, {"满意率（4–5 分）", 16},
                                              {"样本数", 9},   {"误差（±，95%）", 14}, {"上期得分", 10},
                                              {"变化", 9}};
static const xlsx_col survey_export_cover[] = {{"楼栋", 14}, {"邀请户数", 10}, {"答卷数", 9}, {"回收率", 9},
                                               {"样本不足", 10}};

/* "3栋", or the id when the building is not among the coverage rows. */
static const char *survey_export_building(const survey_results *res, int64_t id, arena *a)
{
    for (size_t i = 0; i < res->ncoverage; i++)
        if (res->coverage[i].building_id == id) return res->coverage[i].building;
    return arena_printf(a, "#%lld", (long long)id);
}

static void survey_export_pair(xlsx_sheet *s, const char *k, const char *v)
{
    xlsx_sheet_str(s, 0, k);
    xlsx_sheet_str(s, 1, v);
    xlsx_sheet_next(s);
}

static void survey_export_pair_num(xlsx_sheet *s, const char *k, double v)
{
    xlsx_sheet_str(s, 0, k);
    if (v >= 0) xlsx_sheet_num(s, 1, v);
    xlsx_sheet_next(s);
}

static int survey_export_head(xlsx_sheet *s, const survey *sv, const survey_results *res, aj_error *err)
{
    survey_export_pair(s, "调查", sv->title);
    survey_export_pair(s, "期间", sv->period);
    survey_export_pair(s, "状态", !strcmp(sv->state, "closed") ? "已结束" : !strcmp(sv->state, "open") ? "进行中" : "草稿");
    xlsx_sheet_str(s, 0, "开始");
    xlsx_sheet_time(s, 1, sv->opened_at ? sv->opened_at : sv->opens_at, sv->tz_offset);
    xlsx_sheet_next(s);
    xlsx_sheet_str(s, 0, "结束");
    xlsx_sheet_time(s, 1, sv->closed_at ? sv->closed_at : sv->closes_at, sv->tz_offset);
    xlsx_sheet_next(s);
    survey_export_pair_num(s, "邀请户数", (double)res->invited);
    survey_export_pair_num(s, "答卷数", (double)res->responses);
    survey_export_pair_num(s, "回收率（%）", res->response_rate < 0 ? -1 : res->response_rate * 100);
    survey_export_pair_num(s, "误差（±百分点，95%，有限总体校正）",
                           res->margin_of_error < 0 ? -1 : res->margin_of_error * 100);
    survey_export_pair_num(s, "综合得分（0–100）", res->score);
    survey_export_pair(s, "计分方法", "各题 1–5 分的平均值线性换算为 0–100：1 分 → 0，5 分 → 100");
    survey_export_pair(s, "匿名说明", "答卷只保留楼栋与日期，不关联房号、住户或邀请链接");
    if (xlsx_sheet_add(s, "维度得分", survey_export_dims, 7, err)) return err->rc;
    for (size_t i = 0; i < res->ndims; i++) {
        const survey_dim_result *d = &res->dims[i];
        xlsx_sheet_str(s, 0, d->label);
        if (d->score >= 0) {
            xlsx_sheet_num(s, 1, d->score);
            xlsx_sheet_num(s, 2, d->satisfied_rate * 100);
        }
        xlsx_sheet_num(s, 3, (double)d->n);
        if (d->margin >= 0) xlsx_sheet_num(s, 4, d->margin);
        if (d->previous >= 0) xlsx_sheet_num(s, 5, d->previous);
        if (d->previous >= 0 && d->score >= 0) xlsx_sheet_num(s, 6, d->score - d->previous);
        xlsx_sheet_next(s);
    }
    if (xlsx_sheet_add(s, "楼栋覆盖", survey_export_cover, 5, err)) return err->rc;
    for (size_t i = 0; i < res->ncoverage; i++) {
        const survey_coverage *b = &res->coverage[i];
        xlsx_sheet_str(s, 0, b->building);
        xlsx_sheet_num(s, 1, (double)b->invited);
        xlsx_sheet_num(s, 2, (double)b->responses);
        if (b->invited) xlsx_sheet_num(s, 3, 100.0 * (double)b->responses / (double)b->invited);
        xlsx_sheet_str(s, 4, b->under_sampled ? "是" : "");
        xlsx_sheet_next(s);
    }
    return xlsx_sheet_check(s, err);
}

/* The answers sheet: 编号, 楼栋, 日期, then each question in the questionnaire's order. */
static int survey_export_answers(db *c, const actor *who, const survey *sv, const survey_results *res,
                                 json_t *qs, int64_t max_rows, xlsx_sheet *s, arena *a, int64_t *rows,
                                 aj_error *err)
{
    size_t nq = json_array_size(qs);
    xlsx_col *cols = arena_alloc(a, sizeof *cols * (nq + 3));
    cols[0] = (xlsx_col){"答卷编号", 12};
    cols[1] = (xlsx_col){"楼栋", 10};
    cols[2] = (xlsx_col){"日期", 11};
    for (size_t i = 0; i < nq; i++) {
        json_t *q = json_array_get(qs, i);
        const char *type = json_string_value(json_object_get(q, "type")),
                   *label = json_string_value(json_object_get(q, "label"));
        cols[i + 3] = (xlsx_col){label ? label : "", type && !strcmp(type, "text") ? 40 : 10};
    }
    if (xlsx_sheet_add(s, "答卷", cols, (int)nq + 3, err)) return err->rc;
    page_req pg = {.after = 0, .limit = SURVEY_EXPORT_PAGE};
    arena page;
    arena_init(&page, 1 << 16);
    int more = 1, rc = 0;
    while (more && !rc) {
        survey_response *items;
        size_t n;
        if ((rc = survey_responses(c, who, sv->id, &pg, &page, &items, &n, &more, err))) break;
        for (size_t i = 0; i < n && !rc; i++) {
            if (++*rows > max_rows) {
                rc = aj_fail(err, AJ_EINVAL, NULL, "答卷超过 %lld 份，无法导出", (long long)max_rows);
                break;
            }
            json_t *ans = json_loads(items[i].answers, 0, NULL), *com = json_loads(items[i].comments, 0, NULL);
            xlsx_sheet_num(s, 0, (double)items[i].id);
            xlsx_sheet_str(s, 1, survey_export_building(res, items[i].building_id, &page));
            xlsx_sheet_day(s, 2, items[i].day);
            for (size_t k = 0; k < nq; k++) {
                const char *key = json_string_value(json_object_get(json_array_get(qs, k), "key"));
                json_t *v = key && ans ? json_object_get(ans, key) : NULL;
                json_t *t = key && com ? json_object_get(com, key) : NULL;
                if (json_is_integer(v)) xlsx_sheet_num(s, (int)k + 3, (double)json_integer_value(v));
                else if (json_is_string(t)) xlsx_sheet_str(s, (int)k + 3, json_string_value(t));
            }
            json_decref(ans);
            json_decref(com);
            xlsx_sheet_next(s);
        }
        if (n) pg.after = items[n - 1].id;
        arena_reset(&page);
    }
    arena_free(&page);
    return rc ? rc : xlsx_sheet_check(s, err);
}

int survey_export(db *c, const actor *who, int64_t id, const char *data_dir, int64_t max_rows, arena *a,
                  const char **path, int64_t *rows, aj_error *err)
{
    *path = NULL;
    *rows = 0;
    survey sv;
    survey_results res;
    if (survey_results_get(c, who, id, a, &sv, &res, err)) return err->rc;
    if (actor_require(who, err, ROLE_ADMIN, ROLE_MANAGER, ROLE_QUALITY, 0)) return err->rc;
    if (res.responses > max_rows)
        return aj_fail(err, AJ_EINVAL, NULL, "答卷超过 %lld 份，无法导出", (long long)max_rows);
    json_t *qs = json_loads(sv.questions, 0, NULL);
    if (!json_is_array(qs)) {
        json_decref(qs);
        return aj_fail(err, AJ_EDB, NULL, "问卷数据损坏");
    }
    xlsx_sheet s;
    int rc = xlsx_sheet_open(&s, data_dir, "概况", survey_export_summary, 2, a, err);
    if (!rc) rc = survey_export_head(&s, &sv, &res, err);
    if (!rc) rc = survey_export_answers(c, who, &sv, &res, qs, max_rows, &s, a, rows, err);
    json_decref(qs);
    if (rc) {
        if (s.wb) xlsx_sheet_abort(&s);
        return rc;
    }
    if (xlsx_sheet_close(&s, err)) return err->rc;
    *path = s.path;
    return 0;
}
