"""The `learning` blueprint; its templates live in `templates/learning/`."""

from flask import Blueprint

bp = Blueprint("learning", __name__)
