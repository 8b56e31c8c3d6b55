"""The `accounts` blueprint; its templates live in `templates/accounts/`."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)
