"""The `content` blueprint; its templates live in `templates/content/`."""

from flask import Blueprint

bp = Blueprint("content", __name__)
