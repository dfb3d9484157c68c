-- 025_surveys (SQLite): satisfaction surveys (满意度调查, domain/voice/survey*.c), anonymous
-- by construction. A survey is a questionnaire of dimensions (JSON [{key,label}]) and
-- questions (JSON [{key,label,type:scale|text,dimension}]); draft -> open (every occupied
-- room invited) -> closed. An invitation is a room's right to answer once: it keeps its
-- token (the SMS / door-slip link /s/{token}) and only whether it was answered — never
-- when, never which answer. An answer keeps the building and the day (for coverage), never
-- the room, the resident or the token; its id is random, so neither the id order nor the
-- rowid order tells which came after which. survey_tallies holds, per building, question
-- and value 1–5, how many gave it, and survey_coverage per building how many were invited
-- and answered: the results read those counts, not the answers.
CREATE TABLE surveys (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  title TEXT NOT NULL,
  period TEXT NOT NULL DEFAULT '',
  opens_at INTEGER NOT NULL,
  closes_at INTEGER NOT NULL,
  dimensions TEXT NOT NULL,
  questions TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'open', 'closed')),
  invited INTEGER NOT NULL DEFAULT 0,
  responses INTEGER NOT NULL DEFAULT 0,
  opened_at INTEGER,
  closed_at INTEGER,
  created_by INTEGER REFERENCES users(id),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX surveys_project ON surveys(project_id, opens_at);
CREATE TABLE survey_invitations (
  id INTEGER PRIMARY KEY,
  survey_id INTEGER NOT NULL REFERENCES surveys(id),
  room_id INTEGER NOT NULL REFERENCES rooms(id),
  building_id INTEGER NOT NULL REFERENCES buildings(id),
  token TEXT NOT NULL UNIQUE,
  answered INTEGER NOT NULL DEFAULT 0,
  UNIQUE (survey_id, room_id)
);
CREATE INDEX survey_invitations_room ON survey_invitations(room_id, survey_id);
CREATE TABLE survey_responses (
  id INTEGER PRIMARY KEY,
  survey_id INTEGER NOT NULL REFERENCES surveys(id),
  building_id INTEGER NOT NULL REFERENCES buildings(id),
  day TEXT NOT NULL,
  answers TEXT NOT NULL,
  comments TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX survey_responses_survey ON survey_responses(survey_id, building_id);
-- the open answers the results show, without reading the others
CREATE INDEX survey_responses_comments ON survey_responses(survey_id, id) WHERE comments <> '{}';
CREATE TABLE survey_tallies (
  survey_id INTEGER NOT NULL REFERENCES surveys(id),
  building_id INTEGER NOT NULL REFERENCES buildings(id),
  question TEXT NOT NULL,
  value INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
  n INTEGER NOT NULL,
  PRIMARY KEY (survey_id, building_id, question, value)
);
CREATE TABLE survey_coverage (
  survey_id INTEGER NOT NULL REFERENCES surveys(id),
  building_id INTEGER NOT NULL REFERENCES buildings(id),
  invited INTEGER NOT NULL,
  responses INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (survey_id, building_id)
);
