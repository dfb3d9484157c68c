-- 022_task_score (PostgreSQL): an inspection task's score (0–100), set when it is finished: the
-- weights of the items that passed over the weights of the items answered, each item
-- weighing its standard's weight (1 without one) (domain/quality/inspection.c).
ALTER TABLE tasks ADD COLUMN score BIGINT;
