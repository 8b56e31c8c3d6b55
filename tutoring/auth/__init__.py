"""Sign-in, sign-out, login cards, second factor and volunteers' sign-up."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from tutoring.auth import views  # noqa: E402,F401
