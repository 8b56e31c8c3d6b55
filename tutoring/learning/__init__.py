"""Practice: sets, attempts, the learner model (abilities, reviews due), placement, homework,
levels from outside, and the tutors' marks of written and spoken productions.

Imports: may import core, accounts, pairing, content.
"""
