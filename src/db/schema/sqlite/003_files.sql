-- 003_files (SQLite): uploaded files. The content lives on disk under the data
-- directory, named by its SHA-256 (files/ab/cdef…), once per content; a row is
-- one upload: who sent it and for which project, which decides who sees it
-- (with ticket_photos of 004_tickets.sql).
CREATE TABLE files (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL,
  mime TEXT NOT NULL,
  size INTEGER NOT NULL,
  uploaded_by INTEGER REFERENCES users(id),
  project_id INTEGER REFERENCES projects(id),
  created_at INTEGER NOT NULL
);

