-- 006_unplanned (SQLite): SLA milestones waiting for a calendar year. A
-- milestone whose due time falls in a year without official holiday data is
-- stored with due_at = 253402300799 (9999-12-31T23:59:59Z, SLA_DUE_UNPLANNED
-- in domain/sla.h) and planned when the year is imported; this small index
-- finds those rows without reading every milestone.
CREATE INDEX ticket_sla_unplanned ON ticket_sla(ticket_id) WHERE due_at = 253402300799;
