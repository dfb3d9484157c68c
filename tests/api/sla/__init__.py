"""API tests of the sla context."""
