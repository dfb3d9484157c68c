-- 012_work (SQLite): the one engine of scheduled work (domain/work/): plans with an
-- RRULE, a window and a checklist; tasks, one per planned occurrence (and piece of
-- equipment), generated ahead by the `plans` job; results, one per checklist item.
-- Every planned occurrence is a row, done or not: compliance is done / planned.
CREATE TABLE plans (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  kind TEXT NOT NULL CHECK (kind IN ('pm','patrol','cleaning','inspection','drill','training','meeting','custom')),
  title TEXT NOT NULL,
  rrule TEXT NOT NULL,
  dtstart INTEGER NOT NULL,
  window_minutes INTEGER NOT NULL,
  workdays_only INTEGER NOT NULL DEFAULT 0,
  assign TEXT NOT NULL DEFAULT '{}',
  equipment_ids TEXT NOT NULL DEFAULT '[]',
  route_id INTEGER,
  area TEXT NOT NULL DEFAULT '',
  level TEXT,
  category TEXT NOT NULL DEFAULT '',
  checklist TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1,
  version INTEGER NOT NULL DEFAULT 1,
  -- occurrences starting before generated_until exist as tasks; the job looks again at refill_at
  horizon INTEGER NOT NULL,
  generated_until INTEGER NOT NULL,
  refill_at INTEGER NOT NULL DEFAULT 0,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX plans_project ON plans(project_id, id);
CREATE INDEX plans_refill ON plans(active, refill_at);

-- what each version of a plan asked: a task answers the checklist of the version it was
-- made from, so a changed plan never rewrites a past task's record
CREATE TABLE plan_versions (
  plan_id INTEGER NOT NULL REFERENCES plans(id),
  version INTEGER NOT NULL,
  checklist TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (plan_id, version)
);

CREATE TABLE tasks (
  id INTEGER PRIMARY KEY,
  plan_id INTEGER NOT NULL REFERENCES plans(id),
  plan_version INTEGER NOT NULL,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  equipment_id INTEGER NOT NULL DEFAULT 0,
  assignee_id INTEGER REFERENCES users(id),
  starts_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('scheduled','in_progress','done','late','missed','skipped')),
  started_at INTEGER,
  finished_at INTEGER,
  missed_at INTEGER,
  skip_reason TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (plan_id, starts_at, equipment_id)
);
CREATE INDEX tasks_assignee ON tasks(assignee_id, due_at);
CREATE INDEX tasks_project_due ON tasks(project_id, due_at);
CREATE INDEX tasks_open_due ON tasks(due_at) WHERE state IN ('scheduled','in_progress');
-- the assignment's "fewest open tasks" counts from this alone
CREATE INDEX tasks_open_assignee ON tasks(assignee_id) WHERE state IN ('scheduled','in_progress');
-- an equipment's tasks by due time; kind and state in it answer the PM figures alone
CREATE INDEX tasks_equipment ON tasks(equipment_id, due_at, kind, state) WHERE equipment_id <> 0;

CREATE TABLE task_results (
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  key TEXT NOT NULL,
  ok INTEGER NOT NULL,
  value TEXT,
  note TEXT NOT NULL DEFAULT '',
  measure TEXT NOT NULL DEFAULT '',
  photos TEXT NOT NULL DEFAULT '[]',
  ticket_id INTEGER REFERENCES tickets(id),
  answered_by INTEGER,
  answered_at INTEGER NOT NULL,
  recheck_ok INTEGER,
  recheck_note TEXT,
  recheck_by INTEGER,
  recheck_at INTEGER,
  PRIMARY KEY (task_id, key)
);
-- whole, not partial: a ticket's foreign-key check looks its results up through it
CREATE INDEX task_results_ticket ON task_results(ticket_id);
