-- 027_meetings (SQLite): the residents' voice beyond surveys (domain/voice/meeting.c):
-- quarterly resident meetings (业主座谈会) with their topics — each turned into a ticket or an
-- improvement plan in one click —, and third-party mystery-shopper visits (神秘客) as
-- scorecards whose findings feed a plan. No resident is named: attendees is a count and a
-- note ("业委会 3 人、业主代表 12 人").
CREATE TABLE meetings (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  held_at INTEGER NOT NULL,
  title TEXT NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  attendees INTEGER NOT NULL DEFAULT 0,
  attendee_note TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX meetings_project ON meetings(project_id, held_at);
CREATE TABLE meeting_topics (
  meeting_id INTEGER NOT NULL REFERENCES meetings(id),
  seq INTEGER NOT NULL,
  text TEXT NOT NULL,
  ticket_id INTEGER REFERENCES tickets(id),
  improvement_id INTEGER REFERENCES improvements(id),
  PRIMARY KEY (meeting_id, seq)
);
CREATE TABLE mystery_visits (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  visited_at INTEGER NOT NULL,
  agency TEXT NOT NULL,
  scenario TEXT NOT NULL,
  scores TEXT NOT NULL,
  total REAL NOT NULL,
  findings TEXT NOT NULL DEFAULT '',
  improvement_id INTEGER REFERENCES improvements(id),
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL
);
CREATE INDEX mystery_visits_project ON mystery_visits(project_id, visited_at);
