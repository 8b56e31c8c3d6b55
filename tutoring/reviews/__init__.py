"""The review queue: the productions a volunteer or referent may mark, and the rubric.

Imports: may import core, accounts, pairing, content, learning, exams, sessions.
"""
