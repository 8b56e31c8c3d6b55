"""Mock exams for learners (examen civique blanc)."""

from flask import Blueprint

bp = Blueprint("exams", __name__, url_prefix="/examens")

from tutoring.exams import views  # noqa: E402,F401
