"""API tests of the identity context."""
