/* tests/unit/test_sla.c: SLA policies (validation, JSON, specificity, access)
 * and the milestone clocks of one ticket (plan, hold and resume across a
 * holiday, state, escalations, rows in ticket_sla) on both backends. */
#include <criterion/criterion.h>
#include <string.h>

#include "api/sla/sla_json.h"
#include "base/clock.h"
#include "dbtest.h"
#include "domain/sla/sla.h"

static const actor sla_admin = {.id = 0, .role = ROLE_ADMIN, .ip = "", .request_id = "unit"};
static const actor sla_resident = {.id = 9, .role = ROLE_RESIDENT, .resident_id = 1};

static int64_t T(const char *s)
{
    int64_t t;
    cr_assert_eq(clock_parse_rfc3339(s, &t), 0, "bad time %s", s);
    return t;
}

static calendar sla_cal(arena *a)
{
    calendar c = {.id = 1, .name = "中国大陆法定节假日", .timezone = "Asia/Shanghai",
                  .offset = 8 * 3600, .work_start = 540, .work_end = 1080,
                  .first_year = calendar_official_first_year,
                  .last_year = calendar_official_last_year};
    c.days = arena_alloc(a, calendar_official_count * sizeof(calendar_day));
    for (size_t i = 0; i < calendar_official_count; i++) {
        cr_assert_eq(clock_parse_date(calendar_official_days[i].date, &c.days[i].day), 0);
        c.days[i].kind = calendar_official_days[i].kind;
    }
    c.ndays = calendar_official_count;
    return c;
}

static sla_policy sla_parse(const char *text, arena *a)
{
    json_error_t je;
    json_t *j = json_loads(text, 0, &je);
    cr_assert_not_null(j, "%s", je.text);
    sla_policy p;
    aj_error err = {0};
    cr_assert_eq(sla_policy_from_json(j, 0, a, &p, &err), 0, "%s: %s", err.field, err.message);
    json_decref(j);
    return p;
}

/* Refused with field (and message, unless NULL). JSON_ALLOW_NUL: a body built
 * in the process may hold what HTTP's parser refuses (400 bad_json there). */
static void sla_refused(const char *text, const char *field, const char *message)
{
    arena a;
    arena_init(&a, 4096);
    json_t *j = json_loads(text, JSON_ALLOW_NUL, NULL);
    cr_assert_not_null(j, "%s", text);
    sla_policy p;
    aj_error err = {0};
    cr_assert_eq(sla_policy_from_json(j, 0, &a, &p, &err), AJ_EINVAL, "accepted %s", text);
    cr_assert_str_eq(err.field, field, "%s: %s", text, err.message);
    if (message) cr_assert_str_eq(err.message, message, "%s", text);
    json_decref(j);
    arena_free(&a);
}

static void sla_bad(const char *text, const char *field) { sla_refused(text, field, NULL); }

#define REPAIR "\"kind\":\"repair\",\"priority\":\"normal\""
#define ONE_TARGET(t) "{" REPAIR ",\"milestones\":[" t "]}"
#define ONE_ESCALATION(e)                                                                      \
    "{" REPAIR ",\"milestones\":[{\"milestone\":\"arrive\",\"amount\":1,\"unit\":\"hour\"}],"    \
    "\"escalations\":[" e "]}"

static const sla_clock_row *sla_row(const sla_clock_row *rows, size_t n, sla_milestone m)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].milestone == m) return &rows[i];
    cr_assert_fail("no row for %s", sla_milestone_name(m));
    return NULL;
}

#define COMPLAINT                                                                              \
    "{\"kind\":\"complaint\",\"priority\":\"normal\",\"milestones\":["                         \
    "{\"milestone\":\"resolve\",\"amount\":3,\"unit\":\"workday\"},"                           \
    "{\"milestone\":\"respond\",\"amount\":15,\"unit\":\"minute\",\"clock\":\"calendar\"},"    \
    "{\"milestone\":\"contact\",\"amount\":12,\"unit\":\"hour\"},"                             \
    "{\"milestone\":\"assign\",\"amount\":2,\"unit\":\"hour\"}],"                              \
    "\"escalations\":[{\"at_percent\":200,\"notify\":\"quality\"},"                            \
    "{\"at_percent\":80,\"notify\":\"assignee\"},{\"at_percent\":100,\"notify\":\"manager\"}]}"

Test(sla, policy_json)
{
    arena a;
    arena_init(&a, 4096);
    sla_policy p = sla_parse(COMPLAINT, &a);
    cr_assert_eq(p.project_id, 0);
    cr_assert_null(p.category);
    cr_assert(p.active);
    /* milestones in order, defaults filled in; escalations by share */
    cr_assert_eq(p.ntargets, 4);
    cr_assert_eq(p.targets[0].milestone, SLA_RESPOND);
    cr_assert_eq(p.targets[1].milestone, SLA_ASSIGN);
    cr_assert_eq(p.targets[2].milestone, SLA_CONTACT);
    cr_assert_eq(p.targets[3].milestone, SLA_RESOLVE);
    cr_assert_eq(p.targets[3].clock, CAL_CLOCK_BUSINESS);
    cr_assert_eq(p.targets[2].clock, CAL_CLOCK_CALENDAR);
    cr_assert_eq(p.targets[3].from, SLA_FROM_REPORTED);
    cr_assert_eq(p.nescalations, 3);
    cr_assert_eq(p.escalations[0].at_percent, 80);
    cr_assert_str_eq(p.escalations[2].notify, "quality");
    /* to JSON and back is the same policy */
    json_t *j = sla_policy_to_json(&p);
    cr_assert(json_is_null(json_object_get(j, "project_id")));
    json_t *m3 = json_array_get(json_object_get(j, "milestones"), 3);
    cr_assert_str_eq(json_string_value(json_object_get(m3, "milestone")), "resolve");
    cr_assert_str_eq(json_string_value(json_object_get(m3, "clock")), "business");
    cr_assert_str_eq(json_string_value(json_object_get(m3, "from")), "reported");
    sla_policy q;
    aj_error err = {0};
    cr_assert_eq(sla_policy_from_json(j, 0, &a, &q, &err), 0, "%s", err.message);
    cr_assert_eq(q.ntargets, p.ntargets);
    cr_assert_eq(memcmp(q.targets, p.targets, sizeof p.targets), 0);
    json_decref(j);
    /* a patch changes only what it names */
    j = json_loads("{\"category\":\"水电\",\"active\":false}", 0, NULL);
    cr_assert_eq(sla_policy_from_json(j, 1, &a, &q, &err), 0, "%s", err.message);
    cr_assert_str_eq(q.category, "水电");
    cr_assert_not(q.active);
    cr_assert_str_eq(q.kind, "complaint");
    cr_assert_eq(q.ntargets, 4);
    json_decref(j);
    arena_free(&a);
}

Test(sla, policy_validation)
{
    sla_bad("{\"priority\":\"normal\",\"milestones\":[{\"milestone\":\"respond\",\"amount\":15,"
            "\"unit\":\"minute\"}]}",
            "kind");
    sla_bad("{\"kind\":\"fire\",\"priority\":\"normal\",\"milestones\":[]}", "kind");
    sla_bad("{\"kind\":\"repair\",\"priority\":\"urgent\",\"milestones\":[]}", "priority");
    sla_bad("{\"kind\":\"repair\",\"priority\":\"normal\"}", "milestones");
    sla_bad("{\"kind\":\"repair\",\"priority\":\"normal\",\"milestones\":[]}", "milestones");
    sla_bad(ONE_TARGET("{\"milestone\":\"x\",\"amount\":1,\"unit\":\"hour\"}"),
            "milestones[0].milestone");
    sla_bad(ONE_TARGET("{\"milestone\":\"resolve\",\"amount\":1,\"unit\":\"week\"}"),
            "milestones[0].unit");
    sla_bad(ONE_TARGET("{\"milestone\":\"resolve\",\"amount\":1,\"unit\":\"workday\",\"clock\":"
                       "\"calendar\"}"),
            "milestones[0].clock");
    sla_bad(ONE_TARGET("{\"milestone\":\"respond\",\"amount\":15,\"unit\":\"minute\"},"
                       "{\"milestone\":\"respond\",\"amount\":10,\"unit\":\"minute\"}"),
            "milestones[1].milestone");
    sla_bad(ONE_TARGET("{\"milestone\":\"arrive\",\"amount\":0,\"unit\":\"minute\"}"),
            "milestones[0].amount");
    sla_bad(ONE_TARGET("{\"milestone\":\"arrive\",\"amount\":0,\"unit\":\"minute\",\"from\":"
                       "\"arrival\"}"),
            "milestones[0].from");
    sla_bad(ONE_TARGET("{\"milestone\":\"arrive\",\"amount\":1,\"unit\":\"hour\",\"extra\":1}"),
            "milestones[0].extra");
    sla_bad(ONE_ESCALATION("{\"at_percent\":80,\"notify\":\"ceo\"}"), "escalations[0].notify");
    sla_bad(ONE_ESCALATION("{\"at_percent\":80,\"notify\":\"manager\"},{\"at_percent\":80,"
                           "\"notify\":\"quality\"}"),
            "escalations[1].at_percent");
    sla_bad("{" REPAIR ",\"category\":\"\",\"milestones\":[]}", "category");
    sla_bad("{" REPAIR ",\"project_id\":0,\"milestones\":[]}", "project_id");
    sla_bad("{" REPAIR ",\"colour\":\"red\",\"milestones\":[]}", "colour");
    /* Strings are read by api/jv.c: a NUL inside one is refused, even after a
     * valid name (sla.c's own reader took these as "repair", "hour",
     * "manager"), and blank is empty (a blank category was stored). */
    sla_bad("{\"kind\":\"repair\\u0000\",\"priority\":\"normal\",\"milestones\":[]}", "kind");
    sla_bad(ONE_TARGET("{\"milestone\":\"resolve\",\"amount\":1,\"unit\":\"hour\\u0000\"}"),
            "milestones[0].unit");
    sla_bad(ONE_ESCALATION("{\"at_percent\":80,\"notify\":\"manager\\u0000ceo\"}"),
            "escalations[0].notify");
    sla_bad("{\"kind\":\"  \",\"priority\":\"normal\",\"milestones\":[]}", "kind");
    sla_bad(ONE_TARGET("{\"milestone\":\"resolve\",\"amount\":4294967296,\"unit\":\"hour\"}"),
            "milestones[0].amount");
    cr_assert_eq(sla_milestone_parse("resolve"), SLA_RESOLVE);
    cr_assert_eq(sla_milestone_parse("close"), -1);
    cr_assert_eq(sla_anchor_parse("appointment_end"), SLA_FROM_APPT_END);
    cr_assert_str_eq(sla_state_name(SLA_BREACHED), "breached");
}

/* The message names the item as the field does; the ranges are the domain's. */
Test(sla, policy_messages)
{
    sla_refused(ONE_TARGET("{\"milestone\":\"resolve\",\"amount\":-1,\"unit\":\"hour\"}"),
                "milestones[0].amount", "milestones[0].amount 须在 0 到 17568 之间");
    sla_refused(ONE_TARGET("{\"milestone\":\"resolve\",\"amount\":\"3\",\"unit\":\"hour\"}"),
                "milestones[0].amount", "milestones[0].amount 必须是整数");
    sla_refused(ONE_TARGET("{\"milestone\":\"resolve\",\"amount\":3}"), "milestones[0].unit",
                "缺少必填字段 unit");
    sla_refused(ONE_TARGET("{\"milestone\":\"resolve\\u0000x\",\"amount\":3,\"unit\":\"hour\"}"),
                "milestones[0].milestone", "milestones[0].milestone 不能包含 NUL 字符");
    sla_refused(ONE_TARGET("{\"milestone\":\"resolve\",\"amount\":3,\"unit\":\"week\"}"),
                "milestones[0].unit", "milestones[0].unit 的取值无效");
    sla_refused(ONE_TARGET("{\"milestone\":\"resolve\",\"amount\":3,\"unit\":\"hour\"},"
                           "{\"milestone\":\"resolve\",\"amount\":4,\"unit\":\"hour\"}"),
                "milestones[1].milestone", "里程碑 resolve 重复");
    sla_refused(ONE_TARGET("{\"milestone\":\"arrive\",\"amount\":0,\"unit\":\"hour\"}"),
                "milestones[0].amount", "时限为 0 只适用于从预约时间起算的里程碑");
    sla_refused(ONE_ESCALATION("{\"at_percent\":0,\"notify\":\"manager\"}"),
                "escalations[0].at_percent", "escalations[0].at_percent 须在 1 到 1000 之间");
    sla_refused(ONE_ESCALATION("{\"at_percent\":80,\"notify\":\"boss\"}"), "escalations[0].notify",
                "escalations[0].notify 须为 assignee、manager、quality 或 desk");
    sla_refused("{" REPAIR ",\"category\":\" \\t\",\"milestones\":[]}", "category",
                "category 不能为空");
    sla_refused("{" REPAIR ",\"project_id\":\"p1\"}", "project_id",
                "project_id 须为 null 或项目编号");
    /* "active": null is left out, as every optional field read by jv (was 422) */
    arena a;
    arena_init(&a, 4096);
    sla_policy p = {.kind = "repair", .priority = "normal", .active = 0};
    aj_error err = {0};
    json_t *j = json_loads("{\"active\":null}", 0, NULL);
    cr_assert_eq(sla_policy_from_json(j, 1, &a, &p, &err), 0, "%s", err.message);
    cr_assert_not(p.active);
    json_decref(j);
    arena_free(&a);
}

/* The rules themselves, as every reader (the api, storage) applies them. */
Test(sla, target_and_escalation_rules)
{
    aj_error err = {0};
    sla_target t[2] = {{.milestone = SLA_RESPOND, .amount = 15, .unit = CAL_MINUTE},
                       {.milestone = SLA_RESOLVE, .amount = 3, .unit = CAL_WORKDAY,
                        .clock = CAL_CLOCK_BUSINESS}};
    cr_assert_eq(sla_target_check(&t[0], NULL, 0, &err), 0, "%s", err.message);
    cr_assert_eq(sla_target_check(&t[1], t, 1, &err), 0, "%s", err.message);
    cr_assert_eq(sla_target_check(&t[0], t, 1, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "milestone");
    sla_target bad = {.milestone = SLA_RESOLVE, .amount = 3, .unit = CAL_WORKDAY,
                      .clock = CAL_CLOCK_CALENDAR};
    cr_assert_eq(sla_target_check(&bad, NULL, 0, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "clock");
    bad = (sla_target){.milestone = SLA_ARRIVE, .amount = 0, .unit = CAL_MINUTE};
    cr_assert_eq(sla_target_check(&bad, NULL, 0, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "amount");
    bad.from = SLA_FROM_APPT_START;
    cr_assert_eq(sla_target_check(&bad, NULL, 0, &err), 0, "%s", err.message);
    bad.milestone = SLA_NMILESTONES;
    cr_assert_eq(sla_target_check(&bad, NULL, 0, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "milestone");
    char boss[] = "manager";
    sla_escalation e[3] = {{200, "quality"}, {80, boss}, {100, "desk"}};
    for (size_t i = 0; i < 3; i++)
        cr_assert_eq(sla_escalation_check(&e[i], e, i, &err), 0, "%s", err.message);
    sla_escalation again = {80, "desk"}, nobody = {90, "boss"}, over = {1001, "desk"};
    cr_assert_eq(sla_escalation_check(&again, e, 3, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "at_percent");
    cr_assert_eq(sla_escalation_check(&nobody, e, 3, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "notify");
    cr_assert_eq(sla_escalation_check(&over, NULL, 0, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "at_percent");
    /* canonical order and spelling */
    sla_policy p = {0};
    sla_target rev[2] = {t[1], t[0]};
    sla_policy_set_targets(&p, rev, 2);
    cr_assert_eq(p.ntargets, 2);
    cr_assert_eq(p.targets[0].milestone, SLA_RESPOND);
    cr_assert_eq(p.targets[1].milestone, SLA_RESOLVE);
    sla_policy_set_escalations(&p, e, 3);
    boss[0] = 'x'; /* the policy no longer points at the caller's text */
    cr_assert_eq(p.nescalations, 3);
    cr_assert_eq(p.escalations[0].at_percent, 80);
    cr_assert_str_eq(p.escalations[0].notify, "manager");
    cr_assert_eq(p.escalations[1].at_percent, 100);
    cr_assert_eq(p.escalations[2].at_percent, 200);
    cr_assert_eq(sla_one_of(sla_kinds, (char[]){"praise"}), sla_kinds[4]); /* the list's own */
    cr_assert_null(sla_one_of(sla_kinds, "fire"));
    p.kind = sla_one_of(sla_kinds, "repair");
    p.priority = sla_one_of(sla_priorities, "normal");
    cr_assert_eq(sla_policy_check_rules(&p, &err), 0, "%s", err.message);
    p.category = "";
    cr_assert_eq(sla_policy_check_rules(&p, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "category");
}

/* The stored text: what the seeds and sla_policy_save wrote reads back; the
 * shape is the API's, so clock and from may be left out. */
Test(sla, storage_text)
{
    aj_error err = {0};
    sla_policy p = {0};
    cr_assert_eq(sla_policy_decode(&p,
                                   "[{\"milestone\":\"respond\",\"amount\":15,\"unit\":\"minute\","
                                   "\"clock\":\"calendar\",\"from\":\"reported\"},{\"milestone\":"
                                   "\"arrive\",\"amount\":0,\"unit\":\"minute\",\"clock\":"
                                   "\"calendar\",\"from\":\"appointment_start\"}]",
                                   "[{\"at_percent\":200,\"notify\":\"quality\"},{\"at_percent\":"
                                   "80,\"notify\":\"assignee\"}]",
                                   &err),
                 0, "%s: %s", err.field, err.message);
    cr_assert_eq(p.ntargets, 2);
    cr_assert_eq(p.targets[1].from, SLA_FROM_APPT_START);
    cr_assert_eq(p.nescalations, 2);
    cr_assert_eq(p.escalations[0].at_percent, 80);
    cr_assert_str_eq(p.escalations[1].notify, "quality");
    cr_assert_eq(sla_policy_decode(&p,
                                   "[{\"milestone\":\"resolve\",\"amount\":3,\"unit\":"
                                   "\"workday\"},{\"milestone\":\"respond\",\"amount\":1,\"unit\":"
                                   "\"hour\"}]",
                                   NULL, &err),
                 0, "%s: %s", err.field, err.message);
    cr_assert_eq(p.ntargets, 2);
    cr_assert_eq(p.targets[0].milestone, SLA_RESPOND);
    cr_assert_eq(p.targets[0].clock, CAL_CLOCK_CALENDAR);
    cr_assert_eq(p.targets[1].clock, CAL_CLOCK_BUSINESS);
    cr_assert_eq(p.nescalations, 0);
#define R3(x) "[{\"milestone\":\"resolve\",\"amount\":3,\"unit\":" x "}]"
    static const char *const bad[][3] = {
        {"not json", "[]", "milestones"},
        {"[]", "[]", "milestones"},
        {R3("\"week\""), "[]", "milestones[0].unit"},
        {R3("\"hour\",\"colour\":1"), "[]", "milestones[0].colour"},
        {R3("\"hour\""), "[{\"at_percent\":80,\"notify\":\"boss\"}]", "escalations[0].notify"},
        {R3("\"hour\""), "{}", "escalations"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(sla_policy_decode(&p, bad[i][0], bad[i][1], &err), AJ_EINVAL, "%s",
                     bad[i][0]);
        cr_assert_str_eq(err.field, bad[i][2], "%s: %s", bad[i][0], err.message);
    }
}

Test(sla, plan_a_complaint_before_national_day)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar cal = sla_cal(&a);
    sla_policy p = sla_parse(COMPLAINT, &a);
    sla_clock_row rows[SLA_NMILESTONES];
    size_t n;
    aj_error err = {0};
    int64_t rep = T("2026-09-30T16:00:00+08:00");
    cr_assert_eq(sla_plan(&p, &cal, rep, 0, 0, rows, &n, &err), 0, "%s", err.message);
    cr_assert_eq(n, 4);
    cr_assert_eq(sla_row(rows, n, SLA_RESPOND)->due_at, T("2026-09-30T16:15:00+08:00"));
    cr_assert_eq(sla_row(rows, n, SLA_ASSIGN)->due_at, T("2026-09-30T18:00:00+08:00"));
    cr_assert_eq(sla_row(rows, n, SLA_CONTACT)->due_at, T("2026-10-01T04:00:00+08:00"));
    /* 10-08, 10-09 and the makeup Saturday 10-10 */
    const sla_clock_row *res = sla_row(rows, n, SLA_RESOLVE);
    cr_assert_eq(res->due_at, T("2026-10-10T18:00:00+08:00"));
    cr_assert_eq(res->clock, CAL_CLOCK_BUSINESS);
    cr_assert_eq(res->started_at, rep);
    cr_assert_eq(res->met_at, 0);
    /* Into an unpublished year: the ticket is still planned; the working-day
     * target waits for the year's data, the others run as usual. */
    rep = T("2026-12-31T10:00:00+08:00");
    cr_assert_eq(sla_plan(&p, &cal, rep, 0, 0, rows, &n, &err), 0, "%s", err.message);
    cr_assert_eq(n, 4);
    res = sla_row(rows, n, SLA_RESOLVE);
    cr_assert_eq(res->due_at, SLA_DUE_UNPLANNED);
    cr_assert_eq(res->started_at, rep);
    cr_assert_eq(sla_state_at(res, rep), SLA_UNPLANNED);
    cr_assert_eq(sla_state_at(res, T("2027-06-01T00:00:00+08:00")), SLA_UNPLANNED);
    cr_assert_str_eq(sla_state_name(SLA_UNPLANNED), "unplanned");
    cr_assert_eq(sla_row(rows, n, SLA_RESPOND)->due_at, T("2026-12-31T10:15:00+08:00"));
    cr_assert_eq(sla_row(rows, n, SLA_CONTACT)->due_at, T("2026-12-31T22:00:00+08:00"));
    /* no escalation points on an unplanned row */
    int fire = -1;
    cr_assert_eq(sla_escalations_due(&p, &cal, res, T("2027-06-01T00:00:00+08:00"), &fire, &err),
                 0);
    cr_assert_eq(fire, 0);
    /* met before it was planned: met, outcome unknown until then */
    cr_assert_eq(sla_meet(rows, n, SLA_RESOLVE, T("2027-01-04T10:00:00+08:00")), 1);
    cr_assert_eq(sla_state_at(res, T("2027-01-05T00:00:00+08:00")), SLA_MET);
    arena_free(&a);
}

Test(sla, plan_a_scheduled_repair)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar cal = sla_cal(&a);
    sla_policy p = sla_parse(
        "{\"kind\":\"repair\",\"priority\":\"scheduled\",\"milestones\":["
        "{\"milestone\":\"respond\",\"amount\":15,\"unit\":\"minute\"},"
        "{\"milestone\":\"arrive\",\"amount\":0,\"unit\":\"minute\",\"from\":\"appointment_start\"},"
        "{\"milestone\":\"resolve\",\"amount\":24,\"unit\":\"hour\",\"from\":\"appointment_end\"}]}",
        &a);
    sla_clock_row rows[SLA_NMILESTONES];
    size_t n;
    aj_error err = {0};
    int64_t rep = T("2026-09-28T10:00:00+08:00"), s = T("2026-10-02T14:00:00+08:00"),
            e = T("2026-10-02T16:00:00+08:00");
    cr_assert_eq(sla_plan(&p, &cal, rep, 0, 0, rows, &n, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "appointment_start");
    cr_assert_eq(sla_plan(&p, &cal, rep, s, 0, rows, &n, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "appointment_end");
    cr_assert_eq(sla_plan(&p, &cal, rep, s, e, rows, &n, &err), 0, "%s", err.message);
    cr_assert_eq(n, 3);
    cr_assert_eq(sla_row(rows, n, SLA_RESPOND)->due_at, rep + 15 * 60);
    cr_assert_eq(sla_row(rows, n, SLA_ARRIVE)->due_at, s);
    cr_assert_eq(sla_row(rows, n, SLA_ARRIVE)->started_at, s);
    cr_assert_eq(sla_row(rows, n, SLA_RESOLVE)->due_at, e + 24 * 3600);
    /* a hold before the appointment does not move it */
    sla_pause(rows, n, T("2026-09-29T10:00:00+08:00"));
    cr_assert_eq(sla_resume(&cal, rows, n, T("2026-09-30T10:00:00+08:00"), &err), 0);
    cr_assert_eq(sla_row(rows, n, SLA_ARRIVE)->due_at, s);
    cr_assert_eq(sla_row(rows, n, SLA_RESOLVE)->due_at, e + 24 * 3600);
    arena_free(&a);
}

/* Hold on 09-30 17:00, resume 10-08 10:00: the business clock moves by the
 * working time paused (2 h), the calendar clock by the wall time. */
Test(sla, hold_and_resume_across_national_day)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar cal = sla_cal(&a);
    aj_error err = {0};
    sla_clock_row rows[] = {
        {.milestone = SLA_RESPOND, .started_at = T("2026-09-29T10:00:00+08:00"),
         .due_at = T("2026-09-29T10:15:00+08:00"), .met_at = T("2026-09-29T10:05:00+08:00")},
        {.milestone = SLA_ARRIVE, .started_at = T("2026-09-30T16:00:00+08:00"),
         .due_at = T("2026-10-01T16:00:00+08:00"), .clock = CAL_CLOCK_CALENDAR},
        {.milestone = SLA_RESOLVE, .started_at = T("2026-09-29T10:00:00+08:00"),
         .due_at = T("2026-10-09T18:00:00+08:00"), .clock = CAL_CLOCK_BUSINESS},
    };
    int64_t hold = T("2026-09-30T17:00:00+08:00"), resume = T("2026-10-08T10:00:00+08:00");
    sla_pause(rows, 3, hold);
    cr_assert_eq(rows[0].paused_at, 0); /* met rows do not pause */
    cr_assert_eq(rows[1].paused_at, hold);
    cr_assert_eq(sla_state_at(&rows[1], T("2026-10-05T00:00:00+08:00")), SLA_PAUSED);
    cr_assert_eq(sla_state_at(&rows[2], T("2026-10-05T00:00:00+08:00")), SLA_PAUSED);
    cr_assert_eq(sla_resume(&cal, rows, 3, resume, &err), 0, "%s", err.message);
    cr_assert_eq(rows[1].due_at, T("2026-10-01T16:00:00+08:00") + (resume - hold));
    cr_assert_eq(rows[1].due_at, T("2026-10-09T09:00:00+08:00"));
    cr_assert_eq(rows[2].due_at, T("2026-10-10T11:00:00+08:00"));
    cr_assert_eq(rows[0].due_at, T("2026-09-29T10:15:00+08:00"));
    for (int i = 0; i < 3; i++) cr_assert_eq(rows[i].paused_at, 0);
    cr_assert_eq(sla_state_at(&rows[2], resume), SLA_PENDING);
    /* A resume that pushes the due time into an unpublished year leaves it
     * unplanned (and running again), not refused. */
    sla_clock_row late[] = {
        {.milestone = SLA_RESOLVE, .started_at = T("2026-12-28T10:00:00+08:00"),
         .due_at = T("2026-12-31T18:00:00+08:00"), .clock = CAL_CLOCK_BUSINESS,
         .paused_at = T("2026-12-30T10:00:00+08:00")},
        {.milestone = SLA_CONTACT, .started_at = T("2026-12-28T10:00:00+08:00"),
         .due_at = T("2026-12-31T12:00:00+08:00"), .clock = CAL_CLOCK_CALENDAR,
         .paused_at = T("2026-12-30T10:00:00+08:00")},
    };
    cr_assert_eq(sla_resume(&cal, late, 2, T("2026-12-31T10:00:00+08:00"), &err), 0, "%s",
                 err.message);
    cr_assert_eq(late[0].due_at, SLA_DUE_UNPLANNED);
    cr_assert_eq(late[0].paused_at, 0);
    cr_assert_eq(late[1].due_at, T("2027-01-01T12:00:00+08:00")); /* wall time: no calendar */
    /* an unplanned row held and resumed stays unplanned */
    sla_pause(late, 2, T("2027-01-02T10:00:00+08:00"));
    cr_assert_eq(sla_resume(&cal, late, 2, T("2027-01-03T10:00:00+08:00"), &err), 0);
    cr_assert_eq(late[0].due_at, SLA_DUE_UNPLANNED);
    cr_assert_eq(late[0].paused_at, 0);
    arena_free(&a);
}

Test(sla, state_and_meet)
{
    sla_clock_row r = {.milestone = SLA_RESPOND, .started_at = 1000, .due_at = 1900};
    cr_assert_eq(sla_state_at(&r, 1900), SLA_PENDING);
    cr_assert_eq(sla_state_at(&r, 1901), SLA_BREACHED);
    r.paused_at = 1500;
    cr_assert_eq(sla_state_at(&r, 5000), SLA_PAUSED);
    r.paused_at = 2000; /* put on hold after it was late: still breached */
    cr_assert_eq(sla_state_at(&r, 5000), SLA_BREACHED);
    r.paused_at = 0;
    cr_assert_eq(sla_meet(&r, 1, SLA_RESPOND, 1800), 1);
    cr_assert_eq(sla_meet(&r, 1, SLA_RESPOND, 1850), 0);
    cr_assert_eq(r.met_at, 1800);
    cr_assert_eq(sla_meet(&r, 1, SLA_RESOLVE, 1850), 0);
    cr_assert_eq(sla_state_at(&r, 99999), SLA_MET);
}

Test(sla, escalation_shares)
{
    arena a;
    arena_init(&a, 1 << 16);
    calendar cal = sla_cal(&a);
    sla_policy p = sla_parse(COMPLAINT, &a);
    aj_error err = {0};
    int64_t at;
    int fire;
    /* respond: 15 minutes from 10:00 -> 80 % 10:12, 100 % 10:15, 200 % 10:30 */
    sla_clock_row r = {.milestone = SLA_RESPOND, .started_at = T("2026-09-16T10:00:00+08:00"),
                       .due_at = T("2026-09-16T10:15:00+08:00")};
    cr_assert_eq(sla_escalation_at(&cal, &r, 80, &at, &err), 0);
    cr_assert_eq(at, T("2026-09-16T10:12:00+08:00"));
    cr_assert_eq(sla_escalation_at(&cal, &r, 200, &at, &err), 0);
    cr_assert_eq(at, T("2026-09-16T10:30:00+08:00"));
    cr_assert_eq(sla_escalations_due(&p, &cal, &r, T("2026-09-16T10:11:59+08:00"), &fire, &err), 0);
    cr_assert_eq(fire, 0);
    cr_assert_eq(sla_escalations_due(&p, &cal, &r, T("2026-09-16T10:13:00+08:00"), &fire, &err), 0);
    cr_assert_eq(fire, 1);
    r.escalated = 1;
    cr_assert_eq(sla_escalations_due(&p, &cal, &r, T("2026-09-16T10:40:00+08:00"), &fire, &err), 0);
    cr_assert_eq(fire, 2 | 4);
    r.paused_at = T("2026-09-16T10:20:00+08:00");
    cr_assert_eq(sla_escalations_due(&p, &cal, &r, T("2026-09-16T10:40:00+08:00"), &fire, &err), 0);
    cr_assert_eq(fire, 0);
    r.paused_at = 0;
    r.met_at = T("2026-09-16T10:20:00+08:00");
    cr_assert_eq(sla_escalations_due(&p, &cal, &r, T("2026-09-16T10:40:00+08:00"), &fire, &err), 0);
    cr_assert_eq(fire, 0);
    /* business clock: 1 workday from Wednesday 17:00 is 10 working hours
     * (1 h Wednesday + 9 h Thursday): 80 % is Thursday 17:00 - 1 h = 16:00 */
    sla_clock_row b = {.milestone = SLA_RESOLVE, .started_at = T("2026-09-16T17:00:00+08:00"),
                       .due_at = T("2026-09-17T18:00:00+08:00"), .clock = CAL_CLOCK_BUSINESS};
    cr_assert_eq(sla_escalation_at(&cal, &b, 80, &at, &err), 0);
    cr_assert_eq(at, T("2026-09-17T16:00:00+08:00"));
    cr_assert_eq(sla_escalation_at(&cal, &b, 100, &at, &err), 0);
    cr_assert_eq(at, b.due_at);
    cr_assert_eq(sla_escalation_at(&cal, &b, 200, &at, &err), 0);
    /* 9 h Friday, then Sunday 09-20 is a makeup workday (国庆调休) */
    cr_assert_eq(at, T("2026-09-20T10:00:00+08:00"));
    arena_free(&a);
}

/* ---- stored policies and rows ---- */

static int64_t sla_project(db *c, const char *code)
{
    int64_t id;
    aj_error err = {0};
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO projects (code, name, created_at, updated_at)"
                           " VALUES ($1, $1, 0, 0) RETURNING id",
                           DB_ARGS(DB_TEXT(code)), &id, &err),
                 0, "%s", err.message);
    return id;
}

static int64_t sla_save(db *c, const char *text, arena *a)
{
    sla_policy in = sla_parse(text, a), out;
    aj_error err = {0};
    cr_assert_eq(sla_policy_save(c, &sla_admin, 0, &in, a, &out, &err), 0, "%s", err.message);
    cr_assert_gt(out.id, 0);
    return out.id;
}

static int sla_resolve_amount(db *c, int64_t pid, const char *kind, const char *prio,
                              const char *cat, arena *a, int64_t *id)
{
    sla_policy p;
    aj_error err = {0};
    cr_assert_eq(sla_policy_find(c, pid, kind, prio, cat, a, &p, &err), 0, "%s", err.message);
    *id = p.id;
    for (size_t i = 0; i < p.ntargets; i++)
        if (p.targets[i].milestone == SLA_RESOLVE) return p.targets[i].amount;
    return -1;
}

static void sla_policies_stored(db_kind kind)
{
    db *c = dbtest_open(kind);
    arena a;
    arena_init(&a, 1 << 16);
    aj_error err = {0};
    sla_policy p;
    int64_t id;
    /* the seeded company defaults */
    static const char *const kinds[][2] = {
        {"repair", "emergency"},  {"repair", "normal"},   {"repair", "scheduled"},
        {"complaint", "normal"},  {"complaint", "high"},  {"inquiry", "normal"},
        {"inquiry", "high"},      {"suggestion", "normal"}, {"praise", "normal"}};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        cr_assert_eq(sla_policy_find(c, 0, kinds[i][0], kinds[i][1], NULL, &a, &p, &err), 0,
                     "%s/%s: %s", kinds[i][0], kinds[i][1], err.message);
        cr_assert_eq(p.targets[0].milestone, SLA_RESPOND);
        cr_assert_eq(p.targets[0].amount, 15);
        cr_assert_eq(p.nescalations, 3);
        cr_assert_eq(p.escalations[1].at_percent, 100);
        cr_assert_str_eq(p.escalations[1].notify, "manager");
    }
    cr_assert_eq(sla_resolve_amount(c, 0, "complaint", "normal", NULL, &a, &id), 3);
    cr_assert_eq(sla_policy_find(c, 0, "complaint", "normal", NULL, &a, &p, &err), 0);
    cr_assert_eq(p.ntargets, 4);
    cr_assert_eq(p.targets[3].unit, CAL_WORKDAY);
    cr_assert_eq(p.targets[3].clock, CAL_CLOCK_BUSINESS);
    cr_assert_eq(sla_resolve_amount(c, 0, "inquiry", "high", NULL, &a, &id), 48);
    cr_assert_eq(sla_policy_find(c, 0, "repair", "scheduled", NULL, &a, &p, &err), 0);
    cr_assert_eq(p.targets[1].from, SLA_FROM_APPT_START);
    cr_assert_eq(p.targets[2].from, SLA_FROM_APPT_END);
    cr_assert_eq(sla_policy_find(c, 0, "praise", "normal", NULL, &a, &p, &err), 0);
    cr_assert_eq(p.ntargets, 1);
    cr_assert_eq(sla_policy_find(c, 0, "repair", "high", NULL, &a, &p, &err), AJ_ENOTFOUND);

    /* specificity: project over default, category over none, parent covers child */
    int64_t p1 = sla_project(c, "P1"), p2 = sla_project(c, "P2");
    int64_t def_cat = sla_save(c,
                               "{\"kind\":\"repair\",\"priority\":\"normal\",\"category\":\"水电\","
                               "\"milestones\":[{\"milestone\":\"resolve\",\"amount\":12,"
                               "\"unit\":\"hour\"}]}",
                               &a);
    char body[512];
    snprintf(body, sizeof body,
             "{\"project_id\":%lld,\"kind\":\"repair\",\"priority\":\"normal\",\"milestones\":"
             "[{\"milestone\":\"resolve\",\"amount\":8,\"unit\":\"hour\"}]}",
             (long long)p1);
    int64_t proj = sla_save(c, body, &a);
    snprintf(body, sizeof body,
             "{\"project_id\":%lld,\"kind\":\"repair\",\"priority\":\"normal\",\"category\":"
             "\"水电/漏水\",\"milestones\":[{\"milestone\":\"resolve\",\"amount\":4,\"unit\":"
             "\"hour\"}]}",
             (long long)p1);
    int64_t proj_leaf = sla_save(c, body, &a);
    cr_assert_eq(sla_resolve_amount(c, 0, "repair", "normal", NULL, &a, &id), 24);
    cr_assert_eq(sla_resolve_amount(c, 0, "repair", "normal", "水电/漏水", &a, &id), 12);
    cr_assert_eq(id, def_cat);
    cr_assert_eq(sla_resolve_amount(c, 0, "repair", "normal", "水电", &a, &id), 12);
    cr_assert_eq(sla_resolve_amount(c, 0, "repair", "normal", "水电站", &a, &id), 24);
    cr_assert_eq(sla_resolve_amount(c, p2, "repair", "normal", "水电/漏水", &a, &id), 12);
    cr_assert_eq(sla_resolve_amount(c, p1, "repair", "normal", "水电/断电", &a, &id), 8);
    cr_assert_eq(id, proj);
    cr_assert_eq(sla_resolve_amount(c, p1, "repair", "normal", "水电/漏水", &a, &id), 4);
    cr_assert_eq(id, proj_leaf);
    cr_assert_eq(sla_resolve_amount(c, p1, "complaint", "normal", NULL, &a, &id), 3);
    /* the same key twice is a conflict; an inactive policy no longer applies */
    sla_policy dup = sla_parse("{\"kind\":\"repair\",\"priority\":\"normal\",\"category\":"
                               "\"水电\",\"milestones\":[{\"milestone\":\"resolve\",\"amount\":"
                               "1,\"unit\":\"hour\"}]}",
                               &a),
               out;
    cr_assert_eq(sla_policy_save(c, &sla_admin, 0, &dup, &a, &out, &err), AJ_ECONFLICT);
    cr_assert_eq(sla_policy_get(c, &sla_admin, proj_leaf, &a, &p, &err), 0);
    p.active = 0;
    cr_assert_eq(sla_policy_save(c, &sla_admin, proj_leaf, &p, &a, &out, &err), 0, "%s",
                 err.message);
    cr_assert_not(out.active);
    cr_assert_eq(sla_resolve_amount(c, p1, "repair", "normal", "水电/漏水", &a, &id), 8);
    /* a project that does not exist */
    snprintf(body, sizeof body,
             "{\"project_id\":424242,\"kind\":\"repair\",\"priority\":\"high\",\"milestones\":"
             "[{\"milestone\":\"resolve\",\"amount\":8,\"unit\":\"hour\"}]}");
    sla_policy bad = sla_parse(body, &a);
    cr_assert_eq(sla_policy_save(c, &sla_admin, 0, &bad, &a, &out, &err), AJ_EINVAL);
    cr_assert_str_eq(err.field, "project_id");
    cr_assert_eq(sla_policy_save(c, &sla_admin, 424242, &dup, &a, &out, &err), AJ_ENOTFOUND);

    /* access: staff read, admin writes, residents nothing; staff see their projects only */
    int64_t uid;
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO users (username, role, name, created_at, updated_at)"
                           " VALUES ('desk2', 'desk', '客服', 0, 0) RETURNING id",
                           DB_NOARGS, &uid, &err),
                 0, "%s", err.message);
    cr_assert_geq(db_exec(c, "INSERT INTO staff_projects (user_id, project_id) VALUES ($1, $2)",
                          DB_ARGS(DB_INT(uid), DB_INT(p2)), &err),
                  0);
    actor desk = {.id = uid, .role = ROLE_DESK, .ip = "", .request_id = "unit"};
    sla_policy *items;
    size_t n, n_admin;
    cr_assert_eq(sla_policy_list(c, &sla_admin, &a, &items, &n_admin, &err), 0);
    cr_assert_eq(n_admin, 9 + 3);
    cr_assert_eq(sla_policy_list(c, &desk, &a, &items, &n, &err), 0, "%s", err.message);
    cr_assert_eq(n, 9 + 1); /* not project P1's two */
    cr_assert_eq(sla_policy_get(c, &desk, proj, &a, &p, &err), AJ_ENOTFOUND);
    cr_assert_eq(sla_policy_get(c, &desk, def_cat, &a, &p, &err), 0);
    cr_assert_eq(sla_policy_save(c, &desk, def_cat, &p, &a, &out, &err), AJ_EFORBIDDEN);
    cr_assert_eq(sla_policy_list(c, &sla_resident, &a, &items, &n, &err), AJ_EFORBIDDEN);
    cr_assert_eq(sla_policy_get(c, &sla_resident, def_cat, &a, &p, &err), AJ_EFORBIDDEN);
    int64_t audits = 0;
    cr_assert_eq(db_scalar(c, "SELECT COUNT(*) FROM audit_log WHERE entity = 'sla_policy'",
                           DB_NOARGS, &audits, &err),
                 0);
    cr_assert_eq(audits, 4);
    arena_free(&a);
    dbtest_close(c);
}

Test(sla, policies_sqlite) { sla_policies_stored(DB_SQLITE); }
Test(sla, policies_pg) { sla_policies_stored(DB_PG); }

static void sla_rows_stored(db_kind kind)
{
    db *c = dbtest_open(kind);
    aj_error err = {0};
    /* Our own ticket_sla (the columns of 004_tickets), so no ticket is needed. */
    cr_assert_eq(db_script(c,
                           kind == DB_PG ? "DROP TABLE IF EXISTS ticket_sla CASCADE"
                                         : "DROP TABLE IF EXISTS ticket_sla",
                           &err),
                 0, "%s", err.message);
    cr_assert_eq(db_script(c,
                           "CREATE TABLE ticket_sla (ticket_id BIGINT NOT NULL,"
                           " milestone TEXT NOT NULL, started_at BIGINT NOT NULL,"
                           " due_at BIGINT NOT NULL, met_at BIGINT, paused_at BIGINT,"
                           " clock TEXT NOT NULL, escalated BIGINT NOT NULL DEFAULT 0,"
                           " breached_at BIGINT, PRIMARY KEY (ticket_id, milestone))",
                           &err),
                 0, "%s", err.message);
    sla_clock_row rows[] = {
        {.milestone = SLA_RESOLVE, .started_at = 100, .due_at = 900, .clock = CAL_CLOCK_BUSINESS},
        {.milestone = SLA_RESPOND, .started_at = 100, .due_at = 200, .met_at = 150},
        {.milestone = SLA_CONTACT, .started_at = 100, .due_at = 500, .paused_at = 300,
         .escalated = 5},
    };
    cr_assert_eq(db_begin(c, &err), 0);
    cr_assert_eq(sla_rows_save(c, 7, rows, 3, &err), 0, "%s", err.message);
    cr_assert_eq(db_commit(c, &err), 0);
    sla_clock_row got[SLA_NMILESTONES];
    size_t n;
    cr_assert_eq(sla_rows_load(c, 7, got, &n, &err), 0, "%s", err.message);
    cr_assert_eq(n, 3);
    cr_assert_eq(got[0].milestone, SLA_RESPOND); /* in milestone order */
    cr_assert_eq(got[0].met_at, 150);
    cr_assert_eq(got[0].paused_at, 0);
    cr_assert_eq(got[1].milestone, SLA_CONTACT);
    cr_assert_eq(got[1].paused_at, 300);
    cr_assert_eq(got[1].escalated, 5);
    cr_assert_eq(got[1].clock, CAL_CLOCK_CALENDAR);
    cr_assert_eq(got[2].milestone, SLA_RESOLVE);
    cr_assert_eq(got[2].clock, CAL_CLOCK_BUSINESS);
    cr_assert_eq(got[2].due_at, 900);
    cr_assert_eq(got[2].met_at, 0);
    /* the sweep's breached_at survives a save; a save updates in place */
    cr_assert_geq(db_exec(c, "UPDATE ticket_sla SET breached_at = 950 WHERE milestone = 'resolve'",
                          DB_NOARGS, &err),
                  0);
    got[2].met_at = 1000;
    got[1].paused_at = 0;
    got[1].due_at = 700;
    cr_assert_eq(sla_rows_save(c, 7, got, n, &err), 0, "%s", err.message);
    cr_assert_eq(sla_rows_load(c, 7, got, &n, &err), 0);
    cr_assert_eq(n, 3);
    cr_assert_eq(got[2].met_at, 1000);
    cr_assert_eq(got[1].paused_at, 0);
    cr_assert_eq(got[1].due_at, 700);
    int64_t b = 0;
    cr_assert_eq(db_scalar(c, "SELECT breached_at FROM ticket_sla WHERE milestone = 'resolve'",
                           DB_NOARGS, &b, &err),
                 0);
    cr_assert_eq(b, 950);
    cr_assert_eq(sla_rows_load(c, 8, got, &n, &err), 0);
    cr_assert_eq(n, 0);
    dbtest_close(c);
}

Test(sla, rows_sqlite) { sla_rows_stored(DB_SQLITE); }
Test(sla, rows_pg) { sla_rows_stored(DB_PG); }

/* A read that fails midway is a database error (500), never a short list, a
 * missing policy or a ticket with fewer milestones: a view that overflows on
 * one row stands in for a broken table. */
Test(sla, failed_reads_are_errors)
{
    db *c = dbtest_open(DB_SQLITE);
    arena a;
    arena_init(&a, 1 << 16);
    aj_error err = {0};
    int64_t praise;
    cr_assert_eq(db_scalar(c, "SELECT id FROM sla_policies WHERE kind = 'praise'", DB_NOARGS,
                           &praise, &err),
                 0, "%s", err.message);
    cr_assert_eq(db_script(c,
                           "ALTER TABLE sla_policies RENAME TO sla_policies_t;"
                           " CREATE VIEW sla_policies AS SELECT * FROM sla_policies_t WHERE"
                           " abs(CASE WHEN kind = 'praise' THEN -9223372036854775808 ELSE 0 END)"
                           " = 0",
                           &err),
                 0, "%s", err.message);
    sla_policy *items, p;
    size_t n = 0;
    int rc = sla_policy_list(c, &sla_admin, &a, &items, &n, &err);
    cr_assert_eq(rc, AJ_EDB, "got %d with %zu policies", rc, n);
    memset(&err, 0, sizeof err);
    cr_assert_eq(sla_policy_find(c, 0, "praise", "normal", NULL, &a, &p, &err), AJ_EDB);
    memset(&err, 0, sizeof err);
    cr_assert_eq(sla_policy_get(c, &sla_admin, praise, &a, &p, &err), AJ_EDB);
    cr_assert_eq(aj_error_status(err.rc), 500);
    /* the others still read */
    cr_assert_eq(sla_policy_find(c, 0, "repair", "normal", NULL, &a, &p, &err), 0, "%s",
                 err.message);

    cr_assert_eq(db_script(c,
                           "CREATE TABLE ticket_sla_t (ticket_id BIGINT NOT NULL,"
                           " milestone TEXT NOT NULL, started_at BIGINT NOT NULL,"
                           " due_at BIGINT NOT NULL, met_at BIGINT, paused_at BIGINT,"
                           " clock TEXT NOT NULL, escalated BIGINT NOT NULL DEFAULT 0);"
                           " INSERT INTO ticket_sla_t VALUES (7, 'respond', 1, 2, NULL, NULL,"
                           " 'calendar', 0), (7, 'resolve', 1, 3, NULL, NULL, 'calendar', 0);"
                           " DROP TABLE ticket_sla;"
                           " CREATE VIEW ticket_sla AS SELECT * FROM ticket_sla_t WHERE"
                           " abs(CASE WHEN milestone = 'resolve' THEN -9223372036854775808"
                           " ELSE 0 END) = 0",
                           &err),
                 0, "%s", err.message);
    sla_clock_row rows[SLA_NMILESTONES];
    memset(&err, 0, sizeof err);
    rc = sla_rows_load(c, 7, rows, &n, &err);
    cr_assert_eq(rc, AJ_EDB, "got %d with %zu rows", rc, n);
    arena_free(&a);
    dbtest_close(c);
}
