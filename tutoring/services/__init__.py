"""Verbs of the domain. Services flush but never commit, and never touch the request."""
