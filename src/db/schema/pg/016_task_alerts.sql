-- 016_task_alerts (PostgreSQL): when a patrol round not started 10 minutes after its start
-- was announced to the project's managers (domain/work/task_alert.c), so each round
-- alerts once, whichever server's job sees it first. The partial index holds only the
-- rounds that could still alert (scheduled, not yet alerted).
ALTER TABLE tasks ADD COLUMN start_alerted_at BIGINT;
CREATE INDEX tasks_unstarted_patrol ON tasks(starts_at)
  WHERE kind = 'patrol' AND state = 'scheduled' AND start_alerted_at IS NULL;
