-- 005_jobs (SQLite): in-app notifications (an outbox for later SMS/WeChat
-- delivery), the record of scheduled job runs, and the indexes the sweep job
-- needs to touch only what is due. The job lease table (job_leases) came with
-- 001_foundation: one row per job, held by one instance until expires_at.
-- Times are UTC epoch seconds; booleans are 0/1.

-- One row per recipient. project_id and ticket_id say what it is about (NULL
-- for system notices); read_at is set by the recipient; delivered_at is for
-- channels other than 'app' (delivery comes in a later issue).
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  project_id INTEGER REFERENCES projects(id),
  ticket_id INTEGER REFERENCES tickets(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  read_at INTEGER,
  channel TEXT NOT NULL DEFAULT 'app',
  delivered_at INTEGER
);
-- A user's list newest first, and the unread part of it (its count is in
-- every list reply, so it stays small: reading removes a row from it).
CREATE INDEX notifications_user ON notifications(user_id, id);
CREATE INDEX notifications_unread ON notifications(user_id, id) WHERE read_at IS NULL;

-- One row per run of a job on any instance: what the ops page and /metrics
-- show, and how the scheduler of each instance knows the job ran this minute.
-- via: schedule, api or cli; stats: a JSON object (counts of what the run
-- did); error: the message of a failed run.
CREATE TABLE job_runs (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  holder TEXT NOT NULL,
  via TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  ok INTEGER,
  stats TEXT NOT NULL DEFAULT '{}',
  error TEXT
);
CREATE INDEX job_runs_name ON job_runs(name, started_at);

-- The sweep's two ticket queues, partial so each holds only its few rows and
-- costs nothing on the tickets that are not in that state: resolved tickets
-- waiting to close by themselves, and holds with a time to resume.
CREATE INDEX tickets_resolved ON tickets(resolved_at) WHERE status = 'resolved';
CREATE INDEX tickets_hold_until ON tickets(hold_until) WHERE status = 'on_hold';
