"""Referents' pages for volunteers: approving or declining sign-ups."""

from flask import Blueprint

bp = Blueprint("tutors", __name__, url_prefix="/benevoles")

from tutoring.tutors import views  # noqa: E402,F401
