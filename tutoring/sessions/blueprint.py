"""The `sessions` blueprint; its templates live in `templates/sessions/`."""

from flask import Blueprint

bp = Blueprint("sessions", __name__)
