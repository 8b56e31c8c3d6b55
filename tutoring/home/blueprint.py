"""The `home` blueprint; its templates live in `templates/home/`."""

from flask import Blueprint

bp = Blueprint("home", __name__)
