-- 015_patrol (SQLite): patrol routes (巡更路线, domain/patrol/) and their ordered checkpoints,
-- each with the random token its QR label carries, an optional GPS point and radius and the
-- key-area flag; the scans (check-ins) of a round, which is a task of a plan of kind
-- 'patrol' whose items are the route's checkpoints (key = the checkpoint id). A scan is
-- flagged, never refused: flags is a JSON array of 'far' (outside the radius), 'speed'
-- (impossible speed from the round's previous scan), 'device' (another device than the
-- round's first scan), 'burst' (seconds after the previous scan). device: a hash of the
-- session that scanned, never the session itself. Times are epoch seconds.
CREATE TABLE patrol_routes (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  name TEXT NOT NULL,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (project_id, name)
);
CREATE TABLE patrol_checkpoints (
  id INTEGER PRIMARY KEY,
  route_id INTEGER NOT NULL REFERENCES patrol_routes(id),
  project_id INTEGER NOT NULL REFERENCES projects(id),
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  lat REAL,
  lng REAL,
  radius_m INTEGER,
  key_area INTEGER NOT NULL DEFAULT 0,
  token TEXT NOT NULL UNIQUE,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX patrol_checkpoints_route ON patrol_checkpoints(route_id, seq);
CREATE TABLE patrol_scans (
  id INTEGER PRIMARY KEY,
  task_id INTEGER NOT NULL REFERENCES tasks(id),
  checkpoint_id INTEGER NOT NULL REFERENCES patrol_checkpoints(id),
  project_id INTEGER NOT NULL REFERENCES projects(id),
  user_id INTEGER REFERENCES users(id),
  scanned_at INTEGER NOT NULL,
  lat REAL,
  lng REAL,
  distance_m INTEGER,
  flags TEXT NOT NULL DEFAULT '[]',
  device TEXT NOT NULL DEFAULT '',
  note TEXT NOT NULL DEFAULT '',
  photos TEXT NOT NULL DEFAULT '[]',
  UNIQUE (task_id, checkpoint_id)
);
CREATE INDEX patrol_scans_user ON patrol_scans(user_id, scanned_at);
CREATE INDEX patrol_scans_project ON patrol_scans(project_id, scanned_at);
