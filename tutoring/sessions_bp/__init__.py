"""Tutoring sessions as learners, tutors and referents see them: list, cancel, calendar."""

from flask import Blueprint

bp = Blueprint("sessions", __name__, url_prefix="/seances")

from tutoring.sessions_bp import views  # noqa: E402,F401
