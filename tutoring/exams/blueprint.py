"""The `exams` blueprint; its templates live in `templates/exams/`."""

from flask import Blueprint

bp = Blueprint("exams", __name__)
