/* tests/unit/test_sweep.c: the sweep as a function of `now`, on both
 * backends: escalation steps on the business clock fire once each at their
 * share of working time, reaching the roles the policy names; a step that
 * falls in a year without official calendar data waits for that year rather
 * than failing; a breach is marked once; and a job's lease keeps a second
 * runner out until it expires. */
#include <criterion/criterion.h>
#include <string.h>

#include "base/clock.h"
#include "dbtest.h"
#include "domain/calendar/calendar.h"
#include "domain/sla/sla.h"
#include "jobs/scheduler.h"
#include "jobs/sweep.h"

static int64_t T(const char *s)
{
    int64_t t;
    cr_assert_eq(clock_parse_rfc3339(s, &t), 0, "bad time %s", s);
    return t;
}

static int64_t count(db *c, const char *sql, int64_t arg)
{
    int64_t v = -1;
    aj_error err = {0};
    cr_assert_eq(db_scalar(c, sql, DB_ARGS(DB_INT(arg)), &v, &err), 0, "%s: %s", sql, err.message);
    return v;
}

/* Project 1 with a manager (1), quality (2), desk (3) and a technician (4);
 * one complaint reported at `at`, assigned to the technician, contacted: only
 * its resolve clock (3 workdays, business clock) runs. Returns its id. */
static int64_t sweep_setup(db *c, int64_t at)
{
    aj_error err = {0};
    arena a;
    arena_init(&a, 65536);
    cr_assert_eq(db_script(c,
                           "INSERT INTO projects (id, code, name, created_at, updated_at)"
                           " VALUES (1, 'U1', '单元测试', 0, 0);"
                           "INSERT INTO users (id, username, role, name, created_at, updated_at) VALUES"
                           " (1, 'm1', 'manager', '经理', 0, 0), (2, 'q1', 'quality', '品质', 0, 0),"
                           " (3, 'd1', 'desk', '客服', 0, 0), (4, 't1', 'technician', '维修', 0, 0);"
                           "INSERT INTO staff_projects (user_id, project_id) VALUES"
                           " (1, 1), (2, 1), (3, 1), (4, 1)",
                           &err),
                 0, "%s", err.message);
    sla_policy p;
    calendar cal;
    sla_clock_row rows[SLA_NMILESTONES];
    size_t n;
    cr_assert_eq(sla_policy_find(c, 1, "complaint", "normal", "噪音/装修噪音", &a, &p, &err), 0);
    cr_assert_eq(calendar_load_project(c, 1, &a, &cal, &err), 0, "%s", err.message);
    cr_assert_eq(sla_plan(&p, &cal, at, 0, 0, rows, &n, &err), 0, "%s", err.message);
    sla_meet(rows, n, SLA_RESPOND, at + 300);
    sla_meet(rows, n, SLA_ASSIGN, at + 600);
    sla_meet(rows, n, SLA_CONTACT, at + 900);
    int64_t id;
    cr_assert_eq(db_scalar(c,
                           "INSERT INTO tickets (no, project_id, kind, priority, category_id, status,"
                           " title, channel, assignee_id, reported_at, policy_id, created_at,"
                           " updated_at) VALUES ('TS-UNIT-1', 1, 'complaint', 'normal',"
                           " (SELECT id FROM categories WHERE path = '噪音/装修噪音'), 'assigned',"
                           " '装修噪音', 'phone', 4, $1, $2, $1, $1) RETURNING id",
                           DB_ARGS(DB_INT(at), DB_INT(p.id)), &id, &err),
                 0, "%s", err.message);
    cr_assert_eq(sla_rows_save(c, id, rows, n, &err), 0, "%s", err.message);
    arena_free(&a);
    return id;
}

static sweep_stats sweep_at(db *c, const char *when)
{
    sweep_stats st;
    aj_error err = {0};
    cr_assert_eq(sweep_run(c, T(when), &st, &err), 0, "%s", err.message);
    return st;
}

static int64_t notes(db *c, int64_t user)
{
    return count(c, "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND kind = 'escalation'",
                 user);
}

static void escalations_on_the_business_clock(db_kind kind)
{
    db *c = dbtest_open(kind);
    if (!c) return;
    /* Monday 2026-12-28 10:00: 3 workdays end on Thursday 12-31 at 18:00,
     * 8 + 9 + 9 + 9 = 35 working hours; 80 % is 28 h: Thursday 11:00. */
    int64_t id = sweep_setup(c, T("2026-12-28T10:00:00+08:00"));
    cr_assert_eq(count(c, "SELECT due_at FROM ticket_sla WHERE ticket_id = $1 AND milestone = 'resolve'",
                       id),
                 T("2026-12-31T18:00:00+08:00"));
    sweep_stats st = sweep_at(c, "2026-12-31T10:59:00+08:00");
    cr_assert_eq(st.escalations + st.breached + st.errors, 0);
    cr_assert_eq(st.scanned, 1);
    st = sweep_at(c, "2026-12-31T11:00:00+08:00");
    cr_assert_eq(st.escalations, 1);
    cr_assert_eq(st.notifications, 1);
    cr_assert_eq(notes(c, 4), 1); /* 80 %: the assignee */
    cr_assert_eq(sweep_at(c, "2026-12-31T12:00:00+08:00").escalations, 0); /* once */
    /* Past due: 100 % (the manager) and the breach; 200 % lies in 2027, which
     * has no official data yet: not due this year, and no error either. */
    st = sweep_at(c, "2026-12-31T18:01:00+08:00");
    cr_assert_eq(st.escalations, 1);
    cr_assert_eq(st.breached, 1);
    cr_assert_eq(st.errors, 0);
    cr_assert_eq(notes(c, 1), 1);
    st = sweep_at(c, "2026-12-31T23:00:00+08:00");
    cr_assert_eq(st.escalations + st.breached + st.errors, 0);
    /* In 2027 the step cannot be placed until the year's calendar is known:
     * counted as an error, nothing fired, quality not told something wrong. */
    st = sweep_at(c, "2027-01-04T10:00:00+08:00");
    cr_assert_eq(st.errors, 1);
    cr_assert_eq(st.escalations, 0);
    cr_assert_eq(notes(c, 2), 0);
    cr_assert_eq(notes(c, 3), 0);
    cr_assert_eq(count(c,
                       "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = $1 AND action = 'escalate'",
                       id),
                 2);
    cr_assert_eq(count(c,
                       "SELECT COUNT(*) FROM ticket_events WHERE ticket_id = $1 AND action = 'breach'"
                       " AND actor_id IS NULL",
                       id),
                 1);
    cr_assert_eq(count(c, "SELECT escalated FROM ticket_sla WHERE ticket_id = $1 AND milestone = 'resolve'",
                       id),
                 3);
    cr_assert_neq(count(c,
                        "SELECT COALESCE(breached_at, 0) FROM ticket_sla WHERE ticket_id = $1"
                        " AND milestone = 'resolve'",
                        id),
                  0);
    dbtest_close(c);
}

Test(sweep, escalations_on_the_business_clock_sqlite) { escalations_on_the_business_clock(DB_SQLITE); }
Test(sweep, escalations_on_the_business_clock_pg) { escalations_on_the_business_clock(DB_PG); }

static void lease(db_kind kind)
{
    db *c = dbtest_open(kind);
    if (!c) return;
    arena a;
    arena_init(&a, 4096);
    job_run run;
    aj_error err = {0};
    int64_t now = clock_now();
    cr_assert_eq(scheduler_run(c, NULL, "sweep", "cli", now, &a, &run, &err), 0, "%s", err.message);
    cr_assert_eq(run.ok, 1);
    cr_assert_str_eq(run.via, "cli");
    /* another instance holds it */
    cr_assert_eq(db_exec(c, "UPDATE job_leases SET holder = 'elsewhere', expires_at = $1",
                         DB_ARGS(DB_INT(now + 600)), &err),
                 1);
    cr_assert_eq(scheduler_run(c, NULL, "sweep", "cli", now, &a, &run, &err), AJ_ECONFLICT);
    job_info *jobs;
    size_t n;
    cr_assert_eq(scheduler_list(c, &a, &jobs, &n, &err), 0);
    cr_assert_eq(n, 3); /* sweep, plans, rectifications */
    cr_assert_str_eq(jobs[0].name, "sweep");
    cr_assert_str_eq(jobs[0].lease_holder, "elsewhere");
    cr_assert(jobs[0].has_last);
    /* it died: once the lease expires the job is ours again */
    cr_assert_eq(db_exec(c, "UPDATE job_leases SET expires_at = $1", DB_ARGS(DB_INT(now - 1)), &err), 1);
    cr_assert_eq(scheduler_run(c, NULL, "sweep", "cli", now, &a, &run, &err), 0, "%s", err.message);
    cr_assert_eq(count(c, "SELECT COUNT(*) FROM job_runs WHERE name = 'sweep' AND ok = $1", 1), 2);
    cr_assert_eq(scheduler_run(c, NULL, "nope", "cli", now, &a, &run, &err), AJ_ENOTFOUND);
    arena_free(&a);
    dbtest_close(c);
}

Test(sweep, lease_sqlite) { lease(DB_SQLITE); }
Test(sweep, lease_pg) { lease(DB_PG); }
