"""JSON API for the CTAI coordination module, authenticated by bearer tokens."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from tutoring.api import views  # noqa: E402,F401
