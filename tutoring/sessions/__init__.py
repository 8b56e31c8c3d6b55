"""Tutoring sessions: booking (one-to-one and workshops), moving, cancelling, reports,
calendars (.ics and feeds) and reminders.

Imports: may import core, accounts, pairing, content, learning, exams.
"""
