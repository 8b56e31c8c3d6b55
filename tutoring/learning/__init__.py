"""Practice: sets, attempts, the learner model (abilities, reviews due), placement, homework,
levels from outside, and the tutors' marks of written and spoken productions. The
« Numérique » track (`track.py`): units of computer skills for the exams, practised from
their own page and kept out of the learner model.

Imports: may import core, accounts, pairing, content.
"""
