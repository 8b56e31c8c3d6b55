"""The `admin` blueprint; its templates live in `templates/admin/`."""

from flask import Blueprint

bp = Blueprint("admin", __name__)
