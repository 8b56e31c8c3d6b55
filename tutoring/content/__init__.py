"""The exercise bank as the platform holds it: items synced from `exercises/`, their
rendering, their audio and the volunteers' recorded voices.

Imports: may import core, accounts, pairing.
"""
