-- 020_plan_inspected (SQLite): what an inspection plan (三级检查, kind 'inspection')
-- inspects: the department whose work it checks. A cross-check (level 'cross') is done by
-- another department than this one (domain/work/plan_inspect.c).
ALTER TABLE plans ADD COLUMN inspected_department_id INTEGER REFERENCES departments(id);
