"""Home pages for each role, language choice and the public information pages."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from tutoring.main import views  # noqa: E402,F401
