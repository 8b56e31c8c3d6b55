"""The volunteer tutor's space: pairing proposals, their learners, their profile."""

from flask import Blueprint

bp = Blueprint("tutor", __name__, url_prefix="/tuteur")

from tutoring.tutor import views  # noqa: E402,F401
