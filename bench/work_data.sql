-- bench/work_data.sql: a company for the plan/task engine, written straight into a database
-- `anju migrate` made. Needs TEMP table bp(projects, now, tasks). Per project: one guard
-- (users 1000+) and 60 plans — 10 hourly patrol-like rounds, 20 daily, 20 weekly, 10
-- monthly — nothing generated yet (generated_until = now, refill_at = 0); then `tasks`
-- historical task rows, an hour apart per plan from 400 days ago (done, one in 50 missed),
-- assigned to the project's guard, for the read figures.
PRAGMA journal_mode = WAL;
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE p(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM p WHERE i < (SELECT projects FROM bp))
INSERT INTO projects (id, code, name, created_at, updated_at)
SELECT 1000 + i, 'WB' || i, '基准项目' || i, 0, 0 FROM p;
INSERT INTO users (id, username, role, name, department, skills, on_duty, active, created_at, updated_at)
SELECT id, 'guard' || id, 'guard', '保安' || id, '秩序', '[]', 1, 1, 0, 0 FROM projects WHERE id >= 1000;
INSERT INTO staff_projects (user_id, project_id) SELECT id, id FROM projects WHERE id >= 1000;
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 59)
INSERT INTO plans (project_id, kind, title, rrule, dtstart, window_minutes, workdays_only, assign,
                   checklist, horizon, generated_until, refill_at, created_at, updated_at)
SELECT pr.id,
       CASE WHEN j < 10 THEN 'patrol' WHEN j < 30 THEN 'cleaning' WHEN j < 50 THEN 'inspection' ELSE 'pm' END,
       '计划' || j,
       CASE WHEN j < 10 THEN 'FREQ=HOURLY' WHEN j < 30 THEN 'FREQ=DAILY;BYHOUR=8'
            WHEN j < 50 THEN 'FREQ=WEEKLY;BYDAY=MO' ELSE 'FREQ=MONTHLY;BYMONTHDAY=10' END,
       (SELECT now FROM bp) - ((SELECT now FROM bp) % 3600),
       CASE WHEN j < 10 THEN 45 WHEN j < 30 THEN 480 WHEN j < 50 THEN 1440 ELSE 10080 END,
       0, '{"role":"guard"}',
       '[{"key":"a","label":"检查项","type":"number","min":0,"max":100000000,"required":true,"standard_id":null}]',
       CASE WHEN j < 10 THEN 172800 WHEN j < 30 THEN 604800 WHEN j < 50 THEN 1814400 ELSE 3456000 END,
       (SELECT now FROM bp), 0, 0, 0
FROM projects pr, k WHERE pr.id >= 1000;
INSERT INTO plan_versions (plan_id, version, checklist, created_at) SELECT id, 1, checklist, 0 FROM plans;
COMMIT;
BEGIN;
WITH RECURSIVE t(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM t WHERE i < (SELECT tasks FROM bp) - 1),
     n(c) AS (SELECT COUNT(*) FROM plans)
INSERT INTO tasks (plan_id, plan_version, project_id, kind, title, equipment_id, assignee_id,
                   starts_at, due_at, state, finished_at, created_at, updated_at)
SELECT pl.id, 1, pl.project_id, pl.kind, pl.title, 0, pl.project_id,
       (SELECT now FROM bp) - 86400 * 400 + (t.i / n.c) * 3600,
       (SELECT now FROM bp) - 86400 * 400 + (t.i / n.c) * 3600 + 2700,
       CASE WHEN t.i % 50 = 0 THEN 'missed' ELSE 'done' END,
       CASE WHEN t.i % 50 = 0 THEN NULL ELSE (SELECT now FROM bp) - 86400 * 400 + (t.i / n.c) * 3600 + 1800 END,
       0, 0
FROM t, n JOIN plans pl ON pl.id = 1 + (t.i % n.c);
COMMIT;
