/* demo/demo_meeting.c: the demo company's resident meetings (业主座谈会) and mystery-shopper
 * visits (神秘客). Every project met its residents once a quarter for the last four
 * quarters — the owners' committee and a dozen or more owners, three to five topics each:
 * a topic the desk took up points at the suggestion or complaint ticket it became (its
 * channel then `meeting`), one topic a meeting became a public plan (source meeting), the
 * older plans carried to effective. Twice a year a third-party agency played a resident:
 * the older visit scored in the 70s and its findings became a plan (baseline its mean,
 * target 90), carried to effective by the newer visit's score. The same for a seed. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "demo/demo.h"
#include "demo/demo_rng.h"
#include "domain/voice/voice.h"

#define DEMO_MEETING_QUARTERS 4

static const char *const demo_meeting_topics[] = {
    "地下车库照明太暗，晚上停车不安全",       "快递堆放在单元门口，希望增设快递柜",
    "电梯高峰期等待时间长，能否调整运行模式", "小区东门晚上外来人员随意进出",
    "中心花园草坪长期没有修剪",               "垃圾分类投放点气味大，清运不及时",
    "报修后维修师傅上门时间不固定",           "物业费使用情况希望定期公示",
    "儿童游乐设施有松动，存在安全隐患",       "楼道堆放杂物，影响消防通道",
    "雨天单元门口积水严重",                   "希望增加夜间巡逻频次",
    "宠物粪便无人清理",                       "停车位不足，访客车辆乱停",
};

static const char *const demo_meeting_places[] = {"会所二楼多功能厅", "物业服务中心会议室", "社区活动室"};

/* A topic the desk took up: the first suggestion or complaint of the project in the three
 * days after the meeting not linked to another topic, marked as raised there. */
static int demo_meeting_ticket(db *c, int64_t project_id, int64_t held_at, int64_t *ticket_id, aj_error *err)
{
    *ticket_id = 0;
    if (db_scalar(c,
                  "SELECT COALESCE(MIN(t.id), 0) FROM tickets t WHERE t.project_id = $1"
                  " AND t.kind IN ('suggestion', 'complaint') AND t.reported_at BETWEEN $2 AND $3"
                  " AND NOT EXISTS (SELECT 1 FROM meeting_topics m WHERE m.ticket_id = t.id)",
                  DB_ARGS(DB_INT(project_id), DB_INT(held_at), DB_INT(held_at + 3 * 86400)), ticket_id, err))
        return err->rc;
    if (*ticket_id && db_exec(c, "UPDATE tickets SET channel = 'meeting' WHERE id = $1", DB_ARGS(DB_INT(*ticket_id)),
                              err) < 0)
        return err->rc;
    return 0;
}

/* An older plan carried through: analysed, approved by the project's manager, its one
 * measure done, checked effective (the topic resolved, value 1 against target 1). */
static int demo_meeting_carry(db *c, int64_t plan_id, const char *measure, const char *dept, double value,
                              aj_error *err)
{
    if (db_exec(c,
                "INSERT INTO improvement_measures (improvement_id, seq, text, owner_id, department, due_at, done, done_at)"
                " SELECT x.id, 1, $2, (SELECT MIN(u.id) FROM users u JOIN staff_projects sp ON sp.user_id = u.id"
                "  JOIN departments d ON d.id = u.department_id WHERE sp.project_id = x.project_id AND d.name = $3),"
                " $3, x.created_at + 20 * 86400, 1, x.created_at + 18 * 86400 FROM improvements x WHERE x.id = $1",
                DB_ARGS(DB_INT(plan_id), DB_TEXT(measure), DB_TEXT(dept)), err) < 0 ||
        db_exec(c,
                "INSERT INTO improvement_notes (improvement_id, seq, note, done, by_id, at)"
                " SELECT m.improvement_id, 1, '已完成：' || m.text, 1, m.owner_id, m.done_at"
                " FROM improvement_measures m WHERE m.improvement_id = $1",
                DB_ARGS(DB_INT(plan_id)), err) < 0 ||
        db_exec(c,
                "UPDATE improvements SET state = 'effective', cause = '日常检查未覆盖该问题，责任部门未形成固定频次',"
                " analysed_by = (SELECT MIN(u.id) FROM users u WHERE u.role = 'quality'),"
                " approved_by = (SELECT MIN(u.id) FROM users u JOIN staff_projects sp ON sp.user_id = u.id"
                "  WHERE sp.project_id = improvements.project_id AND u.role = 'manager'),"
                " approved_at = created_at + 3 * 86400, checked_at = created_at + 45 * 86400,"
                " checked_by = (SELECT MIN(u.id) FROM users u WHERE u.role = 'quality'), check_value = $2,"
                " updated_at = created_at + 45 * 86400 WHERE id = $1",
                DB_ARGS(DB_INT(plan_id), DB_REAL(value)), err) < 0)
        return err->rc;
    return 0;
}

static int demo_meeting_one(db *c, demo_rng *rng, int64_t project_id, int k, int64_t now, demo_stats *st,
                            aj_error *err)
{
    actor sys = actor_system("demo");
    /* the last one 10 to 30 days ago, each before it a quarter earlier */
    int64_t held = now - ((int64_t)(DEMO_MEETING_QUARTERS - 1 - k) * 91 + 20 + demo_rng_int(rng, -10, 10)) * 86400;
    held -= held % 3600; /* on the hour */
    int owners = demo_rng_int(rng, 9, 24), ntopics = demo_rng_int(rng, 3, 5);
    char title[80], note[80], when[40];
    clock_format(held, CLOCK_TZ_DEFAULT, when, sizeof when); /* "2026-03-14T15:00:00+08:00" */
    snprintf(title, sizeof title, "%.4s年第%d季度业主座谈会", when, (atoi(when + 5) - 1) / 3 + 1);
    snprintf(note, sizeof note, "业委会 3 人、业主代表 %d 人、物业 4 人", owners);
    int64_t id = 0;
    if (db_scalar(c,
                  "INSERT INTO meetings (project_id, held_at, title, place, attendees, attendee_note, summary,"
                  " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                  DB_ARGS(DB_INT(project_id), DB_INT(held), DB_TEXT(title), DB_TEXT(DEMO_RNG_PICK(rng, demo_meeting_places)),
                          DB_INT(owners + 7), DB_TEXT(note),
                          DB_TEXT("项目经理通报本季度服务情况及上次座谈会议题的落实结果，业主逐条提出意见，现场答复并记录。"),
                          DB_INT(held + 86400)),
                  &id, err))
        return err->rc;
    int first = demo_rng_int(rng, 0, (int)(sizeof demo_meeting_topics / sizeof *demo_meeting_topics) - 1);
    for (int i = 0; i < ntopics; i++) {
        const char *text = demo_meeting_topics[(first + i * 3) % (int)(sizeof demo_meeting_topics / sizeof *demo_meeting_topics)];
        int64_t ticket = 0, plan = 0;
        if (i == 0) { /* the meeting's main point becomes a public plan */
            char ptitle[160], ref[48];
            snprintf(ptitle, sizeof ptitle, "座谈会议题：%s", text);
            snprintf(ref, sizeof ref, "meeting:%lld:%d", (long long)id, i + 1);
            improvement_input in = {.project_id = project_id, .source = "meeting", .source_ref = ref,
                                    .title = ptitle, .problem = text, .metric_kind = "kpi",
                                    .metric_key = "resident_meeting_topic", .baseline = 0, .target = 1,
                                    .has_target = 1, .due_at = held + (2 + IMPROVEMENT_DAYS) * 86400, .public_ = 1};
            if (improvement_insert(c, &sys, &in, 0, held + 2 * 86400, &plan, err)) return err->rc;
            st->improvements++;
            if (k < DEMO_MEETING_QUARTERS - 1 &&
                demo_meeting_carry(c, plan, "责任部门制定整改措施并在下次座谈会上通报结果", "品质部", 1, err))
                return err->rc;
        } else if (demo_rng_pct(rng, 0.6) && demo_meeting_ticket(c, project_id, held, &ticket, err)) {
            return err->rc;
        }
        if (db_exec(c, "INSERT INTO meeting_topics (meeting_id, seq, text, ticket_id, improvement_id) VALUES ($1, $2, $3, $4, $5)",
                    DB_ARGS(DB_INT(id), DB_INT(i + 1), DB_TEXT(text), DB_OPT_INT(ticket, ticket), DB_OPT_INT(plan, plan)),
                    err) < 0)
            return err->rc;
    }
    st->meetings++;
    return 0;
}

static const char *const demo_meeting_items[] = {"接听礼貌", "响应速度", "上门准时", "服务规范", "完工清洁"};

/* Twice a year: 11 and 5 months ago, the first in the 70s with findings made a plan, the
 * second at 90 or more, the plan then effective. */
static int demo_meeting_mystery(db *c, demo_rng *rng, int64_t project_id, int64_t now, demo_stats *st, aj_error *err)
{
    static const char *const scenarios[] = {"电话报修卫生间漏水", "前台咨询装修手续", "投诉楼上噪音扰民"};
    static const char *const findings =
        "电话响铃 6 声后才接听；报修后 50 分钟维修人员才回电；上门未穿鞋套，完工后未清理现场。";
    actor sys = actor_system("demo");
    int64_t plan = 0;
    double first = 0;
    for (int v = 0; v < 2; v++) {
        int64_t at = now - (v ? 150 : 330) * 86400 + demo_rng_int(rng, 9, 17) * 3600;
        json_t *sc = json_object();
        double sum = 0;
        for (size_t i = 0; i < sizeof demo_meeting_items / sizeof *demo_meeting_items; i++) {
            int s = v ? demo_rng_int(rng, 90, 98) : demo_rng_int(rng, 62, 85);
            json_object_set_new(sc, demo_meeting_items[i], json_real(s));
            sum += s;
        }
        double total = sum / (double)(sizeof demo_meeting_items / sizeof *demo_meeting_items);
        char *scores = json_dumps(sc, JSON_COMPACT);
        json_decref(sc);
        int64_t id = 0;
        int rc = db_scalar(c,
                           "INSERT INTO mystery_visits (project_id, visited_at, agency, scenario, scores, total,"
                           " findings, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                           DB_ARGS(DB_INT(project_id), DB_INT(at), DB_TEXT("上海某第三方服务测评公司"),
                                   DB_TEXT(scenarios[demo_rng_int(rng, 0, 2)]), DB_TEXT(scores), DB_REAL(total),
                                   DB_TEXT(v ? "整体规范，个别员工未佩戴工牌。" : findings), DB_INT(at + 2 * 86400)),
                           &id, err);
        free(scores);
        if (rc) return rc;
        if (!v) {
            first = total;
            char ref[40];
            snprintf(ref, sizeof ref, "mystery:%lld", (long long)id);
            improvement_input in = {.project_id = project_id, .source = "mystery", .source_ref = ref,
                                    .title = "神秘客暗访整改：报修响应与上门规范", .problem = findings,
                                    .metric_kind = "kpi", .metric_key = "mystery_score", .baseline = first,
                                    .target = 90, .has_target = 1, .due_at = at + 17 * 86400};
            if (improvement_insert(c, &sys, &in, 0, at + 2 * 86400, &plan, err) ||
                db_exec(c, "UPDATE mystery_visits SET improvement_id = $2 WHERE id = $1",
                        DB_ARGS(DB_INT(id), DB_INT(plan)), err) < 0)
                return err->rc;
            st->improvements++;
        } else if (demo_meeting_carry(c, plan, "客服电话三声内接听，报修 15 分钟内回电；维修上门统一穿鞋套、完工清场", "客服部",
                                      total, err)) {
            return err->rc;
        }
        st->mystery_visits++;
    }
    return 0;
}

int demo_meeting_run(db *c, int64_t now, demo_stats *st, aj_error *err)
{
    int64_t projects[DEMO_MAX_PROJECTS];
    int np;
    if (demo_project_ids(c, projects, &np, err)) return err->rc;
    demo_rng rng = {.s = 20261204};
    for (int p = 0; p < np; p++) {
        for (int k = 0; k < DEMO_MEETING_QUARTERS; k++)
            if (demo_meeting_one(c, &rng, projects[p], k, now, st, err)) return err->rc;
        if (demo_meeting_mystery(c, &rng, projects[p], now, st, err)) return err->rc;
    }
    return 0;
}
