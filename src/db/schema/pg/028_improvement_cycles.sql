-- 028_improvement_cycles (PostgreSQL): every plan read names its next cycle
-- ((SELECT MIN(y.id) FROM improvements y WHERE y.cycle_of = x.id), improvement.c): without
-- an index that is a scan of every plan per plan read — 135 ms a page at 100,000 plans.
CREATE INDEX improvements_cycle_of ON improvements(cycle_of) WHERE cycle_of IS NOT NULL;
-- The company's kanban by column (GET /improvements?state=…): the plans in one state by id.
CREATE INDEX improvements_state ON improvements(state, id);
