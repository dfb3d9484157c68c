/* demo/demo_work.c: a year of scheduled work for the demo company: each project's plans
 * (daily cleaning and garbage rounds, disinfection three times a week, greening twice a
 * week — each with its site photo —, quarterly fire checks, the water tank
 * twice a year, and a PM plan per class of its equipment when the equipment book has some),
 * their tasks made by the engine itself (plan_gen_fill from a year ago), and how they went:
 * most on time, some late, a few missed, a handful abnormal in the last month with the
 * ticket each opened. The same for a seed. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/token.h"
#include "demo/demo.h"
#include "demo/demo_rng.h"


#include "domain/assets/assets.h"
#include "domain/core/core.h"
#include "domain/tickets/tickets.h"
#include "domain/work/work.h"

#define DEMO_WORK_DAY 86400
#define DEMO_WORK_YEAR (365 * DEMO_WORK_DAY)

typedef struct demo_work_plan {
    const char *kind, *title, *rrule, *assign, *category;
    const equipment_template *tpl; /* a PM plan: the template it is made from */
    int window_minutes;
    const char *checklist;
    demo_photo photo; /* a round's site photo (its "photo" item); title NULL: none */
} demo_work_plan;

/* Seeds 000–004: 公共区域每日清扫, 垃圾日产日清, 电梯轿厢/单元大堂每周消毒3次, 绿化养护, each
 * round with its site photo; the PM plans are the product's own templates (消防季度, 水箱每年
 * 两次, 电梯每月, 供电每月, 发电机每月试运行), each over the project's equipment the template
 * covers. */
#define DEMO_WORK_PHOTO_ITEM ",{\"key\":\"photo\",\"label\":\"现场照片\",\"type\":\"photo\"}]"
static const demo_work_plan demo_work_rounds[] = {
    {"cleaning", "公共区域日常清扫", "FREQ=DAILY;BYHOUR=7;BYMINUTE=0", "{\"role\":\"cleaner\"}",
     "环境卫生", NULL, 600,
     "[{\"key\":\"floor\",\"label\":\"楼道及大堂地面干净无杂物\",\"type\":\"check\"},"
     "{\"key\":\"glass\",\"label\":\"门窗玻璃、扶手无灰尘手印\",\"type\":\"check\"}" DEMO_WORK_PHOTO_ITEM,
     {"公共区域清扫完成", "单元大堂", 0xd8cfc0, 0xb9b2a6, 1}},
    {"cleaning", "垃圾收集点日产日清", "FREQ=DAILY;BYHOUR=18;BYMINUTE=0", "{\"role\":\"cleaner\"}",
     "环境卫生", NULL, 240,
     "[{\"key\":\"garbage\",\"label\":\"垃圾桶清空、无满溢\",\"type\":\"check\"},"
     "{\"key\":\"sort\",\"label\":\"分类投放点干净无异味\",\"type\":\"check\"}" DEMO_WORK_PHOTO_ITEM,
     {"垃圾收集点清运完成", "垃圾分类投放点", 0x9fb3a0, 0x8a8f94, 0}},
    {"cleaning", "电梯轿厢及单元大堂消毒", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0",
     "{\"role\":\"cleaner\"}", "环境卫生", NULL, 480,
     "[{\"key\":\"done\",\"label\":\"轿厢按钮、扶手及大堂门把手消毒\",\"type\":\"check\"},"
     "{\"key\":\"log\",\"label\":\"消毒记录表签字\",\"type\":\"check\"}" DEMO_WORK_PHOTO_ITEM,
     {"电梯轿厢消毒完成", "电梯轿厢", 0xc9ccd1, 0x7d8188, 1}},
    {"cleaning", "绿化养护巡查", "FREQ=WEEKLY;BYDAY=TU,FR;BYHOUR=8;BYMINUTE=0",
     "{\"department\":\"绿化部\"}", "绿化", NULL, 480,
     "[{\"key\":\"lawn\",\"label\":\"草坪修剪平整、无黄土裸露\",\"type\":\"check\"},"
     "{\"key\":\"waste\",\"label\":\"绿化垃圾当日清运\",\"type\":\"check\"}" DEMO_WORK_PHOTO_ITEM,
     {"绿化养护完成", "中心花园", 0xa9c8e0, 0x6f9a58, 0}},
};
static const char *const demo_work_templates[] = {"fire_quarterly", "water_tank_cleaning",
                                                  "elevator_monthly", "power_monthly",
                                                  "generator_monthly"};
#define DEMO_WORK_NROUNDS (int)(sizeof demo_work_rounds / sizeof demo_work_rounds[0])
#define DEMO_WORK_NPLANS (DEMO_WORK_NROUNDS + (int)(sizeof demo_work_templates / sizeof demo_work_templates[0]))

/* The k-th plan every project gets: a round of the list above, then the templates. */
static demo_work_plan demo_work_plan_at(int k)
{
    if (k < DEMO_WORK_NROUNDS) return demo_work_rounds[k];
    const equipment_template *t = equipment_templates_find(demo_work_templates[k - DEMO_WORK_NROUNDS]);
    return (demo_work_plan){"pm", t->title, t->rrule, NULL, t->category, t, t->window_minutes,
                            t->checklist, {0}};
}

/* ---- the equipment book: what a project of this size runs ---- */

static int demo_work_eq_insert(db *c, int64_t project_id, int64_t building_id, const char *code,
                               const char *name, const char *cls, const char *location,
                               const char *maker, const char *vendor, int major, int64_t since,
                               aj_error *err)
{
    char token[TOKEN_LEN], installed[16];
    if (token_new(token)) return aj_fail(err, AJ_EDB, NULL, "随机数不可用");
    clock_format_date((since + 8 * 3600) / DEMO_WORK_DAY, installed, sizeof installed);
    return db_exec(c,
                   "INSERT INTO equipment (project_id, code, name, class, location, building_id,"
                   " maker, installed_on, vendor, criticality, status, qr_token, created_at,"
                   " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'in_service', $11,"
                   " $12, $12)",
                   DB_ARGS(DB_INT(project_id), DB_TEXT(code), DB_TEXT(name), DB_TEXT(cls),
                           DB_TEXT(location), DB_OPT_INT(building_id, building_id), DB_TEXT(maker),
                           DB_TEXT(installed), DB_TEXT(vendor), DB_TEXT(major ? "major" : "normal"),
                           DB_TEXT(token), DB_INT(since)),
                   err) < 0
               ? err->rc
               : 0;
}

/* Elevators in every building over 7 floors (two per unit stack of a high-rise), the fire
 * control room's panel and pumps, water pumps and tanks, transformers and switchgear, a
 * generator, lobby access control and CCTV: 30–60 pieces for a project of a few thousand
 * flats. Then a few downtime periods over the year, most on elevators and pumps. */
static int demo_work_equipment_book(db *c, demo_rng *rng, int64_t project_id, int64_t now,
                                    arena *a, int *units, aj_error *err)
{
    db_rows *r = db_query(c, "SELECT id, name, floors FROM buildings WHERE project_id = $1 ORDER BY id",
                          DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    struct demo_work_bld {
        int64_t id;
        const char *name;
        int floors;
    } b[64];
    int nb = 0;
    while (db_next(r) && nb < 64)
        b[nb++] = (struct demo_work_bld){db_int(r, 0), arena_strdup(a, db_text(r, 1)), (int)db_int(r, 2)};
    if (db_end(r, err)) return err->rc;
    int64_t since = now - 6 * DEMO_WORK_YEAR;
    int n = 0, rc = 0;
    static const char *const lift_makers[] = {"三菱电机", "日立电梯", "奥的斯", "通力", "迅达"};
#define DEMO_EQ(bid, cls, major, name, loc, maker, vendor)                                         \
    do {                                                                                        \
        char code[24];                                                                          \
        snprintf(code, sizeof code, "%s-%03d",                                                  \
                 !strcmp(cls, "elevator") ? "DT" : !strcmp(cls, "fire") ? "XF"                  \
                 : !strcmp(cls, "water") ? "GPS" : !strcmp(cls, "power") ? "GPD"                \
                 : !strcmp(cls, "cctv") ? "JK" : !strcmp(cls, "access") ? "MJ" : "QT", n + 1);  \
        if (!rc) rc = demo_work_eq_insert(c, project_id, bid, code, name, cls, loc, maker, vendor, \
                                          major, since, err);                                   \
        n++;                                                                                    \
    } while (0)
    for (int i = 0; i < nb && !rc; i++) {
        if (b[i].floors > 7) {
            int lifts = b[i].floors >= 24 ? 2 : 1;
            for (int k = 0; k < lifts; k++)
                DEMO_EQ(b[i].id, "elevator", 1, arena_printf(a, "%s%d号客梯", b[i].name, k + 1),
                        arena_printf(a, "%s大堂", b[i].name), DEMO_RNG_PICK(rng, lift_makers),
                        "市特种设备维保公司");
        }
        DEMO_EQ(b[i].id, "access", 0, arena_printf(a, "%s单元门禁", b[i].name),
                arena_printf(a, "%s单元门", b[i].name), "海康威视", "");
    }
    DEMO_EQ(0, "fire", 1, "火灾自动报警控制器", "消防控制室", "海湾安全", "消防维保中心");
    DEMO_EQ(0, "fire", 1, "消火栓泵（主）", "地下一层消防泵房", "上海连成", "消防维保中心");
    DEMO_EQ(0, "fire", 1, "喷淋泵（主）", "地下一层消防泵房", "上海连成", "消防维保中心");
    DEMO_EQ(0, "fire", 0, "消防稳压设备", "地下一层消防泵房", "上海连成", "消防维保中心");
    DEMO_EQ(0, "water", 1, "二次供水变频泵组", "地下一层水泵房", "格兰富", "");
    DEMO_EQ(0, "water", 0, "生活水箱（不锈钢）", "地下一层水泵房", "", "");
    DEMO_EQ(0, "water", 0, "集水井排污泵", "地下车库", "威乐", "");
    DEMO_EQ(0, "power", 1, "1号干式变压器", "配电房", "正泰电气", "供电局");
    DEMO_EQ(0, "power", 1, "2号干式变压器", "配电房", "正泰电气", "供电局");
    DEMO_EQ(0, "power", 0, "低压配电柜", "配电房", "施耐德", "");
    DEMO_EQ(0, "power", 1, "柴油发电机组", "发电机房", "玉柴", "");
    for (int k = 0; k < 8; k++)
        DEMO_EQ(0, "cctv", 0, arena_printf(a, "监控摄像机 %d", k + 1),
                k < 4 ? "小区出入口" : "地下车库", "海康威视", "");
    DEMO_EQ(0, "lighting", 0, "地下车库照明回路", "地下车库", "", "");
    DEMO_EQ(0, "hvac", 0, "会所空调主机", "会所", "格力", "");
#undef DEMO_EQ
    if (rc) return rc;
    *units += n;
    /* downtime: a dozen periods over the year, 2 to 30 hours, mostly on lifts and pumps */
    r = db_query(c,
                 "SELECT id FROM equipment WHERE project_id = $1 AND class IN ('elevator', 'water', 'fire')"
                 " ORDER BY id",
                 DB_ARGS(DB_INT(project_id)), err);
    if (!r) return err->rc;
    int64_t ids[128];
    int ni = 0;
    while (db_next(r) && ni < 128) ids[ni++] = db_int(r, 0);
    if (db_end(r, err)) return err->rc;
    static const char *const causes[] = {"困人故障，维保单位到场救援", "门机故障停梯", "水泵轴承异响停机检修",
                                         "控制柜接触器烧毁", "年检整改停用"};
    for (int k = 0; k < 12 && ni > 0; k++) {
        int64_t start = now - DEMO_WORK_YEAR + (int64_t)demo_rng_int(rng, 0, 360) * DEMO_WORK_DAY +
                        demo_rng_int(rng, 8, 20) * 3600;
        int64_t end = start + demo_rng_int(rng, 2, 30) * 3600;
        if (end >= now) continue;
        if (db_exec(c,
                    "INSERT INTO equipment_downtime (equipment_id, started_at, ended_at, cause,"
                    " created_at) VALUES ($1, $2, $3, $4, $2)",
                    DB_ARGS(DB_INT(ids[demo_rng_int(rng, 0, ni - 1)]), DB_INT(start), DB_INT(end),
                            DB_TEXT(causes[demo_rng_int(rng, 0, 4)])),
                    err) < 0)
            return err->rc;
    }
    return 0;
}

/* The units a template covers in the project, as a JSON array ("[]" for a round). */
static const char *demo_work_equipment(db *c, int64_t project_id, const demo_work_plan *d, arena *a,
                                       aj_error *err)
{
    if (!d->tpl) return "[]";
    int64_t *ids;
    size_t n;
    if (equipment_templates_units(c, d->tpl, project_id, a, &ids, &n, err)) return NULL;
    buf b;
    buf_init(&b, a);
    buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++) buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
    buf_putc(&b, ']');
    return b.s;
}

static int demo_work_plan_insert(db *c, int64_t project_id, const demo_work_plan *d,
                                 int64_t dtstart, arena *a, int64_t *id, aj_error *err)
{
    const char *assign = d->assign ? d->assign : arena_printf(a, "{\"role\":\"%s\"}", d->tpl->role);
    const char *covers = demo_work_equipment(c, project_id, d, a, err);
    if (!covers) return err->rc;
    /* the checklist stored as the engine normalises it is what the API writes; the demo's
     * texts already have every field the tasks read */
    if (db_scalar(c,
                  "INSERT INTO plans (project_id, kind, title, rrule, dtstart, window_minutes,"
                  " workdays_only, assign, equipment_ids, area, category, checklist, active,"
                  " version, horizon, generated_until, refill_at, created_at, updated_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $8, '', $9, $10, 1, 1, $11, $5, 0, $5, $5)"
                  " RETURNING id",
                  DB_ARGS(DB_INT(project_id), DB_TEXT(d->kind), DB_TEXT(d->title), DB_TEXT(d->rrule),
                          DB_INT(dtstart), DB_INT(d->window_minutes), DB_TEXT(assign),
                          DB_TEXT(covers),
                          DB_TEXT(d->category), DB_TEXT(d->checklist),
                          DB_INT(plan_rule_horizon(d->rrule))),
                  id, err))
        return err->rc;
    return db_exec(c,
                   "INSERT INTO plan_versions (plan_id, version, checklist, created_at)"
                   " VALUES ($1, 1, $2, $3)",
                   DB_ARGS(DB_INT(*id), DB_TEXT(d->checklist), DB_INT(dtstart)), err) < 0
               ? err->rc
               : 0;
}

/* How the past went, set-wise and the same on both backends: by a hash of the id, 3 in
 * 100 missed, 5 late, the rest done inside their window; every item of a done or late
 * task answered normal, a photo item with the round's site photo (photo_id). */
static int demo_work_outcomes(db *c, int64_t plan_id, const char *checklist, int64_t photo_id,
                              int64_t now, aj_error *err)
{
    if (db_exec(c,
                "UPDATE tasks SET"
                " state = CASE WHEN (id * 7919) % 100 < 3 THEN 'missed'"
                "              WHEN (id * 7919) % 100 < 8 THEN 'late' ELSE 'done' END,"
                " missed_at = CASE WHEN (id * 7919) % 100 < 3 THEN due_at ELSE NULL END,"
                " started_at = CASE WHEN (id * 7919) % 100 < 3 THEN NULL"
                "                   ELSE starts_at + (due_at - starts_at) * ((id * 31) % 40) / 100 END,"
                " finished_at = CASE WHEN (id * 7919) % 100 < 3 THEN NULL"
                "                    WHEN (id * 7919) % 100 < 8 THEN due_at + 3600 * (1 + id % 20)"
                "                    ELSE starts_at + (due_at - starts_at) * (45 + (id * 31) % 50) / 100 END,"
                " updated_at = due_at"
                " WHERE plan_id = $1 AND due_at <= $2",
                DB_ARGS(DB_INT(plan_id), DB_INT(now)), err) < 0)
        return err->rc;
    json_t *items = json_loads(checklist, 0, NULL);
    size_t i;
    json_t *it;
    int rc = 0;
    json_array_foreach(items, i, it)
    {
        const char *key = json_string_value(json_object_get(it, "key"));
        const char *type = json_string_value(json_object_get(it, "type"));
        json_t *mn = json_object_get(it, "min"), *mx = json_object_get(it, "max");
        /* a number in the middle of its range, a tick otherwise */
        char value[32] = "true", photos[32] = "[]";
        if (type && !strcmp(type, "number"))
            snprintf(value, sizeof value, "%.1f",
                     (json_number_value(mn) + json_number_value(mx)) / 2);
        if (type && !strcmp(type, "photo") && photo_id)
            snprintf(photos, sizeof photos, "[%lld]", (long long)photo_id);
        if (db_exec(c,
                    "INSERT INTO task_results (task_id, key, ok, value, note, measure, photos,"
                    " answered_by, answered_at) SELECT id, $2, 1, $3, '', '', $4, assignee_id,"
                    " finished_at FROM tasks WHERE plan_id = $1 AND state IN ('done', 'late')",
                    DB_ARGS(DB_INT(plan_id), DB_TEXT(key), DB_TEXT(value), DB_TEXT(photos)), err) < 0) {
            rc = err->rc;
            break;
        }
    }
    json_decref(items);
    return rc;
}

/* A few findings in the last month, each with the repair ticket it opened (the ticket desk
 * takes back-dating of 30 days at most, so older findings are not made up), half of them
 * re-checked since. */
static int demo_work_findings(db *c, int64_t project_id, int64_t now, arena *a, demo_stats *st,
                              aj_error *err)
{
    db_rows *r = db_query(
        c,
        "SELECT t.id, t.title, t.finished_at, t.kind, r.key, p.category FROM tasks t"
        " JOIN task_results r ON r.task_id = t.id JOIN plans p ON p.id = t.plan_id"
        " WHERE t.project_id = $1 AND t.state = 'done' AND t.finished_at > $2"
        " AND t.finished_at < $3 AND (t.id * 13) % 17 = 0 ORDER BY t.id LIMIT 6",
        DB_ARGS(DB_INT(project_id), DB_INT(now - 28 * DEMO_WORK_DAY), DB_INT(now - 3600)), err);
    if (!r) return err->rc;
    struct demo_work_finding {
        int64_t id, at;
        const char *title, *kind, *key, *category;
    } f[6];
    int n = 0;
    while (db_next(r) && n < 6)
        f[n++] = (struct demo_work_finding){db_int(r, 0), db_int(r, 2), arena_strdup(a, db_text(r, 1)),
                                arena_strdup(a, db_text(r, 3)), arena_strdup(a, db_text(r, 4)),
                                arena_strdup(a, db_text(r, 5))};
    if (db_end(r, err)) return err->rc;
    static const char *const notes[][2] = {
        {"发现异常，现场记录照片", "已临时处置，报修跟进"},
        {"部件磨损超出标准", "已调整，更换件已申购"},
        {"指示灯不亮", "已复位，报工程部检修"},
    };
    actor sys = actor_system("demo");
    for (int i = 0; i < n; i++) {
        const char *note = notes[i % 3][0], *measure = notes[i % 3][1];
        ticket_input in = {.project_id = project_id, .has_project = 1, .kind = "repair",
                           .priority = "normal", .category = *f[i].category ? f[i].category : "其他",
                           .channel = !strcmp(f[i].kind, "patrol") ? "patrol" : "inspection",
                           .title = arena_printf(a, "【检查异常】%s：%s", f[i].title, f[i].key),
                           .description = arena_printf(a, "问题描述：%s\n处理措施：%s", note, measure),
                           .reported_at = f[i].at, .task_id = f[i].id, .task_item = f[i].key};
        ticket t;
        if (ticket_create_in(c, &sys, &in, a, &t, err)) return err->rc;
        if (db_exec(c,
                    "UPDATE task_results SET ok = 0, note = $3, measure = $4, ticket_id = $5,"
                    " recheck_ok = CASE WHEN $6 = 1 THEN 1 ELSE NULL END,"
                    " recheck_note = CASE WHEN $6 = 1 THEN '已修复，复检合格' ELSE NULL END,"
                    " recheck_at = CASE WHEN $6 = 1 THEN answered_at + 172800 ELSE NULL END"
                    " WHERE task_id = $1 AND key = $2",
                    DB_ARGS(DB_INT(f[i].id), DB_TEXT(f[i].key), DB_TEXT(note), DB_TEXT(measure),
                            DB_INT(t.id), DB_INT(i % 2 == 0 && f[i].at + 172800 < now)),
                    err) < 0)
            return err->rc;
        /* findings and the tickets they opened (still open: the desk has them) */
        st->findings++;
        st->tickets++;
        st->open_tickets++;
    }
    return 0;
}

int demo_work_run(db *c, int64_t now, const char *data_dir, demo_stats *st, aj_error *err)
{
    int64_t projects[DEMO_MAX_PROJECTS];
    int np;
    if (demo_project_ids(c, projects, &np, err)) return err->rc;
    arena a;
    arena_init(&a, 65536);
    int rc = 0;
    /* a year back, on the hour */
    int64_t start = (now - DEMO_WORK_YEAR) / 3600 * 3600;
    demo_rng rng = {.s = 20261202};
    for (int p = 0; p < np && !rc; p++) {
        if ((rc = demo_work_equipment_book(c, &rng, projects[p], now, &a, &st->equipment, err))) break;
        for (int k = 0; k < DEMO_WORK_NPLANS && !rc; k++) {
            int64_t id, photo = 0;
            plan_gen_stats gs = {0};
            demo_work_plan d = demo_work_plan_at(k);
            if (d.photo.title &&
                (rc = demo_photo_make(c, data_dir, projects[p], &d.photo, &a, &photo, err)))
                break;
            if ((rc = demo_work_plan_insert(c, projects[p], &d, start, &a, &id, err))) break;
            if ((rc = plan_gen_fill(c, id, now, &gs, err))) break;
            if ((rc = demo_work_outcomes(c, id, d.checklist, photo, now, err))) break;
            st->plans++;
            st->tasks += (int)gs.tasks;
        }
        if (!rc) rc = demo_work_findings(c, projects[p], now, &a, st, err);
        arena_reset(&a);
    }
    arena_free(&a);
    return rc;
}
