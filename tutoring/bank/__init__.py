"""Tutors' and referents' view of the exercise bank: browse, preview, assign homework."""

from flask import Blueprint

bp = Blueprint("bank", __name__, url_prefix="/banque")

from tutoring.bank import views  # noqa: E402,F401
