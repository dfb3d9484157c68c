-- 026_improvements (SQLite): improvement plans (改进计划, PDCA; domain/voice/improvement*.c):
-- where a plan came from (a survey dimension under 85, complaints, an inspection, a meeting,
-- a mystery visit, by hand), the metric that raised it with its baseline and target, the
-- cause and measures (each with owner, department, due, done), approval by someone other
-- than its author, then the check: the metric measured again (check_value) and the verdict
-- — effective, or not effective and the next cycle (cycle_of). public: on the disclosure
-- board. escalated_at: a plan not approved by its due time, told to managers and quality.
CREATE TABLE improvements (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  source TEXT NOT NULL CHECK (source IN ('survey', 'complaints', 'inspection', 'mystery', 'meeting', 'manual')),
  source_ref TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  problem TEXT NOT NULL,
  cause TEXT NOT NULL DEFAULT '',
  metric_kind TEXT NOT NULL CHECK (metric_kind IN ('survey_dimension', 'complaint_category', 'kpi')),
  metric_key TEXT NOT NULL,
  baseline REAL,
  target REAL NOT NULL,
  due_at INTEGER NOT NULL,
  public INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'analysed', 'approved', 'checking',
                                                        'effective', 'not_effective', 'cancelled')),
  cycle_of INTEGER REFERENCES improvements(id),
  created_by INTEGER REFERENCES users(id),
  analysed_by INTEGER REFERENCES users(id),
  approved_by INTEGER REFERENCES users(id),
  approved_at INTEGER,
  reject_note TEXT NOT NULL DEFAULT '',
  check_value REAL,
  checked_by INTEGER REFERENCES users(id),
  checked_at INTEGER,
  cancel_reason TEXT NOT NULL DEFAULT '',
  escalated_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX improvements_project ON improvements(project_id, state, id);
CREATE INDEX improvements_due ON improvements(due_at) WHERE state IN ('draft', 'analysed') AND escalated_at IS NULL;
CREATE TABLE improvement_measures (
  improvement_id INTEGER NOT NULL REFERENCES improvements(id),
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  owner_id INTEGER REFERENCES users(id),
  department TEXT NOT NULL DEFAULT '',
  due_at INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  done_at INTEGER,
  PRIMARY KEY (improvement_id, seq)
);
-- the progress notes, in order
CREATE TABLE improvement_notes (
  id INTEGER PRIMARY KEY,
  improvement_id INTEGER NOT NULL REFERENCES improvements(id),
  seq INTEGER,
  note TEXT NOT NULL,
  done INTEGER NOT NULL DEFAULT 0,
  by_id INTEGER REFERENCES users(id),
  at INTEGER NOT NULL
);
CREATE INDEX improvement_notes_plan ON improvement_notes(improvement_id, id);
