"""The exercise domain: plain Python with no Flask import (item types, loading, scoring).

The application package `tutoring` imports this one, never the other way round.
"""
