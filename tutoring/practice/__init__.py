"""Learners' practice: sets of ten items, one per screen, with feedback; homework."""

from flask import Blueprint

bp = Blueprint("practice", __name__, url_prefix="/pratique")

from tutoring.practice import views  # noqa: E402,F401
