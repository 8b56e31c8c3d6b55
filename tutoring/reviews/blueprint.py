"""The `reviews` blueprint; its templates live in `templates/reviews/`."""

from flask import Blueprint

bp = Blueprint("reviews", __name__)
