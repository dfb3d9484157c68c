-- 021_task_buildings (SQLite): the buildings a management spot check (管理层巡检, an
-- inspection task of level 'spot') covers, drawn at random by the server when the task is
-- made, as JSON [{"id","name"}]; the draw is in the audit log (domain/work/plan_inspect.c).
-- NULL for every other task.
ALTER TABLE tasks ADD COLUMN buildings TEXT;
