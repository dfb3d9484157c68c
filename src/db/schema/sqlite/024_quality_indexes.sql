-- 024_quality_indexes (SQLite): what a month's quality figures read (domain/quality/quality_stats.c).
-- A project's finished inspections by time, apart from the hourly rounds and daily
-- cleaning that fill most of its tasks (partial: only inspections pay its upkeep; a year
-- for 100 projects, 1 M tasks: GET /stats/quality 17 -> 1,260 req/s, bench/quality.sh); and a
-- task's rectifications, for the weekly self-check report's findings.
CREATE INDEX tasks_inspection_finished ON tasks(project_id, finished_at) WHERE kind = 'inspection';
CREATE INDEX rectifications_task ON rectifications(task_id);
