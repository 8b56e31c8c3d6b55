"""Flask application of the French-learning and tutoring platform (Millau CTAI)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: configuration, extensions, blueprints, CLI."""
    from tutoring import config as app_config
    from tutoring.setup import (
        register_blueprints,
        register_cli,
        register_errorhandlers,
        register_extensions,
        register_request_hooks,
        register_template_helpers,
    )

    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(PROJECT_ROOT / "instance"),
    )
    app_config.load(app, config)
    register_extensions(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_cli(app)
    return app
