"""Foundations every feature stands on: configuration, extensions, the database base and its
types, Millau's clock, languages, error pages, shared form helpers and labels, mail, random codes.

Imports: imports no other feature.
"""
