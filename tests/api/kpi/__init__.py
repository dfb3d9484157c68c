"""API tests of the kpi context."""
