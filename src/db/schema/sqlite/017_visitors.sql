-- 017_visitors (SQLite): the visitors' register at the gate (外来人员登记, domain/patrol/
-- visitor.c). A visit is registered by the guard at the gate (source 'gate', arrived at
-- once) or pre-registered by a resident for their room (source 'resident', expected_at,
-- a 6-digit pass code the guard checks at arrival; the code is cleared once used). A visit
-- arrives once and leaves once. Times are epoch seconds.
CREATE TABLE visitors (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  source TEXT NOT NULL CHECK (source IN ('gate', 'resident')),
  name TEXT NOT NULL,
  phone TEXT,
  room_id INTEGER REFERENCES rooms(id),
  purpose TEXT NOT NULL DEFAULT '',
  plate TEXT,
  expected_at INTEGER,
  code TEXT,
  resident_id INTEGER REFERENCES residents(id),
  registered_by INTEGER REFERENCES users(id),
  arrived_at INTEGER,
  arrived_by INTEGER REFERENCES users(id),
  left_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
-- the day's register: visits of a project by when they arrived or are expected
CREATE INDEX visitors_project_day ON visitors(project_id, COALESCE(arrived_at, expected_at));
-- a pass code is unique among a project's visits still waiting for it
CREATE UNIQUE INDEX visitors_code ON visitors(project_id, code) WHERE code IS NOT NULL;
CREATE INDEX visitors_resident ON visitors(resident_id, created_at) WHERE resident_id IS NOT NULL;
