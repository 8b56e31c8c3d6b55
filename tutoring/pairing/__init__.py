"""Who meets whom, when and where: learners' needs and volunteers' offers (availability,
places), the fit between them, suggestions, the optimal proposal, the waiting list and
the pairings themselves.

Imports: may import core, accounts.
"""
