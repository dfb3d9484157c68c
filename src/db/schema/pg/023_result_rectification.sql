-- 023_result_rectification (PostgreSQL): the rectification (整改单) a failed inspection item
-- raised, beside ticket_id for the findings of other tasks. Written by task_finish with
-- what the quality context's hook reports (domain/quality/inspection.c); no foreign key,
-- since the work context sits below quality and does not know its tables.
ALTER TABLE task_results ADD COLUMN rectification_id BIGINT;
