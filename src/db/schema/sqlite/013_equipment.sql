-- 013_equipment (SQLite): the equipment book (设施设备台账, domain/assets/): each piece of
-- equipment of a project with its QR label's token; its downtime periods (at most one open,
-- status 'down' while it is); tickets may name the equipment they are about.
-- Dates of the book (installed_on, warranty_until) are local 'YYYY-MM-DD' text; times are
-- epoch seconds. retired_at: when status last became 'retired' (the figures count a unit
-- only in the months it existed).
CREATE TABLE equipment (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  class TEXT NOT NULL CHECK (class IN ('elevator','fire','water','power','hvac','lighting','access','cctv','other')),
  location TEXT NOT NULL DEFAULT '',
  building_id INTEGER REFERENCES buildings(id),
  model TEXT,
  maker TEXT,
  serial TEXT,
  installed_on TEXT,
  warranty_until TEXT,
  vendor TEXT,
  criticality TEXT NOT NULL DEFAULT 'normal' CHECK (criticality IN ('major','normal')),
  status TEXT NOT NULL DEFAULT 'in_service' CHECK (status IN ('in_service','down','retired')),
  retired_at INTEGER,
  qr_token TEXT NOT NULL UNIQUE,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (project_id, code)
);
CREATE INDEX equipment_project ON equipment(project_id, id);

CREATE TABLE equipment_downtime (
  id INTEGER PRIMARY KEY,
  equipment_id INTEGER NOT NULL REFERENCES equipment(id),
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  cause TEXT NOT NULL DEFAULT '',
  ticket_id INTEGER REFERENCES tickets(id),
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  ended_by INTEGER,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE INDEX equipment_downtime_equipment ON equipment_downtime(equipment_id, started_at);
-- at most one open period per piece of equipment
CREATE UNIQUE INDEX equipment_downtime_open ON equipment_downtime(equipment_id) WHERE ended_at IS NULL;

ALTER TABLE tickets ADD COLUMN equipment_id INTEGER REFERENCES equipment(id);
CREATE INDEX tickets_equipment ON tickets(equipment_id, id) WHERE equipment_id IS NOT NULL;
