"""The parts of create_app(): extensions, models, hooks, template helpers, blueprints,
error pages, CLI.

This module and `tutoring/__init__.py` sit above every feature: they are the only
place that imports them all (see the layers contract in pyproject.toml)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Flask, g, session
from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.middleware.proxy_fix import ProxyFix

from tutoring import cli
from tutoring.accounts import access, pictures, session_cache, shared
from tutoring.accounts import blueprint as accounts_blueprint
from tutoring.accounts import models as accounts_models  # noqa: F401 - mappers
from tutoring.accounts import profiles as accounts_profiles  # noqa: F401 - mappers
from tutoring.accounts import views as accounts_views  # noqa: F401 - routes
from tutoring.accounts.labels import audit_label, role_label
from tutoring.accounts.models import User
from tutoring.accounts.signin import RequestGlobals, idle_seconds, load_session
from tutoring.admin import blueprint as admin_blueprint
from tutoring.admin import views as admin_views  # noqa: F401 - routes
from tutoring.content import blueprint as content_blueprint
from tutoring.content import models as content_models  # noqa: F401 - mappers
from tutoring.content import speech
from tutoring.content import views as content_views  # noqa: F401 - routes
from tutoring.core import assets, errors, i18n, layout, migrations
from tutoring.core.config import PROJECT_ROOT
from tutoring.core.extensions import (
    babel,
    compress,
    csrf,
    db,
    limiter,
    login_manager,
)
from tutoring.core.labels import SKILL_LABELS, THEME_LABELS
from tutoring.core.urls import IdConverter, external_url
from tutoring.exams import blueprint as exams_blueprint
from tutoring.exams import language as exams_language  # noqa: F401 - signal receivers
from tutoring.exams import models as exams_models  # noqa: F401 - mappers
from tutoring.exams import views as exams_views  # noqa: F401 - routes
from tutoring.home import blueprint as home_blueprint
from tutoring.home import models as home_models  # noqa: F401 - mappers
from tutoring.home import rights as home_rights  # noqa: F401 - signal receivers
from tutoring.home import views as home_views  # noqa: F401 - routes
from tutoring.indicators import api as indicators_api
from tutoring.indicators import blueprint as indicators_blueprint
from tutoring.indicators import listeners as indicators_listeners  # noqa: F401 - rollups
from tutoring.indicators import models as indicators_models  # noqa: F401 - mappers
from tutoring.indicators import views as indicators_views  # noqa: F401 - routes
from tutoring.learning import blueprint as learning_blueprint
from tutoring.learning import models as learning_models  # noqa: F401 - mappers
from tutoring.learning import offline_views as learning_offline  # noqa: F401 - routes
from tutoring.learning import rights as learning_rights  # noqa: F401 - signal receivers
from tutoring.learning import state as learning_state  # noqa: F401 - learner-state rows
from tutoring.learning import views as learning_views  # noqa: F401 - routes
from tutoring.pairing import blueprint as pairing_blueprint
from tutoring.pairing import models as pairing_models  # noqa: F401 - mappers
from tutoring.pairing import rights as pairing_rights  # noqa: F401 - signal receivers
from tutoring.pairing import views as pairing_views  # noqa: F401 - routes
from tutoring.reviews import blueprint as reviews_blueprint
from tutoring.reviews import views as reviews_views  # noqa: F401 - routes
from tutoring.sessions import blueprint as sessions_blueprint
from tutoring.sessions import models as sessions_models  # noqa: F401 - mappers
from tutoring.sessions import rights as sessions_rights  # noqa: F401 - signal receivers
from tutoring.sessions import views as sessions_views  # noqa: F401 - routes


def register_extensions(app: Flask) -> None:
    db.init_app(app)
    migrations.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(
        app,
        locale_selector=i18n.select_locale,
        default_translation_directories=str(PROJECT_ROOT / "tutoring" / "translations"),
    )
    i18n.install_localised_messages(app, babel)
    app.app_ctx_globals_class = RequestGlobals
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Connectez-vous pour accéder à cette page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = None  # sessions are checked on the server
    login_manager.user_loader(_load_user)
    session_cache.init_app(app)
    compress.init_app(app)
    assets.init_app(app, access.static_headers(app))
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
    """Flask-Login loader: the cookie holds a session token, checked on the server
    by one lean query (see accounts.signin.load_session)."""
    loaded = load_session(token)
    if loaded is None:
        session.clear()
        return None
    g.session_state, user = loaded
    user.session_token = token
    return user


def register_request_hooks(app: Flask) -> None:
    access.init_app(app)


def _as_date(value: str) -> Any:
    return date.fromisoformat(value)


def register_template_helpers(app: Flask) -> None:
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
        lang_tag=i18n.lang_tag,
        content_text=i18n.content_text,
        font_stylesheet=i18n.font_stylesheet,
        weekday_names=i18n.weekday_names,
        supported_locales=i18n.supported_locales,
        format_date=i18n.format_date,
        format_datetime=i18n.format_datetime,
        format_moment=i18n.format_moment,
        format_decimal=format_decimal,
        format_percent=i18n.format_percent,
        external_url=external_url,
        speech_clips=speech.clip_urls,
        icon=speech.icon,
        picture_signin_here=pictures.structure_here,
        layout_fragment=layout.fragment,
        main_menu=layout.main_menu,
    )

    @app.context_processor
    def _inject() -> dict[str, Any]:
        signed = current_user.is_authenticated  # loads the session (one lean query)
        state = g.get("session_state") if signed else None
        shared_session = bool(state and state.shared_device)
        return {
            "current_locale": str(get_locale()),
            "current_lang": i18n.lang_tag(str(get_locale())),
            # This sign-in is a shared-computer one (ticked, or on a marked computer).
            "shared_device": shared_session,
            # Shared mode: this browser is a marked shared computer, or the learner
            # ticked « Je suis sur un ordinateur partagé ». The offline packs and the
            # caching of personal pages stay off (read by the service worker's page
            # script through <html data-shared-computer>).
            "shared_computer": shared_session or shared.this_computer() is not None,
            "shared_idle_seconds": idle_seconds(state) if shared_session else 0,
            "site_name": app.config["SITE_NAME"],
            "organisation_name": app.config["ORGANISATION_NAME"],
        }


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature; URLs are written in full in each view."""
    app.url_map.converters["int"] = IdConverter
    for bp in (
        home_blueprint.bp,
        accounts_blueprint.bp,
        pairing_blueprint.bp,
        content_blueprint.bp,
        learning_blueprint.bp,
        exams_blueprint.bp,
        sessions_blueprint.bp,
        reviews_blueprint.bp,
        indicators_blueprint.bp,
        admin_blueprint.bp,
    ):
        app.register_blueprint(bp)
    for view in indicators_api.VIEWS:
        csrf.exempt(view)  # the API authenticates by bearer token, not by cookie


def register_errorhandlers(app: Flask) -> None:
    errors.register(app)


def register_cli(app: Flask) -> None:
    cli.register(app)
