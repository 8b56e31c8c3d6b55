"""People and their access: users, roles, structures and partners, sign-in and its server-side
sessions, passwords, login cards, two-factor, learner enrolment, volunteers' sign-up and
approval, personal-data rights (export, erasure), the audit log and the outbox of notices.

Imports: may import core.
"""
