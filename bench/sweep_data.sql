-- bench/sweep_data.sql: a million work orders over two years for timing the
-- SLA sweep (bench/sweep.sh), written straight into a migrated SQLite file.
-- Expects a table bp(n, now) (bench/sweep.sh creates it): n tickets, `now` the
-- epoch the data is "as of". The state is what a sweep running every minute
-- would have left: breaches marked and escalation bits set as of two minutes
-- ago, so the first run has one minute's worth of new work (plus what the
-- business-clock approximation below leaves for it). Deterministic: the
-- pseudo-random numbers are hashes of the ticket id.
PRAGMA synchronous = OFF;
PRAGMA cache_size = -200000;
BEGIN;

-- 20 projects, each with a manager, quality, desk and five technicians:
-- user (p - 1) * 8 + k, k = 1 manager, 2 quality, 3 desk, 4..8 technicians.
WITH RECURSIVE p(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM p WHERE i < 20)
INSERT INTO projects (id, code, name, address, created_at, updated_at)
  SELECT i, printf('BENCH%02d', i), '基准项目' || i, '', (SELECT now FROM bp), (SELECT now FROM bp) FROM p;
WITH RECURSIVE p(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM p WHERE i < 20),
               k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 8)
INSERT INTO users (id, username, role, name, department, on_duty, created_at, updated_at)
  SELECT (i - 1) * 8 + j, printf('bench%02d_%d', i, j),
         CASE j WHEN 1 THEN 'manager' WHEN 2 THEN 'quality' WHEN 3 THEN 'desk' ELSE 'technician' END,
         '员工' || j, '工程', 1, (SELECT now FROM bp), (SELECT now FROM bp)
  FROM p, k;
INSERT INTO staff_projects (user_id, project_id) SELECT id, (id - 1) / 8 + 1 FROM users;

-- One row per ticket with everything derived from its id: age (two years,
-- newest last), kind, status (old work is closed but for a stale 1 % left
-- open, some cancellations and unvisited complaints; the last week is mixed;
-- the last day mostly open).
CREATE TEMP TABLE gen AS
WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < (SELECT n FROM bp)),
h AS (
  SELECT i, (SELECT now FROM bp) AS now,
         ((SELECT n FROM bp) - i) * 63072000 / (SELECT n FROM bp) + 60 AS age,
         (i * 2654435761) % 1000003 AS h1,
         (i * 40503 + 17) % 65521 AS h2
  FROM s),
k AS (
  SELECT *, now - age AS reported_at,
         CASE h1 % 10 WHEN 0 THEN 'complaint' WHEN 1 THEN 'inquiry' ELSE 'repair' END AS kind,
         CASE (h2 / 100) % 5 WHEN 0 THEN 'new' WHEN 1 THEN 'accepted' WHEN 2 THEN 'assigned'
              WHEN 3 THEN 'in_progress' ELSE 'on_hold' END AS open_status
  FROM h),
st AS (
  SELECT *,
    CASE
      WHEN age > 8 * 86400 THEN
        CASE WHEN h2 % 100 = 0 THEN open_status WHEN h2 % 100 = 1 THEN 'cancelled'
             WHEN h2 % 100 = 2 AND kind = 'complaint' THEN 'resolved' ELSE 'closed' END
      WHEN age > 7 * 86400 + 3720 THEN CASE WHEN h2 % 10 = 0 THEN open_status ELSE 'closed' END
      WHEN age > 86400 THEN
        CASE WHEN h2 % 10 < 1 THEN open_status WHEN h2 % 10 < 5 THEN 'resolved' ELSE 'closed' END
      ELSE CASE WHEN h2 % 10 < 7 THEN open_status ELSE 'resolved' END
    END AS status
  FROM k)
SELECT i, now, age, h1, h2, reported_at, kind, status,
       1 + i % 20 AS project_id,
       CASE WHEN status IN ('assigned', 'in_progress', 'on_hold', 'resolved', 'closed')
            THEN (i % 20) * 8 + 4 + h1 % 5 END AS assignee_id,
       CASE WHEN status IN ('resolved', 'closed') THEN reported_at + MIN(3600, age / 2) END AS resolved_at,
       CASE kind WHEN 'repair' THEN 86400 WHEN 'inquiry' THEN 7200 ELSE 3 * 86400 END AS resolve_span
FROM st;

INSERT INTO tickets (id, no, project_id, kind, priority, category_id, status, held_from, title,
                     description, channel, assignee_id, reported_at, accepted_at, assigned_at,
                     resolved_at, closed_at, cancelled_at, hold_reason, hold_until, visit_at,
                     policy_id, created_by, created_at, updated_at, version)
  SELECT i, printf('BX-BENCH-%07d', i), project_id, kind, 'normal', 1 + i % 70, status,
         CASE WHEN status = 'on_hold' THEN 'assigned' END,
         '基准工单' || i, '', 'phone', assignee_id, reported_at,
         CASE WHEN status <> 'new' THEN reported_at + 300 END,
         CASE WHEN assignee_id IS NOT NULL THEN reported_at + 600 END,
         resolved_at,
         CASE WHEN status = 'closed' THEN resolved_at + 60 END,
         CASE WHEN status = 'cancelled' THEN reported_at + 900 END,
         CASE WHEN status = 'on_hold' THEN '等配件' END,
         -- most holds end in the future; one in a thousand ended this minute
         CASE WHEN status = 'on_hold' THEN CASE WHEN h1 % 1000 = 0 THEN now - 30 ELSE now + 60 + h1 % 86400 END END,
         CASE WHEN status = 'closed' AND kind = 'complaint' THEN resolved_at + 30 END,
         (SELECT sp.id FROM sla_policies sp WHERE sp.project_id IS NULL AND sp.kind = gen.kind
            AND sp.priority = 'normal' AND sp.category IS NULL),
         (i % 20) * 8 + 3, reported_at, reported_at, 1
  FROM gen;

INSERT INTO ticket_events (ticket_id, id, at, actor_id, action, from_status, to_status)
  SELECT i, 1, reported_at, (i % 20) * 8 + 3, 'create', NULL, 'new' FROM gen;

-- The milestone rows. A running row (unmet, not paused) has its breach and
-- escalation bits as of two minutes ago; met late: breached when it passed.
CREATE TEMP TABLE rows AS
SELECT i AS ticket_id, 'respond' AS milestone, reported_at AS started_at, reported_at + 900 AS due_at,
       CASE WHEN status <> 'new' THEN reported_at + CASE WHEN h1 % 10 = 9 THEN 1200 ELSE 300 END END AS met_at,
       CAST(NULL AS INTEGER) AS paused_at, 'calendar' AS clock, now
  FROM gen
UNION ALL
SELECT i, 'resolve', reported_at, reported_at + resolve_span,
       resolved_at,
       CASE WHEN status = 'cancelled' THEN reported_at + 900
            WHEN status = 'on_hold' THEN reported_at + 1800 END,
       CASE WHEN kind = 'complaint' THEN 'business' ELSE 'calendar' END, now
  FROM gen
UNION ALL
SELECT i, 'assign', reported_at, reported_at + 7200,
       CASE WHEN status NOT IN ('new', 'accepted') THEN reported_at + 600 END,
       CASE WHEN status = 'cancelled' AND assignee_id IS NULL THEN reported_at + 900 END,
       'calendar', now
  FROM gen WHERE kind = 'complaint'
UNION ALL
SELECT i, 'contact', reported_at, reported_at + 43200,
       CASE WHEN status IN ('in_progress', 'resolved', 'closed') THEN reported_at + 3600 END,
       CASE WHEN status = 'cancelled' THEN reported_at + 900
            WHEN status = 'on_hold' THEN reported_at + 1800 END,
       'calendar', now
  FROM gen WHERE kind = 'complaint';

INSERT INTO ticket_sla (ticket_id, milestone, started_at, due_at, met_at, paused_at, clock, escalated,
                        breached_at)
  SELECT ticket_id, milestone, started_at, due_at, met_at, paused_at, clock,
         CASE WHEN met_at IS NULL AND paused_at IS NULL THEN
              ((now - 120 - started_at) * 100 >= 80 * (due_at - started_at))
            + ((now - 120 - started_at) * 100 >= 100 * (due_at - started_at)) * 2
            + ((now - 120 - started_at) * 100 >= 200 * (due_at - started_at)) * 4
         ELSE 7 END,
         CASE WHEN met_at IS NULL AND paused_at IS NULL AND due_at < now - 120 THEN due_at + 30
              WHEN met_at > due_at THEN due_at + 30 END
  FROM rows ORDER BY ticket_id, milestone;

COMMIT;
SELECT 'tickets', COUNT(*) FROM tickets;
SELECT 'sla rows', COUNT(*) FROM ticket_sla;
SELECT 'running sla rows', COUNT(*) FROM ticket_sla WHERE met_at IS NULL AND paused_at IS NULL AND due_at < 1e18;
SELECT 'open tickets', COUNT(*) FROM tickets WHERE status IN ('new', 'accepted', 'assigned', 'in_progress', 'on_hold');
