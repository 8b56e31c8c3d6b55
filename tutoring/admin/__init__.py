"""Technical administration: accounts and roles, structures, API tokens, audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from tutoring.admin import views  # noqa: E402,F401
