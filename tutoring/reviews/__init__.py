"""The review queue: tutors and referents mark written and spoken productions."""

from flask import Blueprint

bp = Blueprint("reviews", __name__, url_prefix="/corrections")

from tutoring.reviews import views  # noqa: E402,F401
