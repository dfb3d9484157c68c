"""API tests of the tickets context."""
