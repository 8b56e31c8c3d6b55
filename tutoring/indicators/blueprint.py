"""The `indicators` blueprint; its templates live in `templates/indicators/`."""

from flask import Blueprint

bp = Blueprint("indicators", __name__)
