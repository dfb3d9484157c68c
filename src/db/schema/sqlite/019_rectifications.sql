-- 019_rectifications (SQLite): rectifications (整改单, domain/quality/rectification.c): a
-- problem found by an inspection (task_id, standard_id and the standard's version it failed)
-- or raised by hand, owned by a department (its function) and optionally a person, with a
-- deadline; open -> submitted (the evidence) -> passed, or failed back to open with a new
-- deadline (rounds counts the attempts); cancelled with a reason. escalated_at: when an
-- overdue one was told to the project's managers (once per round). Times are epoch seconds.
CREATE TABLE rectifications (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  task_id INTEGER REFERENCES tasks(id),
  standard_id INTEGER REFERENCES standards(id),
  standard_version INTEGER,
  department TEXT NOT NULL,
  assignee_id INTEGER REFERENCES users(id),
  problem TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  photos TEXT NOT NULL DEFAULT '[]',
  severity TEXT NOT NULL DEFAULT 'minor' CHECK (severity IN ('minor', 'major', 'critical')),
  due_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'submitted', 'passed', 'cancelled')),
  rounds INTEGER NOT NULL DEFAULT 1,
  submitted_by INTEGER REFERENCES users(id),
  submitted_at INTEGER,
  submit_note TEXT NOT NULL DEFAULT '',
  submit_photos TEXT NOT NULL DEFAULT '[]',
  checked_by INTEGER REFERENCES users(id),
  checked_at INTEGER,
  check_note TEXT NOT NULL DEFAULT '',
  cancel_reason TEXT NOT NULL DEFAULT '',
  escalated_at INTEGER,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX rectifications_project ON rectifications(project_id, state, due_at);
-- the escalation's look: the open or submitted ones past due, not yet told
CREATE INDEX rectifications_overdue ON rectifications(due_at)
  WHERE state IN ('open', 'submitted') AND escalated_at IS NULL;
