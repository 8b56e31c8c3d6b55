"""Referents' pages: enrolling learners, login cards, data rights, partner list."""

from flask import Blueprint

bp = Blueprint("learners", __name__, url_prefix="/apprenants")

from tutoring.learners import outcomes, views  # noqa: E402,F401
