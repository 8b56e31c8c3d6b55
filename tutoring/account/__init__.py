"""The signed-in person's own account: password, two-factor, data and erasure."""

from flask import Blueprint

bp = Blueprint("account", __name__, url_prefix="/compte")

from tutoring.account import views  # noqa: E402,F401
