"""Mock exams: the civic exam and the French exam in four skills, their results and whether
the target level is reached.

Imports: may import core, accounts, pairing, content, learning.
"""
