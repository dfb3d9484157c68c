"""API tests of the core context."""
