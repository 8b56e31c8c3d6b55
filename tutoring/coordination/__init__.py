"""The coordinator's pages: aggregated figures only, never a person."""

from flask import Blueprint

bp = Blueprint("coordination", __name__, url_prefix="/coordination")

from tutoring.coordination import views  # noqa: E402,F401
