/* tests/unit/test_demo_tickets.c: the demo's year of work orders: the same
 * seed gives the same tickets; the shape is believable (kinds, SLA compliance
 * 80-97% per milestone, ratings, repeats, open work today); the rows agree with
 * each other as the real actions would have left them (SQLite). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "dbtest.h"
#include "demo/demo.h"

/* 2026-11-25 15:00 +08:00: a working afternoon, so today's work is under way. */
#define NOW 1795590000

static int64_t q(db *c, const char *sql)
{
    int64_t v = -1;
    aj_error err = {0};
    cr_assert_eq(db_scalar(c, sql, DB_NOARGS, &v, &err), 0, "%s: %s", sql, err.message);
    return v;
}

/* What the tickets are, in a few numbers: equal for equal data. */
static void fingerprint(db *c, int64_t out[6])
{
    out[0] = q(c, "SELECT COUNT(*) FROM tickets");
    out[1] = q(c, "SELECT SUM(reported_at % 100003) + SUM(LENGTH(title) * id) FROM tickets");
    out[2] = q(c, "SELECT COUNT(*) + SUM(at % 9973) FROM ticket_events");
    out[3] = q(c, "SELECT SUM(due_at % 9973) + SUM(COALESCE(met_at, 0) % 9973) FROM ticket_sla");
    out[4] = q(c, "SELECT SUM(LENGTH(status) * id) + SUM(COALESCE(repeat_of, 0)) FROM tickets");
    out[5] = q(c, "SELECT COUNT(*) FROM ticket_fts WHERE ticket_fts MATCH '漏水'");
}

/* Drops the tickets (inside the caller's transaction) and writes n anew. */
static void regenerate(db *c, uint64_t seed, int n, int64_t fp[6])
{
    /* scheduled work, the equipment book (demo_work.c) and the inspections' rectifications
     * (demo_quality.c) point at tickets: gone first */
    static const char *const wipe[] = {"DELETE FROM meeting_topics", "DELETE FROM rectifications", "DELETE FROM patrol_scans",
                                       "DELETE FROM task_results",
                                       "DELETE FROM tasks", "DELETE FROM patrol_checkpoints",
                                       "DELETE FROM patrol_routes",
                                       "DELETE FROM plan_versions", "DELETE FROM plans",
                                       "DELETE FROM equipment_downtime", "DELETE FROM equipment",
                                       /* its findings' tickets were made the desk's way:
                                        * queued for search, their assignees told */
                                       "DELETE FROM search_pending", "DELETE FROM notifications",
                                       "INSERT INTO ticket_fts (ticket_fts) VALUES ('delete-all')",
                                       "DELETE FROM ticket_sla",
                                       "DELETE FROM ticket_events", "DELETE FROM ticket_numbers",
                                       "DELETE FROM tickets"};
    aj_error err = {0};
    for (size_t i = 0; i < sizeof wipe / sizeof *wipe; i++)
        cr_assert_geq(db_exec(c, wipe[i], DB_NOARGS, &err), 0, "%s", err.message);
    demo_stats st = {0};
    cr_assert_eq(demo_tickets_run(c, seed, NOW, n, &st, &err), 0, "%s", err.message);
    cr_assert(st.tickets > n * 8 / 10 && st.tickets < n * 12 / 10, "%d tickets for %d", st.tickets, n);
    fingerprint(c, fp);
}

Test(demo_tickets, same_seed_same_tickets_and_a_believable_year, .timeout = 90)
{
    setenv("ANJU_FAKE_NOW", "1795590000", 1);
    cr_assert_eq(clock_now(), NOW);
    db *c = dbtest_open(DB_SQLITE);
    demo_stats st = {0};
    aj_error err = {0};
    char dir[] = "/tmp/anju-demo-XXXXXX"; /* the rounds' photos */
    cr_assert_not_null(mkdtemp(dir));
    cr_assert_eq(demo_run(c, 7, DEMO_SMALL, "demo-Pass-2026", dir, &st, &err), 0, "%s", err.message);
    cr_assert(st.tickets > 27000 && st.tickets < 33000, "%d tickets", st.tickets);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM tickets"), st.tickets);

    /* The inspections (demo_quality.c): the outsiders' checks score better in the last three
     * months than in the first three; every failed item is one rectification, linked from
     * its result; rectifications in every state, a second round among the passed. */
    int64_t early = q(c, "SELECT CAST(AVG(t.score) * 10 AS INTEGER) FROM tasks t JOIN plans p ON"
                         " p.id = t.plan_id WHERE t.kind = 'inspection' AND p.level <> 'self'"
                         " AND t.starts_at < 1795590000 - 270 * 86400");
    int64_t late = q(c, "SELECT CAST(AVG(t.score) * 10 AS INTEGER) FROM tasks t JOIN plans p ON"
                        " p.id = t.plan_id WHERE t.kind = 'inspection' AND p.level <> 'self'"
                        " AND t.starts_at > 1795590000 - 90 * 86400 AND t.score IS NOT NULL");
    cr_assert(late > early + 50, "cross/spot scores %ld then %ld (tenths)", (long)early, (long)late);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM task_results r JOIN tasks t ON t.id = r.task_id"
                      " WHERE t.kind = 'inspection' AND r.ok = 0"),
                 st.rectifications);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM task_results r JOIN rectifications x ON"
                      " x.id = r.rectification_id AND x.task_id = r.task_id"),
                 st.rectifications);
    cr_assert_eq(q(c, "SELECT COUNT(DISTINCT state) FROM rectifications"), 4);
    cr_assert(q(c, "SELECT COUNT(*) FROM rectifications WHERE state = 'passed' AND rounds = 2") > 0);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM rectifications WHERE checked_at > 1795590000"
                      " OR submitted_at > 1795590000 OR (checked_by IS NOT NULL AND checked_by = submitted_by)"),
                 0);
    /* the surveys (demo_voice.c): four a project, the last open; 25–45 % answered by the
     * close; the tallies count every answer; one survey's 绿化养护 under 85 */
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM surveys"), 4 * st.projects);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM surveys WHERE state = 'open'"), st.projects);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM surveys WHERE state = 'closed'"
                      " AND (responses * 100 < invited * 25 OR responses * 100 > invited * 45)"),
                 0);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM survey_responses"), st.survey_responses);
    cr_assert_eq(q(c, "SELECT SUM(n) FROM survey_tallies"), 8 * (int64_t)st.survey_responses);
    cr_assert_eq(q(c, "SELECT SUM(answered) FROM survey_invitations"), st.survey_responses);
    cr_assert_eq(q(c, "SELECT SUM(responses) FROM survey_coverage"), st.survey_responses);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM (SELECT survey_id FROM survey_tallies WHERE question = 'q6'"
                      " GROUP BY survey_id HAVING 25.0 * SUM(n * (value - 1)) / SUM(n) < 85) x"),
                 1);
    /* ... and the plan its close raised, carried to effective by the next survey */
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM improvements WHERE source = 'survey'"), 1);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM improvements WHERE state = 'effective' AND metric_key = 'greening'"
                      " AND baseline < 85 AND check_value >= 85 AND public = 1"),
                 1);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM improvement_measures m JOIN improvements x ON x.id = m.improvement_id"
                      " WHERE x.source = 'survey' AND m.done = 1 AND m.owner_id IS NOT NULL"),
                 3);
    /* the meetings (demo_meeting.c): four a project, a plan each (all but the last effective),
     * topics the desk took up on tickets of channel meeting; two mystery visits a project, the
     * first one's plan effective at the second's score */
    cr_assert_eq(st.meetings, 4 * st.projects);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM meetings"), st.meetings);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM improvements WHERE source = 'meeting' AND state = 'effective'"),
                 3 * st.projects);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM meeting_topics m JOIN tickets t ON t.id = m.ticket_id"
                      " WHERE t.channel <> 'meeting'"),
                 0);
    cr_assert_eq(st.mystery_visits, 2 * st.projects);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM improvements x JOIN mystery_visits v ON v.improvement_id = x.id"
                      " WHERE x.state = 'effective' AND x.baseline < 90 AND x.check_value >= 90"),
                 st.projects);
    cr_assert_eq(st.improvements, 1 + 4 * st.projects + st.projects);
    /* the rounds' photos: every cleaning result of a photo item carries a stored file */
    cr_assert(q(c, "SELECT COUNT(*) FROM task_results r JOIN tasks t ON t.id = r.task_id"
                   " WHERE t.kind = 'cleaning' AND r.key = 'photo'") > 1000);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM task_results r JOIN tasks t ON t.id = r.task_id"
                      " WHERE t.kind = 'cleaning' AND r.key = 'photo' AND r.photos NOT IN"
                      " (SELECT '[' || CAST(f.id AS TEXT) || ']' FROM files f WHERE f.project_id = t.project_id)"),
                 0);

    /* Kinds: mostly repairs, complaints 10-15%, a few praises. */
    int64_t n = st.tickets;
    int64_t complaints = q(c, "SELECT COUNT(*) FROM tickets WHERE kind = 'complaint'");
    cr_assert(complaints * 100 >= n * 10 && complaints * 100 <= n * 15, "%ld complaints", (long)complaints);
    cr_assert(q(c, "SELECT COUNT(*) FROM tickets WHERE kind = 'repair'") * 100 > n * 60);
    cr_assert(q(c, "SELECT COUNT(*) FROM tickets WHERE kind = 'praise'") > 0);
    /* Channels: all four by residents, patrols, the findings of scheduled work
     * (demo_work.c), each ticket with its task, and the topics of resident meetings. */
    cr_assert_eq(q(c, "SELECT COUNT(DISTINCT channel) FROM tickets"), 7);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM tickets WHERE channel = 'inspection'"), st.findings);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM task_results WHERE ticket_id IS NOT NULL"), st.findings);
    cr_assert(st.findings > 0 && st.plans > 0 && st.tasks > 1000 && st.equipment >= 90,
              "%d findings, %d plans, %d tasks, %d equipment", st.findings, st.plans, st.tasks,
              st.equipment);

    /* Each milestone met on time 80-97% of the times its outcome is known. */
    db_rows *r = db_query(c,
                          "SELECT milestone, COUNT(*), SUM(CASE WHEN met_at <= due_at THEN 1"
                          " ELSE 0 END) FROM ticket_sla WHERE (met_at IS NOT NULL OR due_at <= $1)"
                          " AND NOT (met_at IS NULL AND paused_at IS NOT NULL AND paused_at <= due_at)"
                          " GROUP BY milestone",
                          DB_ARGS(DB_INT(NOW)), &err);
    cr_assert_not_null(r);
    int milestones = 0;
    while (db_next(r) == 1) {
        double rate = (double)db_int(r, 2) / (double)db_int(r, 1);
        cr_assert(rate >= 0.80 && rate <= 0.97, "%s: %.3f", db_text(r, 0), rate);
        milestones++;
    }
    db_done(r);
    cr_assert_eq(milestones, 5);
    /* Some breached, and marked as the sweep would have. */
    cr_assert(q(c, "SELECT COUNT(*) FROM ticket_sla WHERE breached_at IS NOT NULL") > 100);

    /* Ratings mostly 4-5, some low; an average near 4.5. */
    int64_t rated = q(c, "SELECT COUNT(*) FROM tickets WHERE rating IS NOT NULL");
    cr_assert(rated > n / 5);
    cr_assert(q(c, "SELECT COUNT(*) FROM tickets WHERE rating >= 4") * 100 > rated * 75);
    cr_assert(q(c, "SELECT COUNT(*) FROM tickets WHERE rating <= 2") > 0);
    /* Repeat complaints link to an earlier complaint of the same room and category. */
    cr_assert(q(c, "SELECT COUNT(*) FROM tickets WHERE repeat_of IS NOT NULL") > complaints / 20);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM tickets t JOIN tickets o ON o.id = t.repeat_of"
                      " WHERE o.room_id <> t.room_id OR o.category_id <> t.category_id"
                      " OR o.reported_at > t.reported_at"
                      " OR t.reported_at - o.reported_at > 30 * 86400"),
                 0);

    /* Today: a few dozen open, in several states, some overdue. */
    cr_assert(st.open_tickets >= 10 && st.open_tickets <= 300, "%d open", st.open_tickets);
    cr_assert(q(c, "SELECT COUNT(DISTINCT status) FROM tickets WHERE status IN"
                   " ('new', 'accepted', 'assigned', 'in_progress', 'on_hold')") >= 3);
    cr_assert(q(c, "SELECT COUNT(DISTINCT ticket_id) FROM ticket_sla WHERE met_at IS NULL"
                   " AND paused_at IS NULL AND due_at < 1795590000") > 0);

    /* As the actions leave them: clocks run only for open work; every ticket
     * starts with its create event, events in time order; every ticket is
     * searchable; the human numbers go on from the last one used. */
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM ticket_sla s JOIN tickets t ON t.id = s.ticket_id"
                      " WHERE s.met_at IS NULL AND s.paused_at IS NULL AND t.status IN"
                      " ('resolved', 'closed', 'cancelled')"),
                 0);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM ticket_events WHERE id = 1 AND action = 'create'"), n);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM (SELECT at < LAG(at) OVER (PARTITION BY ticket_id"
                      " ORDER BY id) AS back FROM ticket_events) AS x WHERE back"),
                 0);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM ticket_events WHERE at > 1795590000"), 0);
    /* (SQLite keeps the bigrams in an FTS5 table: a two-character word finds exactly
     * the tickets that contain it.) */
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM ticket_fts WHERE ticket_fts MATCH '漏水'"),
                 q(c, "SELECT COUNT(*) FROM tickets WHERE title LIKE '%漏水%'"
                      " OR description LIKE '%漏水%'"));
    cr_assert(q(c, "SELECT COUNT(*) FROM ticket_fts WHERE ticket_fts MATCH '漏水'") > n / 50);
    cr_assert_eq(q(c, "SELECT SUM(n) FROM ticket_numbers"), n);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM tickets WHERE status = 'closed' AND kind = 'complaint'"
                      " AND visit_at IS NULL"),
                 0);
    cr_assert_eq(q(c, "SELECT COUNT(*) FROM tickets t WHERE assignee_id IS NOT NULL AND NOT EXISTS"
                      " (SELECT 1 FROM staff_projects sp WHERE sp.user_id = t.assignee_id"
                      " AND sp.project_id = t.project_id)"),
                 0);

    /* The same seed twice: the same tickets; another seed: others. */
    int64_t a[6], b[6], other[6];
    /* (Deleting tickets checks repeat_of, which has no index: with the check
     * on, each deleted row would scan the table.) */
    cr_assert_geq(db_exec(c, "PRAGMA foreign_keys = OFF", DB_NOARGS, &err), 0);
    cr_assert_eq(db_begin(c, &err), 0);
    regenerate(c, 11, 3000, a);
    regenerate(c, 11, 3000, b);
    regenerate(c, 12, 3000, other);
    db_rollback(c);
    cr_assert_arr_eq(a, b, sizeof a);
    cr_assert(memcmp(a, other, sizeof a) != 0);
    dbtest_close(c);
}
