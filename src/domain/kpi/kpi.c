/* domain/kpi/kpi.c: ticket figures for the staff dashboard and the public
 * disclosure board, computed in SQL a project at a time over its index. */
#include "domain/kpi/kpi.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "domain/sla/sla.h"

#define KPI_DAY 86400

/* Where a query looks, $1..$3: one project ($1), through its (project_id, id)
 * index from $2, the first ticket that can have been reported since $3; or all
 * projects ($1 = 0), through the table from $2. Ids follow creation, and a
 * ticket is created after it is reported: see kpi_first_id. */
#define KPI_ONE " t.project_id = $1 AND t.id >= $2 AND +t.reported_at >= $3"
#define KPI_ALL " CAST($1 AS BIGINT) = 0 AND t.id >= $2 AND +t.reported_at >= $3"

/* A milestone whose outcome is known at $n: met, or past due without a hold
 * that began before its due time (such a row is paused, not breached); never
 * one still unplanned (sla.h: its due time is not known yet). */
#define KPI_DECIDED(n)                                                                         \
    " AND s.due_at < " SLA_DUE_UNPLANNED_SQL                                                   \
    " AND (s.met_at IS NOT NULL OR s.due_at <= $" #n ")"                                       \
    " AND NOT (s.met_at IS NULL AND s.paused_at IS NOT NULL AND s.paused_at <= s.due_at)"
#define KPI_ON_TIME "SUM(CASE WHEN s.met_at IS NOT NULL AND s.met_at <= s.due_at THEN 1 ELSE 0 END)"

/* Ids grow with created_at (one writer at a time: give an hour for clocks and
 * races), and created_at >= reported_at: so no ticket reported since `since`
 * has an id below the first one created an hour before it. A binary search
 * over the primary key: some twenty lookups, where a MIN(id) over the
 * reported_at index would read every entry since. */
static int kpi_first_id(db *c, int64_t since, int64_t *out, aj_error *err)
{
    int64_t lo = 1, hi;
    if (db_scalar(c, "SELECT COALESCE(MAX(id), 0) + 1 FROM tickets", DB_NOARGS, &hi, err))
        return err->rc;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2, at = 0;
        db_rows *r = db_query(c, "SELECT created_at FROM tickets WHERE id >= $1 ORDER BY id LIMIT 1",
                              DB_ARGS(DB_INT(mid)), err);
        if (!r) return err->rc;
        int found = db_next(r);
        if (found) at = db_int(r, 0);
        if (db_end(r, err)) return err->rc;
        if (found && at < since - 3600) lo = mid + 1;
        else hi = mid;
    }
    *out = lo;
    return 0;
}

/* ---- top-level categories ---- */

typedef struct kpi_cats {
    int64_t *id;       /* categories by id */
    const char **name; /* by index: the top-level name of category id[i] */
    size_t n;
} kpi_cats;

static int kpi_cats_load(db *c, arena *a, kpi_cats *k, aj_error *err)
{
    /* Two levels: a child's top is its parent. Few rows (the tree is edited by hand). */
    db_rows *r = db_query(c,
                          "SELECT cg.id, COALESCE(pg.name, cg.name) FROM categories cg"
                          " LEFT JOIN categories pg ON pg.id = cg.parent_id ORDER BY cg.id",
                          DB_NOARGS, err);
    if (!r) return err->rc;
    size_t cap_id = 0, cap_name = 0;
    k->id = NULL;
    k->name = NULL;
    k->n = 0;
    while (db_next(r)) {
        k->id = arena_grow(a, k->id, k->n, &cap_id, sizeof *k->id);
        k->name = arena_grow(a, k->name, k->n, &cap_name, sizeof *k->name);
        k->id[k->n] = db_int(r, 0);
        k->name[k->n++] = arena_strdup(a, db_text(r, 1));
    }
    return db_end(r, err);
}

static const char *kpi_cat_name(const kpi_cats *k, int64_t id)
{
    size_t lo = 0, hi = k->n; /* ids ascend */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (k->id[mid] < id) lo = mid + 1;
        else hi = mid;
    }
    return lo < k->n && k->id[lo] == id ? k->name[lo] : "其他";
}

/* Adds count under name (a handful of names: a linear search). */
static void kpi_count_add(kpi_count *list, size_t *n, const char *name, int64_t count)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(list[i].name, name)) {
            list[i].count += count;
            return;
        }
    list[(*n)++] = (kpi_count){name, count};
}

static int kpi_count_cmp(const void *pa, const void *pb)
{
    const kpi_count *a = pa, *b = pb;
    if (a->count != b->count) return a->count > b->count ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Runs a "category_id, count" query and sums it by top-level category, most first. */
static int kpi_by_top(db *c, const kpi_cats *k, const char *sql, int n, const db_val *args,
                      arena *a, kpi_count **out, size_t *nout, aj_error *err)
{
    *out = arena_alloc(a, (k->n + 1) * sizeof **out);
    *nout = 0;
    db_rows *r = db_query(c, sql, n, args, err);
    if (!r) return err->rc;
    while (db_next(r)) kpi_count_add(*out, nout, kpi_cat_name(k, db_int(r, 0)), db_int(r, 1));
    if (db_end(r, err)) return err->rc;
    qsort(*out, *nout, sizeof **out, kpi_count_cmp);
    return 0;
}

/* ---- the dashboard ---- */

/* Each query twice: [0] all projects, [1] one. */
#define KPI_CREATED(where)                                                                     \
    "SELECT (t.reported_at + $5) / 3600, t.category_id, COUNT(*),"                             \
    " SUM(CASE WHEN t.kind = 'complaint' THEN 1 ELSE 0 END),"                                  \
    " SUM(CASE WHEN t.kind = 'complaint' AND t.valid_complaint = 1 THEN 1 ELSE 0 END),"        \
    " SUM(CASE WHEN t.kind = 'complaint' AND t.status = 'closed' THEN 1 ELSE 0 END)"           \
    " FROM tickets t WHERE" where " AND +t.reported_at <= $4 GROUP BY 1, 2"
#define KPI_RESOLVED(where)                                                                    \
    "SELECT (t.resolved_at + $6) / 86400, COUNT(*) FROM tickets t WHERE" where                 \
    " AND t.resolved_at >= $4 AND t.resolved_at <= $5 GROUP BY 1"
#define KPI_RATED(where)                                                                       \
    "SELECT COUNT(*), COALESCE(SUM(t.rating), 0) FROM tickets t WHERE" where                   \
    " AND t.rated_at >= $4 AND t.rated_at <= $5 AND t.rating IS NOT NULL"
#define KPI_SLA(where)                                                                         \
    "SELECT s.milestone, COUNT(*), " KPI_ON_TIME " FROM tickets t"                             \
    " JOIN ticket_sla s ON s.ticket_id = t.id WHERE" where " AND s.due_at >= $4"               \
    KPI_DECIDED(5) " GROUP BY s.milestone"
/* The queue now: the partial index of open tickets; the running clocks past due. */
#define KPI_OPEN(where)                                                                        \
    "SELECT t.status, COUNT(*) FROM tickets t WHERE" where " AND t.status IN"                  \
    " ('new', 'accepted', 'assigned', 'in_progress', 'on_hold') GROUP BY t.status"
#define KPI_OVERDUE(where)                                                                     \
    "SELECT COUNT(*) FROM tickets t WHERE t.id IN (SELECT s.ticket_id FROM ticket_sla s"       \
    " WHERE s.met_at IS NULL AND s.paused_at IS NULL AND s.due_at < $2) AND" where

static const char *const kpi_created_sql[2] = {KPI_CREATED(KPI_ALL), KPI_CREATED(KPI_ONE)};
static const char *const kpi_resolved_sql[2] = {KPI_RESOLVED(KPI_ALL), KPI_RESOLVED(KPI_ONE)};
static const char *const kpi_rated_sql[2] = {KPI_RATED(KPI_ALL), KPI_RATED(KPI_ONE)};
static const char *const kpi_sla_sql[2] = {KPI_SLA(KPI_ALL), KPI_SLA(KPI_ONE)};
static const char *const kpi_open_sql[2] = {KPI_OPEN(" CAST($1 AS BIGINT) = 0"),
                                            KPI_OPEN(" t.project_id = $1")};
static const char *const kpi_overdue_sql[2] = {KPI_OVERDUE(" CAST($1 AS BIGINT) = 0"),
                                               KPI_OVERDUE(" t.project_id = $1")};

/* The zone to count days in: the project's, or the caller's first project's. */
static int kpi_offset(db *c, const actor *who, int64_t project_id, int *off, aj_error *err)
{
    db_rows *r = db_query(c,
                          "SELECT t.timezone FROM projects t WHERE (CAST($3 AS BIGINT) = 0"
                          " OR t.id = $3) AND ($1 = 1 OR t.id IN (SELECT sp.project_id"
                          " FROM staff_projects sp WHERE sp.user_id = $2)) ORDER BY t.id LIMIT 1",
                          DB_ARGS(DB_INT(actor_is_company_wide(who)), DB_INT(who->id),
                                  DB_INT(project_id)),
                          err);
    if (!r) return err->rc;
    *off = CLOCK_TZ_DEFAULT;
    if (db_next(r)) *off = clock_tz_offset_or_default(db_text(r, 0));
    if (db_end(r, err)) return err->rc;
    return 0;
}

/* Adds one project's figures (or all projects', project 0) to out. */
static int kpi_add(db *c, int64_t project, const int64_t lo[2], const kpi_cats *cats,
                   kpi_count *bycat, int64_t first, int64_t from, int64_t back, int64_t now,
                   kpi_stats *out, aj_error *err)
{
    int one = project != 0, days = out->days;
    db_val a[6] = {DB_INT(project), DB_INT(lo[0]), DB_INT(from), DB_INT(now), DB_INT(out->offset)};
    db_rows *r = db_query(c, kpi_created_sql[one], 5, a, err);
    if (!r) return err->rc;
    while (db_next(r)) {
        int64_t hour = db_int(r, 0), n = db_int(r, 2), d = hour / 24 - first;
        out->by_hour[hour % 24] += n;
        if (d >= 0 && d < days) out->daily[d].created += n;
        kpi_count_add(bycat, &out->ncategories, kpi_cat_name(cats, db_int(r, 1)), n);
        out->complaints += db_int(r, 3);
        out->valid += db_int(r, 4);
        out->closed += db_int(r, 5);
    }
    if (db_end(r, err)) return err->rc;
    /* Resolutions, ratings and milestones of the tickets reported since `back`. */
    db_val b[6] = {DB_INT(project), DB_INT(lo[1]), DB_INT(back), DB_INT(from), DB_INT(now),
                   DB_INT(out->offset)};
    if (!(r = db_query(c, kpi_resolved_sql[one], 6, b, err))) return err->rc;
    while (db_next(r)) {
        int64_t d = db_int(r, 0) - first;
        if (d >= 0 && d < days) out->daily[d].resolved += db_int(r, 1);
    }
    if (db_end(r, err)) return err->rc;
    if (!(r = db_query(c, kpi_rated_sql[one], 5, b, err))) return err->rc;
    if (db_next(r)) out->rated += db_int(r, 0), out->rating_sum += db_int(r, 1);
    if (db_end(r, err)) return err->rc;
    if (!(r = db_query(c, kpi_sla_sql[one], 5, b, err))) return err->rc;
    while (db_next(r)) {
        int m = sla_milestone_parse(db_text(r, 0));
        if (m >= 0) out->sla[m].total += db_int(r, 1), out->sla[m].met += db_int(r, 2);
    }
    if (db_end(r, err)) return err->rc;
    if (!(r = db_query(c, kpi_open_sql[one], 1, a, err))) return err->rc;
    while (db_next(r)) {
        out->open += db_int(r, 1);
        if (!strcmp(db_text(r, 0), "on_hold")) out->on_hold += db_int(r, 1);
    }
    if (db_end(r, err)) return err->rc;
    int64_t overdue;
    db_val o[2] = {DB_INT(project), DB_INT(now)};
    if (db_scalar(c, kpi_overdue_sql[one], 2, o, &overdue, err)) return err->rc;
    out->overdue += overdue;
    return 0;
}

int kpi_ticket_stats(db *c, const actor *who, int64_t project_id, int days, int64_t now,
                     arena *a, kpi_stats *out, aj_error *err)
{
    kpi_cats cats;
    memset(out, 0, sizeof *out);
    if (!actor_is_staff(who)) return aj_fail(err, AJ_EFORBIDDEN, NULL, "仅限物业员工");
    if (days < 1 || days > KPI_MAX_DAYS)
        return aj_fail(err, AJ_EINVAL, "days", "days 须在 1 到 %d 之间", KPI_MAX_DAYS);
    if (project_id && actor_can_see_project(c, who, project_id, err)) return err->rc;
    /* The projects to add up: the one asked for, the caller's, or every one at once. */
    size_t n = 0;
    int64_t *projects = arena_alloc(a, 256 * sizeof *projects);
    if (project_id) {
        projects[n++] = project_id;
    } else if (!actor_is_company_wide(who)) {
        db_rows *r = db_query(c,
                              "SELECT project_id FROM staff_projects WHERE user_id = $1"
                              " ORDER BY project_id LIMIT 256",
                              DB_ARGS(DB_INT(who->id)), err);
        if (!r) return err->rc;
        while (db_next(r)) projects[n++] = db_int(r, 0);
        if (db_end(r, err)) return err->rc;
    }
    int all = !project_id && actor_is_company_wide(who);
    if (kpi_offset(c, who, project_id, &out->offset, err) || kpi_cats_load(c, a, &cats, err))
        return err->rc;
    int off = out->offset;
    int64_t today = (now + off) / KPI_DAY, first = today - days + 1;
    int64_t from = first * KPI_DAY - off, back = from - (int64_t)KPI_LOOKBACK_DAYS * KPI_DAY;
    int64_t lo[2];
    out->generated_at = now;
    out->days = days;
    out->daily = arena_alloc(a, (size_t)days * sizeof *out->daily);
    out->ndaily = (size_t)days;
    for (int i = 0; i < days; i++) out->daily[i].day = first + i;
    kpi_count *bycat = arena_alloc(a, (cats.n + 1) * sizeof *bycat);
    if (kpi_first_id(c, from, &lo[0], err) || kpi_first_id(c, back, &lo[1], err)) return err->rc;
    if (all && kpi_add(c, 0, lo, &cats, bycat, first, from, back, now, out, err)) return err->rc;
    for (size_t i = 0; !all && i < n; i++)
        if (kpi_add(c, projects[i], lo, &cats, bycat, first, from, back, now, out, err))
            return err->rc;
    qsort(bycat, out->ncategories, sizeof *bycat, kpi_count_cmp);
    out->by_category = bycat;
    out->created_today = out->daily[days - 1].created;
    out->resolved_today = out->daily[days - 1].resolved;
    return 0;
}

/* ---- the disclosure board ---- */

/* The seeds' service promises (物业服务标准): what every project commits to. */
static const kpi_item kpi_items[] = {
    {"客服接待", "24小时受理报事报修，15分钟内响应；普通咨询2小时内回复，复杂问题48小时内形成解决方案并反馈"},
    {"维修服务", "紧急维修30分钟内到场处置，常规维修24小时内完成，预约维修按约定时间上门"},
    {"投诉处理",
     "2小时内分配至责任部门，12小时内与业主沟通，3个工作日内反馈解决方案；有效投诉处理闭环率100%"},
    {"环境保洁", "公共区域每日清扫1次，电梯轿厢、单元大堂每周消毒3次，垃圾日产日清"},
    {"秩序维护", "每小时巡逻1次，重点区域加密至每30分钟1次，外来人员登记率100%"},
    {"设施设备",
     "电梯每月专业维保1次，消防设施每季度功能性检查，水电管网每月巡检，二次供水水箱每年清洗2次；"
     "公共设施设备完好率98%以上"},
    {"服务质量",
     "业主综合满意度90%以上；每日自检、每周报告、每月交叉检查，项目经理每月抽查3个楼栋；每季度开展"
     "匿名满意度调查，低于85分的项目15日内制定整改方案并公示"},
};

/* Words for sla_kinds, in its order. */
static const char *const kpi_kind_words[] = {"维修", "投诉", "咨询", "建议", "表扬"};

static int kpi_index(const char *const *list, int n, const char *s)
{
    for (int i = 0; s && i < n; i++)
        if (!strcmp(list[i], s)) return i;
    return n;
}

/* "15分钟", "2小时", "3个工作日"; the business clock says so. */
static const char *kpi_span(const sla_target *t, arena *a)
{
    int business = t->clock == CAL_CLOCK_BUSINESS;
    if (t->unit == CAL_WORKDAY) return arena_printf(a, "%d个工作日", t->amount);
    int minutes = t->unit == CAL_HOUR ? t->amount * 60 : t->amount;
    if (minutes % 60 == 0)
        return arena_printf(a, business ? "%d个工作小时" : "%d小时", minutes / 60);
    return arena_printf(a, business ? "%d分钟（工作时间）" : "%d分钟", minutes);
}

const char *kpi_promise_text(const sla_policy *p, arena *a)
{
    int k = kpi_index(sla_kinds, 5, p->kind), pr = kpi_index(sla_priorities, 4, p->priority);
    static const char *const prefix[5][4] = {{"紧急", "重大", "常规", "预约"},
                                             {"紧急", "重大", "一般", "预约"},
                                             {"紧急", "复杂", "一般", "预约"},
                                             {"紧急", "重要", "", "预约"},
                                             {"", "", "", ""}};
    static const char *const done[5] = {"修复", "反馈处理结果", "答复", "答复", "处理"};
    const char *label = arena_printf(a, "%s%s", k < 5 && pr < 4 ? prefix[k][pr] : "",
                                     k < 5 ? kpi_kind_words[k] : "工单");
    if (p->category) label = arena_printf(a, "%s（%s）", label, p->category);
    const char *text = arena_printf(a, "%s：", label);
    for (size_t i = 0; i < p->ntargets; i++) {
        const sla_target *t = &p->targets[i];
        const char *span = kpi_span(t, a), *what = "";
        const char *when = t->from == SLA_FROM_APPT_START ? "预约开始后"
                           : t->from == SLA_FROM_APPT_END ? "预约结束后"
                                                          : "";
        switch (t->milestone) {
        case SLA_RESPOND: what = "响应"; break;
        case SLA_ASSIGN: what = "分派至责任部门"; break;
        case SLA_ARRIVE: what = "到场"; break;
        case SLA_CONTACT: what = "与业主沟通"; break;
        case SLA_RESOLVE: what = t->from == SLA_FROM_REPORTED && k < 5 ? done[k] : "完成"; break;
        case SLA_NMILESTONES: break;
        }
        const char *phrase = t->amount == 0 && t->from == SLA_FROM_APPT_START
                                 ? arena_printf(a, "按预约时间%s", what)
                             : t->amount == 0 ? arena_printf(a, "预约结束时%s", what)
                                              : arena_printf(a, "%s%s内%s", when, span, what);
        text = arena_printf(a, "%s%s%s", text, i ? "，" : "", phrase);
    }
    return text;
}

static int kpi_promise_cmp(const void *pa, const void *pb)
{
    const sla_policy *a = *(const sla_policy *const *)pa, *b = *(const sla_policy *const *)pb;
    int d = kpi_index(sla_kinds, 5, a->kind) - kpi_index(sla_kinds, 5, b->kind);
    if (!d) d = kpi_index(sla_priorities, 4, a->priority) - kpi_index(sla_priorities, 4, b->priority);
    if (!d) d = strcmp(a->category ? a->category : "", b->category ? b->category : "");
    return d;
}

/* The active policies a ticket of the project could get: the project's own
 * over the company default for the same kind, priority and category. */
static int kpi_promises(db *c, int64_t project_id, arena *a, kpi_disclosure *out, aj_error *err)
{
    sla_policy *pols;
    size_t n;
    if (sla_policy_effective(c, project_id, a, &pols, &n, err)) return err->rc;
    sla_policy **list = arena_alloc(a, (n + 1) * sizeof *list);
    for (size_t i = 0; i < n; i++) list[i] = &pols[i];
    qsort(list, n, sizeof *list, kpi_promise_cmp);
    out->promises = arena_alloc(a, (n + 1) * sizeof *out->promises);
    for (size_t i = 0; i < n; i++)
        out->promises[i] =
            (kpi_promise){list[i]->kind, list[i]->priority, kpi_promise_text(list[i], a)};
    out->npromises = n;
    return 0;
}

int kpi_disclosure_get(db *c, const char *code, int64_t now, arena *a, kpi_disclosure *out,
                       aj_error *err)
{
    memset(out, 0, sizeof *out);
    db_rows *r = db_query(c,
                          "SELECT id, code, name, timezone FROM projects"
                          " WHERE code = $1 AND active = 1",
                          DB_ARGS(DB_TEXT(code)), err);
    if (!r) return err->rc;
    int found = db_next(r), off = CLOCK_TZ_DEFAULT;
    int64_t pid = 0;
    if (found) {
        pid = db_int(r, 0);
        out->code = arena_strdup(a, db_text(r, 1));
        out->name = arena_strdup(a, db_text(r, 2));
        off = clock_tz_offset_or_default(db_text(r, 3));
    }
    if (db_end(r, err)) return err->rc;
    if (!found) return aj_fail(err, AJ_ENOTFOUND, NULL, "项目不存在");
    int y, m, d;
    clock_civil_from_days((now + off) / KPI_DAY, &y, &m, &d);
    int64_t end = clock_days_from_civil(y, m, 1) * KPI_DAY - off;
    if (--m == 0) m = 12, y--;
    int64_t start = clock_days_from_civil(y, m, 1) * KPI_DAY - off;
    snprintf(out->month, sizeof out->month, "%04d-%02d", y, m);
    out->items = kpi_items;
    out->nitems = sizeof kpi_items / sizeof kpi_items[0];
    if (kpi_promises(c, pid, a, out, err)) return err->rc;

    int64_t lo;
    if (kpi_first_id(c, start, &lo, err)) return err->rc;
    db_val args[] = {DB_INT(pid), DB_INT(lo), DB_INT(start), DB_INT(end), DB_INT(now)};
#define KPI_MONTH                                                                              \
    " FROM tickets t WHERE" KPI_ONE " AND +t.reported_at < $4 AND t.status <> 'cancelled'"
    r = db_query(c,
                 "SELECT COUNT(*),"
                 " SUM(CASE WHEN t.kind = 'complaint' AND t.valid_complaint = 1 THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN t.kind = 'complaint' AND t.valid_complaint = 1"
                 "  AND t.status = 'closed' THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN t.rating IS NOT NULL THEN 1 ELSE 0 END),"
                 " SUM(CASE WHEN t.rating >= 4 THEN 1 ELSE 0 END)" KPI_MONTH,
                 4, args, err);
    if (!r) return err->rc;
    if (db_next(r)) {
        out->tickets = db_int(r, 0); /* SUM of no rows is NULL: db_int reads 0 */
        out->closure = (kpi_rate){db_int(r, 1), db_int(r, 2)};
        out->rated = db_int(r, 3);
        out->satisfied = db_int(r, 4);
    }
    if (db_end(r, err)) return err->rc;
    r = db_query(c,
                 "SELECT s.milestone, COUNT(*), " KPI_ON_TIME
                 " FROM tickets t JOIN ticket_sla s ON s.ticket_id = t.id WHERE" KPI_ONE
                 " AND +t.reported_at < $4 AND t.status <> 'cancelled'"
                 " AND s.milestone IN ('respond', 'resolve')" KPI_DECIDED(5) " GROUP BY s.milestone",
                 5, args, err);
    if (!r) return err->rc;
    while (db_next(r)) {
        kpi_rate v = {db_int(r, 1), db_int(r, 2)};
        if (!strcmp(db_text(r, 0), "respond")) out->response = v;
        else out->resolution = v;
    }
    if (db_end(r, err)) return err->rc;
    kpi_cats cats;
    if (kpi_cats_load(c, a, &cats, err)) return err->rc;
    return kpi_by_top(c, &cats,
                      "SELECT t.category_id, COUNT(*)" KPI_MONTH
                      " AND t.kind = 'complaint' GROUP BY t.category_id",
                      4, args, a, &out->complaints, &out->ncomplaints, err);
}
