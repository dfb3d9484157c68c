-- 002_sla (SQLite): working-day calendars (法定节假日 and 调休) and SLA policies.
-- Official days of calendar 1 come from the chinese-days data compiled into the
-- binary (calendar_seed, run after migrations); manual = 1 marks an admin's override.
CREATE TABLE calendars (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  work_start INTEGER NOT NULL DEFAULT 540,
  work_end INTEGER NOT NULL DEFAULT 1080,
  first_year INTEGER NOT NULL DEFAULT 0,
  last_year INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
INSERT INTO calendars (id, name, timezone, work_start, work_end, first_year, last_year,
                       created_at, updated_at)
  SELECT 1, '中国大陆法定节假日', 'Asia/Shanghai', 540, 1080, 0, 0, t.now, t.now
  FROM (SELECT CAST(strftime('%s', 'now') AS INTEGER) AS now) AS t;

-- day: days since 1970-01-01 of the local date; date: the same as YYYY-MM-DD.
CREATE TABLE calendar_days (
  calendar_id INTEGER NOT NULL REFERENCES calendars(id),
  day INTEGER NOT NULL,
  date TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name TEXT NOT NULL DEFAULT '',
  manual INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (calendar_id, day)
);

-- project_id NULL: the company default; category NULL: any category. Milestones
-- and escalations are JSON arrays as in the API.
CREATE TABLE sla_policies (
  id INTEGER PRIMARY KEY,
  project_id INTEGER REFERENCES projects(id),
  kind TEXT NOT NULL,
  priority TEXT NOT NULL,
  category TEXT,
  milestones TEXT NOT NULL,
  escalations TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX sla_policies_key
  ON sla_policies (COALESCE(project_id, 0), kind, priority, COALESCE(category, ''));

-- The company defaults (issue 3): respond 15 min for every kind; minutes and
-- hours on the 24 h clock (the desk is staffed round the clock), workdays on
-- the business clock; escalate at 80 % to the assignee, 100 % to the manager,
-- 200 % to quality.
INSERT INTO sla_policies (project_id, kind, priority, category, milestones, escalations, active,
                          created_at, updated_at)
  SELECT NULL, v.column1, v.column2, NULL, v.column3, v.column4, 1, t.now, t.now
  FROM (VALUES
  ('repair', 'emergency', '[{"milestone":"respond","amount":15,"unit":"minute","clock":"calendar","from":"reported"},{"milestone":"arrive","amount":30,"unit":"minute","clock":"calendar","from":"reported"},{"milestone":"resolve","amount":24,"unit":"hour","clock":"calendar","from":"reported"}]', '[{"at_percent":80,"notify":"assignee"},{"at_percent":100,"notify":"manager"},{"at_percent":200,"notify":"quality"}]'),
  ('repair', 'normal', '[{"milestone":"respond","amount":15,"unit":"minute","clock":"calendar","from":"reported"},{"milestone":"resolve","amount":24,"unit":"hour","clock":"calendar","from":"reported"}]', '[{"at_percent":80,"notify":"assignee"},{"at_percent":100,"notify":"manager"},{"at_percent":200,"notify":"quality"}]'),
  ('repair', 'scheduled', '[{"milestone":"respond","amount":15,"unit":"minute","clock":"calendar","from":"reported"},{"milestone":"arrive","amount":0,"unit":"minute","clock":"calendar","from":"appointment_start"},{"milestone":"resolve","amount":24,"unit":"hour","clock":"calendar","from":"appointment_end"}]', '[{"at_percent":80,"notify":"assignee"},{"at_percent":100,"notify":"manager"},{"at_percent":200,"notify":"quality"}]'),
  ('complaint', 'normal', '[{"milestone":"respond","amount":15,"unit":"minute","clock":"calendar","from":"reported"},{"milestone":"assign","amount":2,"unit":"hour","clock":"calendar","from":"reported"},{"milestone":"contact","amount":12,"unit":"hour","clock":"calendar","from":"reported"},{"milestone":"resolve","amount":3,"unit":"workday","clock":"business","from":"reported"}]', '[{"at_percent":80,"notify":"assignee"},{"at_percent":100,"notify":"manager"},{"at_percent":200,"notify":"quality"}]'),
  ('complaint', 'high', '[{"milestone":"respond","amount":15,"unit":"minute","clock":"calendar","from":"reported"},{"milestone":"assign","amount":1,"unit":"hour","clock":"calendar","from":"reported"},{"milestone":"contact","amount":2,"unit":"hour","clock":"calendar","from":"reported"},{"milestone":"resolve","amount":1,"unit":"workday","clock":"business","from":"reported"}]', '[{"at_percent":80,"notify":"assignee"},{"at_percent":100,"notify":"manager"},{"at_percent":200,"notify":"quality"}]'),
  ('inquiry', 'normal', '[{"milestone":"respond","amount":15,"unit":"minute","clock":"calendar","from":"reported"},{"milestone":"resolve","amount":2,"unit":"hour","clock":"calendar","from":"reported"}]', '[{"at_percent":80,"notify":"assignee"},{"at_percent":100,"notify":"manager"},{"at_percent":200,"notify":"quality"}]'),
  ('inquiry', 'high', '[{"milestone":"respond","amount":15,"unit":"minute","clock":"calendar","from":"reported"},{"milestone":"resolve","amount":48,"unit":"hour","clock":"calendar","from":"reported"}]', '[{"at_percent":80,"notify":"assignee"},{"at_percent":100,"notify":"manager"},{"at_percent":200,"notify":"quality"}]'),
  ('suggestion', 'normal', '[{"milestone":"respond","amount":15,"unit":"minute","clock":"calendar","from":"reported"},{"milestone":"resolve","amount":3,"unit":"workday","clock":"business","from":"reported"}]', '[{"at_percent":80,"notify":"assignee"},{"at_percent":100,"notify":"manager"},{"at_percent":200,"notify":"quality"}]'),
  ('praise', 'normal', '[{"milestone":"respond","amount":15,"unit":"minute","clock":"calendar","from":"reported"}]', '[{"at_percent":80,"notify":"assignee"},{"at_percent":100,"notify":"manager"},{"at_percent":200,"notify":"quality"}]')
  ) AS v, (SELECT CAST(strftime('%s', 'now') AS INTEGER) AS now) AS t;
