"""The parts of create_app(): extensions, hooks, template helpers, blueprints, CLI."""

from __future__ import annotations

from typing import Any

from flask import Flask, g, session
from flask_babel import format_date, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from tutoring import i18n, security
from tutoring.extensions import babel, csrf, db, limiter, login_manager, migrate
from tutoring.models import User


def register_extensions(app: Flask) -> None:
    from tutoring import PROJECT_ROOT

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(PROJECT_ROOT / "tutoring" / "translations"),
    )
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # sessions are checked on the server
    login_manager.user_loader(_load_user)
    if app.config["PROXY_FIX_X_FOR"]:
        hops = app.config["PROXY_FIX_X_FOR"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


@event.listens_for(Engine, "connect")
def _sqlite_foreign_keys(dbapi_connection: Any, connection_record: Any) -> None:
    """Make SQLite enforce foreign keys (ON DELETE rules) like PostgreSQL, and use
    write-ahead logging: readers no longer wait for a writer (several gunicorn
    workers), and a commit costs one sync instead of several."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")  # 'memory' for in-memory databases
        cursor.close()


def _load_user(token: str) -> User | None:
    """Flask-Login loader: the cookie holds a session token, checked on the server."""
    from tutoring.services.sessions import load_session

    row = load_session(token)
    if db.session.dirty:
        db.session.commit()  # persist the expiry or the last-seen time
    if row is None:
        session.clear()
        return None
    g.user_session = row
    row.user.session_token = token
    return row.user


def register_request_hooks(app: Flask) -> None:
    security.init_app(app)


def _as_date(value: str) -> Any:
    from datetime import date

    return date.fromisoformat(value)


def register_template_helpers(app: Flask) -> None:
    from tutoring.admin.forms import audit_label, role_label
    from tutoring.practice.labels import SKILL_LABELS, THEME_LABELS

    def theme_label(key: str) -> str:
        return str(THEME_LABELS.get(key, key))

    def skill_label(key: str) -> str:
        return str(SKILL_LABELS.get(key, key)).lower()

    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters.update(
        language_name=i18n.language_name,
        role_label=role_label,
        audit_label=audit_label,
        theme_label=theme_label,
        skill_label=skill_label,
        as_date=_as_date,
    )
    app.jinja_env.globals.update(
        native_name=i18n.native_name,
        language_name=i18n.language_name,
        text_direction=i18n.text_direction,
        weekday_names=i18n.weekday_names,
        supported_locales=i18n.supported_locales,
        format_date=format_date,
        format_datetime=format_datetime,
    )

    @app.context_processor
    def _inject() -> dict[str, Any]:
        from flask_babel import get_locale

        row = g.get("user_session")
        return {
            "current_locale": str(get_locale()),
            "shared_device": bool(row and row.shared_device),
            "site_name": app.config["SITE_NAME"],
            "organisation_name": app.config["ORGANISATION_NAME"],
        }


def register_blueprints(app: Flask) -> None:
    from tutoring.account import bp as account_bp
    from tutoring.admin import bp as admin_bp
    from tutoring.api import bp as api_bp
    from tutoring.auth import bp as auth_bp
    from tutoring.bank import bp as bank_bp
    from tutoring.coordination import bp as coordination_bp
    from tutoring.exams import bp as exams_bp
    from tutoring.learners import bp as learners_bp
    from tutoring.main import bp as main_bp
    from tutoring.practice import bp as practice_bp
    from tutoring.reviews import bp as reviews_bp
    from tutoring.sessions_bp import bp as sessions_bp
    from tutoring.tutor import bp as tutor_bp
    from tutoring.tutors import bp as tutors_bp

    for bp in (
        main_bp,
        auth_bp,
        account_bp,
        practice_bp,
        exams_bp,
        bank_bp,
        learners_bp,
        tutors_bp,
        tutor_bp,
        reviews_bp,
        sessions_bp,
        admin_bp,
        coordination_bp,
    ):
        app.register_blueprint(bp)
    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)


def register_errorhandlers(app: Flask) -> None:
    from tutoring.errors import register

    register(app)


def register_cli(app: Flask) -> None:
    from tutoring.cli import register

    register(app)
