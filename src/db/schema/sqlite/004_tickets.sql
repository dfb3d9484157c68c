-- 004_tickets (SQLite): work orders (工单): categories, tickets, their events,
-- SLA milestone rows, human numbers, photos and the search terms.
-- Times are UTC epoch seconds; booleans are 0/1; lists are JSON text.

-- A two-level tree; path is "parent/child". skills: who can be dispatched to it
-- (a child with none falls back to its parent's).
CREATE TABLE categories (
  id INTEGER PRIMARY KEY,
  parent_id INTEGER REFERENCES categories(id),
  name TEXT NOT NULL,
  path TEXT NOT NULL UNIQUE,
  skills TEXT NOT NULL DEFAULT '[]',
  sort INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- One row per work order. held_from is the status a hold left (resume returns
-- to it); version is bumped by every change and checked in the UPDATE's WHERE,
-- so of two concurrent actions one wins and the other is told so.
CREATE TABLE tickets (
  id INTEGER PRIMARY KEY,
  no TEXT NOT NULL,
  project_id INTEGER NOT NULL REFERENCES projects(id),
  kind TEXT NOT NULL,
  priority TEXT NOT NULL,
  category_id INTEGER NOT NULL REFERENCES categories(id),
  status TEXT NOT NULL,
  held_from TEXT,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  room_id INTEGER REFERENCES rooms(id),
  resident_id INTEGER REFERENCES residents(id),
  channel TEXT NOT NULL,
  assignee_id INTEGER REFERENCES users(id),
  reported_at INTEGER NOT NULL,
  appointment_start INTEGER,
  appointment_end INTEGER,
  accepted_at INTEGER,
  assigned_at INTEGER,
  arrived_at INTEGER,
  contacted_at INTEGER,
  resolved_at INTEGER,
  closed_at INTEGER,
  cancelled_at INTEGER,
  hold_reason TEXT,
  hold_until INTEGER,
  contact_note TEXT,
  findings TEXT,
  valid_complaint INTEGER,
  resolution TEXT,
  cancel_reason TEXT,
  rating INTEGER,
  rating_comment TEXT,
  rated_at INTEGER,
  visit_at INTEGER,
  visit_by INTEGER,
  visit_satisfied INTEGER,
  visit_note TEXT,
  visit_unreachable INTEGER NOT NULL DEFAULT 0,
  reopen_count INTEGER NOT NULL DEFAULT 0,
  repeat_of INTEGER REFERENCES tickets(id),
  policy_id INTEGER,
  created_by INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL DEFAULT 1
);
-- Each index is paid on every create, so only what the lists, dispatch and
-- the repeat check need: a project's tickets newest first; the open queue
-- (partial: closed work leaves it, so it stays small and hot); an assignee's
-- work (dispatch counts the open part); a room's history by category (repeats,
-- room filter); a resident's own; the reported_at range; the human number.
CREATE UNIQUE INDEX tickets_no ON tickets(no);
CREATE INDEX tickets_project ON tickets(project_id, id);
CREATE INDEX tickets_open ON tickets(project_id, status, id) WHERE status IN ('new', 'accepted', 'assigned', 'in_progress', 'on_hold');
CREATE INDEX tickets_assignee ON tickets(assignee_id, status) WHERE assignee_id IS NOT NULL;
CREATE INDEX tickets_room ON tickets(room_id, category_id, reported_at) WHERE room_id IS NOT NULL;
CREATE INDEX tickets_resident ON tickets(resident_id) WHERE resident_id IS NOT NULL;
CREATE INDEX tickets_reported ON tickets(reported_at);

-- The history and the archive: the state is a fold of these rows. id counts
-- within the ticket, so the key is the only index.
CREATE TABLE ticket_events (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor_id INTEGER,
  action TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT,
  note TEXT,
  data TEXT,
  PRIMARY KEY (ticket_id, id)
) WITHOUT ROWID;

-- SLA milestones of a ticket (domain/sla.c reads and writes them). escalated is
-- a bitmask of the policy's escalations already fired.
CREATE TABLE ticket_sla (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  milestone TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,
  met_at INTEGER,
  paused_at INTEGER,
  clock TEXT NOT NULL DEFAULT 'calendar',
  escalated INTEGER NOT NULL DEFAULT 0,
  breached_at INTEGER,
  PRIMARY KEY (ticket_id, milestone)
) WITHOUT ROWID;
-- The overdue list and the sweep look only at running clocks.
CREATE INDEX ticket_sla_running ON ticket_sla(due_at) WHERE met_at IS NULL AND paused_at IS NULL;

-- Human numbers: BX-20260930-0007 is the 7th repair of that local day.
CREATE TABLE ticket_numbers (
  prefix TEXT NOT NULL,
  day INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (prefix, day)
) WITHOUT ROWID;

CREATE TABLE ticket_photos (
  ticket_id INTEGER NOT NULL REFERENCES tickets(id),
  file_id INTEGER NOT NULL,
  PRIMARY KEY (ticket_id, file_id)
) WITHOUT ROWID;

-- Search: the distinct character bigrams of title and description (domain/
-- ticket_search.c). Two-character Chinese terms such as 漏水 are the common
-- query, which trigram indexes (FTS5 trigram, pg_trgm) cannot serve, so the
-- bigrams are the index terms. On SQLite they go into a contentless FTS5 table
-- (rowid = ticket id, the ascii tokenizer splits on the spaces between them):
-- FTS5 writes each commit's terms as one small sorted segment, a few pages,
-- where a (term, ticket) B-tree would dirty a page per term, and that was most
-- of a create's cost. PostgreSQL keeps the plain table ticket_terms.
CREATE VIRTUAL TABLE ticket_fts USING fts5(terms, content = '', tokenize = 'ascii',
                                           detail = 'none', columnsize = 0);

-- The residential category tree (editable through the API).
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '水电', '水电', '["水工","电工"]', 10, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '漏水', '水电/漏水', '["水工"]', 10, 1, 0, 0 FROM categories WHERE path = '水电';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '水管爆裂', '水电/水管爆裂', '["水工"]', 20, 1, 0, 0 FROM categories WHERE path = '水电';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '水龙头', '水电/水龙头', '["水工"]', 30, 1, 0, 0 FROM categories WHERE path = '水电';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '停电', '水电/停电', '["电工"]', 40, 1, 0, 0 FROM categories WHERE path = '水电';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '跳闸', '水电/跳闸', '["电工"]', 50, 1, 0, 0 FROM categories WHERE path = '水电';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '插座开关', '水电/插座开关', '["电工"]', 60, 1, 0, 0 FROM categories WHERE path = '水电';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '门窗', '门窗', '["门窗"]', 20, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '入户门', '门窗/入户门', '[]', 10, 1, 0, 0 FROM categories WHERE path = '门窗';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '窗户', '门窗/窗户', '[]', 20, 1, 0, 0 FROM categories WHERE path = '门窗';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '单元门', '门窗/单元门', '[]', 30, 1, 0, 0 FROM categories WHERE path = '门窗';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '门禁', '门窗/门禁', '["电工"]', 40, 1, 0, 0 FROM categories WHERE path = '门窗';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '电梯', '电梯', '["电梯"]', 30, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '困人', '电梯/困人', '[]', 10, 1, 0, 0 FROM categories WHERE path = '电梯';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '故障停运', '电梯/故障停运', '[]', 20, 1, 0, 0 FROM categories WHERE path = '电梯';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '异响', '电梯/异响', '[]', 30, 1, 0, 0 FROM categories WHERE path = '电梯';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '按钮失灵', '电梯/按钮失灵', '[]', 40, 1, 0, 0 FROM categories WHERE path = '电梯';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '公共照明', '公共照明', '["电工"]', 40, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '楼道灯', '公共照明/楼道灯', '[]', 10, 1, 0, 0 FROM categories WHERE path = '公共照明';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '路灯', '公共照明/路灯', '[]', 20, 1, 0, 0 FROM categories WHERE path = '公共照明';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '地库照明', '公共照明/地库照明', '[]', 30, 1, 0, 0 FROM categories WHERE path = '公共照明';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '消防', '消防', '["消防"]', 50, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '消火栓', '消防/消火栓', '[]', 10, 1, 0, 0 FROM categories WHERE path = '消防';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '烟感报警', '消防/烟感报警', '[]', 20, 1, 0, 0 FROM categories WHERE path = '消防';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '灭火器', '消防/灭火器', '[]', 30, 1, 0, 0 FROM categories WHERE path = '消防';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '消防通道堵塞', '消防/消防通道堵塞', '["秩序"]', 40, 1, 0, 0 FROM categories WHERE path = '消防';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '给排水', '给排水', '["水工"]', 60, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '下水道堵塞', '给排水/下水道堵塞', '[]', 10, 1, 0, 0 FROM categories WHERE path = '给排水';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '停水', '给排水/停水', '[]', 20, 1, 0, 0 FROM categories WHERE path = '给排水';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '水压不足', '给排水/水压不足', '[]', 30, 1, 0, 0 FROM categories WHERE path = '给排水';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '化粪池', '给排水/化粪池', '[]', 40, 1, 0, 0 FROM categories WHERE path = '给排水';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '环境卫生', '环境卫生', '["保洁"]', 70, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '垃圾清运', '环境卫生/垃圾清运', '[]', 10, 1, 0, 0 FROM categories WHERE path = '环境卫生';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '楼道清洁', '环境卫生/楼道清洁', '[]', 20, 1, 0, 0 FROM categories WHERE path = '环境卫生';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '异味', '环境卫生/异味', '[]', 30, 1, 0, 0 FROM categories WHERE path = '环境卫生';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '消杀', '环境卫生/消杀', '[]', 40, 1, 0, 0 FROM categories WHERE path = '环境卫生';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '绿化', '绿化', '["绿化"]', 80, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '修剪', '绿化/修剪', '[]', 10, 1, 0, 0 FROM categories WHERE path = '绿化';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '病虫害', '绿化/病虫害', '[]', 20, 1, 0, 0 FROM categories WHERE path = '绿化';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '浇灌', '绿化/浇灌', '[]', 30, 1, 0, 0 FROM categories WHERE path = '绿化';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '秩序安全', '秩序安全', '["秩序"]', 90, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '门岗', '秩序安全/门岗', '[]', 10, 1, 0, 0 FROM categories WHERE path = '秩序安全';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '可疑人员', '秩序安全/可疑人员', '[]', 20, 1, 0, 0 FROM categories WHERE path = '秩序安全';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '高空抛物', '秩序安全/高空抛物', '[]', 30, 1, 0, 0 FROM categories WHERE path = '秩序安全';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '巡逻', '秩序安全/巡逻', '[]', 40, 1, 0, 0 FROM categories WHERE path = '秩序安全';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '停车', '停车', '["秩序"]', 100, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '车位占用', '停车/车位占用', '[]', 10, 1, 0, 0 FROM categories WHERE path = '停车';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '乱停放', '停车/乱停放', '[]', 20, 1, 0, 0 FROM categories WHERE path = '停车';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '道闸', '停车/道闸', '["电工"]', 30, 1, 0, 0 FROM categories WHERE path = '停车';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '充电桩', '停车/充电桩', '["电工"]', 40, 1, 0, 0 FROM categories WHERE path = '停车';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '噪音', '噪音', '[]', 110, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '装修噪音', '噪音/装修噪音', '[]', 10, 1, 0, 0 FROM categories WHERE path = '噪音';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '邻里噪音', '噪音/邻里噪音', '[]', 20, 1, 0, 0 FROM categories WHERE path = '噪音';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '设备噪音', '噪音/设备噪音', '["电工"]', 30, 1, 0, 0 FROM categories WHERE path = '噪音';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '宠物', '宠物', '[]', 120, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '犬只扰民', '宠物/犬只扰民', '[]', 10, 1, 0, 0 FROM categories WHERE path = '宠物';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '宠物粪便', '宠物/宠物粪便', '["保洁"]', 20, 1, 0, 0 FROM categories WHERE path = '宠物';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '装修', '装修', '[]', 130, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '违规装修', '装修/违规装修', '[]', 10, 1, 0, 0 FROM categories WHERE path = '装修';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '装修垃圾', '装修/装修垃圾', '["保洁"]', 20, 1, 0, 0 FROM categories WHERE path = '装修';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '装修申请', '装修/装修申请', '[]', 30, 1, 0, 0 FROM categories WHERE path = '装修';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '收费', '收费', '[]', 140, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '物业费', '收费/物业费', '[]', 10, 1, 0, 0 FROM categories WHERE path = '收费';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '停车费', '收费/停车费', '[]', 20, 1, 0, 0 FROM categories WHERE path = '收费';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '水电费', '收费/水电费', '[]', 30, 1, 0, 0 FROM categories WHERE path = '收费';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '服务态度', '服务态度', '[]', 150, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '客服人员', '服务态度/客服人员', '[]', 10, 1, 0, 0 FROM categories WHERE path = '服务态度';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '维修人员', '服务态度/维修人员', '[]', 20, 1, 0, 0 FROM categories WHERE path = '服务态度';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '保安人员', '服务态度/保安人员', '[]', 30, 1, 0, 0 FROM categories WHERE path = '服务态度';
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) VALUES (NULL, '其他', '其他', '[]', 160, 1, 0, 0);
INSERT INTO categories (parent_id, name, path, skills, sort, active, created_at, updated_at) SELECT id, '其他', '其他/其他', '[]', 10, 1, 0, 0 FROM categories WHERE path = '其他';
