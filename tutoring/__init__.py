"""Flask application of the French-learning and tutoring platform (Millau CTAI).

The code is cut in feature packages (core, accounts, pairing, content, learning, exams,
sessions, reviews, indicators, home, admin, demo) that import each other in that order
only; `setup.py` is the one place that assembles them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from tutoring import setup
from tutoring.core import config as app_config
from tutoring.core.config import PROJECT_ROOT

__all__ = ["PROJECT_ROOT", "create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI."""
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app_config.load(app, config)
    setup.register_extensions(app)
    setup.register_request_hooks(app)
    setup.register_template_helpers(app)
    setup.register_blueprints(app)
    setup.register_errorhandlers(app)
    setup.register_cli(app)
    return app
