"""API tests of the org context."""
