-- 007_search_queue (SQLite): tickets whose search terms are not indexed yet.
-- A create adds its ticket here, in its own transaction (one small row, where
-- indexing the terms at once was a third of a create's cost); the index
-- catches up in batches before any search (q=) and on every sweep, so a
-- search always sees every committed ticket (domain/ticket_search.c).
CREATE TABLE search_pending (
  ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id)
);
