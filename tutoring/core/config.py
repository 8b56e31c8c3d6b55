"""Default settings; environment variables override them (see the README table)."""

from __future__ import annotations

import os
import shlex
import sys
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

from tutoring.core.urls import site_root, site_url_problem

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent


class ConfigError(RuntimeError):
    """Raised when the application cannot start safely with its configuration."""


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "oui"}


def _int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def _list(name: str, default: str) -> list[str]:
    return [p.strip() for p in os.environ.get(name, default).split(",") if p.strip()]


def _workers_in(args: list[str]) -> int:
    """The number after gunicorn's -w or --workers in `args` (0 when absent)."""
    found = 0
    for i, arg in enumerate(args):
        value = None
        if arg in {"-w", "--workers"} and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith("--workers="):
            value = arg.partition("=")[2]
        elif arg.startswith("-w") and len(arg) > 2:
            value = arg[2:]
        if value is not None and value.strip().isdigit():
            found = int(value)
    return found


def worker_count() -> int:
    """How many worker processes the server was asked for: WEB_CONCURRENCY, or
    gunicorn's -w/--workers in GUNICORN_CMD_ARGS or on its command line."""
    counts = [_workers_in(shlex.split(os.environ.get("GUNICORN_CMD_ARGS", "")))]
    if os.path.basename(sys.argv[0] if sys.argv else "").startswith("gunicorn"):
        counts.append(_workers_in(sys.argv[1:]))
    concurrency = os.environ.get("WEB_CONCURRENCY", "").strip()
    if concurrency.isdigit():
        counts.append(int(concurrency))
    return max(counts)


def defaults(app: Flask) -> dict[str, Any]:
    """Return the settings read from the environment, with safe defaults."""
    sqlite_default = f"sqlite:///{os.path.join(app.instance_path, 'tutoring.sqlite')}"
    secure = _bool("SESSION_COOKIE_SECURE", True)
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("DATABASE_URL", sqlite_default),
        # No ping before each checkout (a round trip on every request): after a
        # database restart a dead connection fails one request, and SQLAlchemy then
        # empties the whole pool. DATABASE_POOL_PRE_PING=1 brings the ping back.
        "SQLALCHEMY_ENGINE_OPTIONS": {
            "pool_pre_ping": _bool("DATABASE_POOL_PRE_PING", False),
            "pool_recycle": 3600,
        },
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "LOGIN_FAILURES_PER_ACCOUNT": os.environ.get(
            "LOGIN_FAILURES_PER_ACCOUNT", "10 per 15 minutes"
        ),
        "LOGIN_FAILURES_PER_IP": os.environ.get(
            "LOGIN_FAILURES_PER_IP", "100 per 15 minutes"
        ),
        # The site's public address: every absolute link (e-mails, calendar feeds,
        # cards' QR codes, attestations) is built on it, never on the Host header.
        "SITE_URL": os.environ.get("SITE_URL", "").strip().rstrip("/") or None,
        # Host names the site answers to (Flask refuses others with a 400).
        "TRUSTED_HOSTS": _list("TRUSTED_HOSTS", "") or None,
        "SITE_NAME": os.environ.get("SITE_NAME", "Français à Millau"),
        "ORGANISATION_NAME": os.environ.get("ORGANISATION_NAME", "Association Myriade"),
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "contact@myriade.example"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int("MAIL_PORT", 587),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", True),
        "MAIL_FROM": os.environ.get("MAIL_FROM", "ne-pas-repondre@myriade.example"),
        "REQUIRE_2FA_ROLES": _list("REQUIRE_2FA_ROLES", "coordinator,admin"),
        "SUPPORTED_LOCALES": _list(
            "SUPPORTED_LOCALES", "fr,en,ar,fa_AF,ps,uk,ru,tr,es,pt,ti"
        ),
        "BABEL_DEFAULT_LOCALE": "fr",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Paris",
        "SESSION_IDLE_MINUTES": _int("SESSION_IDLE_MINUTES", 30),
        "SESSION_IDLE_MINUTES_SHARED": _int("SESSION_IDLE_MINUTES_SHARED", 10),
        "SESSION_IDLE_MINUTES_COORDINATOR": _int(
            "SESSION_IDLE_MINUTES_COORDINATOR", 15
        ),
        "SESSION_ABSOLUTE_HOURS": _int("SESSION_ABSOLUTE_HOURS", 12),
        # Workers keep the sessions they have read while Redis says nothing changed
        # (accounts.session_cache). Unset: the rate limits' Redis if they have one;
        # "none": every request reads its session from the database.
        "SESSION_CACHE_URL": os.environ.get("SESSION_CACHE_URL"),
        "SESSION_CACHE_PREFIX": os.environ.get("SESSION_CACHE_PREFIX", "tutoring:"),
        "SESSION_CACHE_SIZE": _int("SESSION_CACHE_SIZE", 20_000),
        # The single-use code that carries a learner from a shared computer to their
        # phone (« Continuer sur mon téléphone ») works this long.
        "HANDOFF_SECONDS": _int("HANDOFF_SECONDS", 120),
        # An account without a password (a learner signed in by card) may choose one
        # without typing the card's code again this long after signing in.
        "RECENT_SIGNIN_MINUTES": _int("RECENT_SIGNIN_MINUTES", 10),
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=_int("SESSION_ABSOLUTE_HOURS", 12)
        ),
        # The cookie lives as long as the session may (SESSION_ABSOLUTE_HOURS), so
        # it is not signed and sent again with every answer: the server decides
        # when a session ends (idle time, sign-out, revocation).
        "SESSION_REFRESH_EACH_REQUEST": False,
        "SESSION_COOKIE_SECURE": secure,
        "SESSION_COOKIE_NAME": "__Host-session" if secure else "session",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "HSTS_SECONDS": _int("HSTS_SECONDS", 31536000),
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 10 * 1024 * 1024),
        "UPLOAD_FOLDER": os.environ.get(
            "UPLOAD_FOLDER", os.path.join(app.instance_path, "uploads")
        ),
        "PROXY_FIX_X_FOR": _int("PROXY_FIX_X_FOR", 0),
        "INACTIVE_MONTHS": _int("INACTIVE_MONTHS", 24),
        "ERASURE_NOTICE_DAYS": _int("ERASURE_NOTICE_DAYS", 30),
        "SMALL_CELL_THRESHOLD": _int("SMALL_CELL_THRESHOLD", 11),
        # First day of the CTAI (monthly trends start here) and the longest period
        # an indicator may be asked for (about the contract's three years).
        "CTAI_START": os.environ.get("CTAI_START", "2025-10-01"),
        "INDICATORS_MAX_DAYS": _int("INDICATORS_MAX_DAYS", 1100),
        # Database connections a coordinator's report uses at once on PostgreSQL
        # (its groups of figures are independent queries); 1 computes them in turn.
        "INDICATORS_THREADS": _int("INDICATORS_THREADS", 2),
        "CANCEL_GUARD_HOURS": _int("CANCEL_GUARD_HOURS", 24),
        # « Mon parcours »: the day its rules were last checked against their
        # sources; how long a test result (TCF, TEF) counts; how long a civic exam
        # counts (0: unknown, the pages say « à vérifier »); how many days before
        # the end the learner and the referent are told.
        "PARCOURS_CHECKED_ON": os.environ.get("PARCOURS_CHECKED_ON", "2026-12-02"),
        "TEST_VALID_YEARS": _int("TEST_VALID_YEARS", 2),
        "CIVIC_VALID_YEARS": _int("CIVIC_VALID_YEARS", 0),
        "EXPIRY_NOTICE_DAYS": _int("EXPIRY_NOTICE_DAYS", 91),
        # "module:function" sending a text (number, text); the default logs it.
        "SMS_SENDER": os.environ.get("SMS_SENDER", "tutoring.accounts.outbox:log_sms"),
        "WTF_CSRF_TIME_LIMIT": None,
        "DEMO_MODE": _bool("DEMO_MODE", False),
        # Responses compressed when the browser accepts it (Flask-Compress): brotli,
        # else gzip; text only, from 500 bytes. COMPRESS=0 when the proxy does it.
        "COMPRESS_REGISTER": _bool("COMPRESS", True),
        "COMPRESS_ALGORITHM": ["br", "gzip"],
        "COMPRESS_MIMETYPES": [
            "text/html",
            "text/css",
            "text/plain",
            "text/csv",
            "text/calendar",
            "application/javascript",
            "application/json",
            "image/svg+xml",
        ],  # fmt: skip
        "COMPRESS_MIN_SIZE": 500,
        "COMPRESS_BR_LEVEL": 4,
        "COMPRESS_LEVEL": 6,
        # Static files: fingerprinted copies and their .gz/.br (core/assets.py), and
        # the cache lifetime of a file asked by its plain name (seconds).
        "STATIC_BUILD_FOLDER": os.environ.get(
            "STATIC_BUILD_FOLDER", os.path.join(app.instance_path, "static-build")
        ),
        "STATIC_MAX_AGE": _int("STATIC_MAX_AGE", 300),
    }


def load(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill app.config from defaults, the environment, then explicit overrides."""
    app.config.update(defaults(app))
    if overrides:
        app.config.update(overrides)
        if (
            "SESSION_COOKIE_SECURE" in overrides
            and "SESSION_COOKIE_NAME" not in overrides
        ):
            app.config["SESSION_COOKIE_NAME"] = (
                "__Host-session" if overrides["SESSION_COOKIE_SECURE"] else "session"
            )
    if not app.config["SECRET_KEY"]:
        if app.debug or app.testing:
            app.config["SECRET_KEY"] = os.urandom(32).hex()
        else:
            raise ConfigError(
                "SECRET_KEY is not set: refusing to start. "
                "Generate one with: python -c 'import secrets; print(secrets.token_hex(32))'"
            )
    if app.debug and not app.testing and app.config["SESSION_COOKIE_SECURE"]:
        # The Werkzeug debugger runs any code typed in the browser: it must never
        # reach a deployment. Debug is for plain-HTTP development only.
        raise ConfigError(
            "Debug mode is on (FLASK_DEBUG or DEBUG) with SESSION_COOKIE_SECURE: "
            "refusing to start. Debug is for local development over plain HTTP "
            "(SESSION_COOKIE_SECURE=0) only."
        )
    _check_site_address(app)
    if (
        not (app.debug or app.testing)
        and app.config["RATELIMIT_ENABLED"]
        and str(app.config["RATELIMIT_STORAGE_URI"]).startswith("memory://")
        and worker_count() > 1
    ):
        # Each worker would count on its own: a limit of 100 would let 100 per worker.
        raise ConfigError(
            "RATELIMIT_STORAGE_URI is memory:// with several workers (WEB_CONCURRENCY "
            "or gunicorn -w): refusing to start, each worker would count failed "
            "sign-ins on its own. Set RATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0 "
            "(shared by the workers) or run a single worker."
        )
    if "fr" not in app.config["SUPPORTED_LOCALES"]:
        raise ConfigError(
            "SUPPORTED_LOCALES must contain 'fr', the reference language."
        )


def _check_site_address(app: Flask) -> None:
    """Links must not follow the Host header a client sends: production needs the
    site's address (SITE_URL, or SERVER_NAME) and the host names it answers to."""
    site_url = app.config.get("SITE_URL")
    if site_url:
        problem = site_url_problem(str(site_url))
        if problem:
            raise ConfigError(f"SITE_URL {site_url!r} is not usable: {problem}.")
    if app.debug or app.testing:
        return
    if site_root(app.config) is None:
        raise ConfigError(
            "SITE_URL is not set: refusing to start. Set it to the site's public "
            "address (e.g. https://francais.example.org): links in e-mails, "
            "calendar feeds, login cards and attestations are built on it."
        )
    if not app.config.get("TRUSTED_HOSTS"):
        raise ConfigError(
            "TRUSTED_HOSTS is not set: refusing to start. List the host names the "
            "site answers to, separated by commas (e.g. francais.example.org)."
        )
