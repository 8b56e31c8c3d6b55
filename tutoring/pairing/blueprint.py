"""The `pairing` blueprint; its templates live in `templates/pairing/`."""

from flask import Blueprint

bp = Blueprint("pairing", __name__)
