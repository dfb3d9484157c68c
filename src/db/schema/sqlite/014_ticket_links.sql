-- 014_ticket_links: whole indexes on the columns that name a ticket, so a foreign-key check
-- on a ticket (it looks for the rows that point at it) reads an index instead of scanning:
-- a repeat complaint's first one, a downtime period's ticket.
CREATE INDEX tickets_repeat_of ON tickets(repeat_of);
CREATE INDEX equipment_downtime_ticket ON equipment_downtime(ticket_id);
