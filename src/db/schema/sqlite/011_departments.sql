-- 011_departments (SQLite): departments (部门) as records of the company
-- (domain/org/department.c), instead of seven fixed words. A department has a
-- name (unique among the active ones: a deactivated 安保部 does not block a new
-- one), a function the rules read (dispatch, escalation, the quality
-- cross-check care what a department does, never how it is spelled) and an
-- optional parent. Seeded with the usual seven; staff point at one with
-- users.department_id, and users.department keeps the department's name in
-- step (written with it, renamed with it) for readers of the old column.
CREATE TABLE departments (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  function TEXT NOT NULL CHECK (function IN ('desk', 'engineering', 'security', 'cleaning',
                                             'greening', 'quality', 'management')),
  parent_id INTEGER REFERENCES departments(id),
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX departments_name_active ON departments(name) WHERE active = 1;
CREATE INDEX departments_parent ON departments(parent_id) WHERE parent_id IS NOT NULL;

INSERT INTO departments (name, function, parent_id, active, created_at, updated_at)
  SELECT v.column1, v.column2, NULL, 1, t.now, t.now
  FROM (VALUES ('客服部', 'desk'), ('工程部', 'engineering'), ('秩序部', 'security'),
               ('保洁部', 'cleaning'), ('绿化部', 'greening'), ('品质部', 'quality'),
               ('管理处', 'management')) AS v,
       (SELECT CAST(strftime('%s', 'now') AS INTEGER) AS now) AS t;

-- Existing staff move in place: the old short words name the seeded departments.
ALTER TABLE users ADD COLUMN department_id INTEGER REFERENCES departments(id);
UPDATE users SET department = CASE department
    WHEN '客服' THEN '客服部' WHEN '工程' THEN '工程部' WHEN '秩序' THEN '秩序部'
    WHEN '保洁' THEN '保洁部' WHEN '绿化' THEN '绿化部' WHEN '品质' THEN '品质部'
    WHEN '管理' THEN '管理处' ELSE department END
  WHERE role <> 'resident' AND department <> '';
UPDATE users SET department_id = (SELECT d.id FROM departments d WHERE d.name = users.department)
  WHERE role <> 'resident' AND department <> '';
CREATE INDEX users_department ON users(department_id, active) WHERE department_id IS NOT NULL;
