"""Debug mode and its debugger cannot reach a deployment; errors show no internals."""

from __future__ import annotations

import pytest

from tutoring import create_app
from tutoring.core.config import ConfigError


@pytest.fixture
def production_env(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("SITE_URL", "https://francais.example.org")
    monkeypatch.setenv("TRUSTED_HOSTS", "francais.example.org,localhost")
    for name in ("FLASK_DEBUG", "SESSION_COOKIE_SECURE", "FLASK_ENV"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_app_refuses_to_start_with_flask_debug_in_a_deployment(production_env):
    production_env.setenv("FLASK_DEBUG", "1")
    with pytest.raises(ConfigError, match="Debug mode is on"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_app_refuses_debug_set_in_its_configuration(production_env):
    with pytest.raises(ConfigError, match="Debug mode is on"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "DEBUG": True})


def test_debug_is_allowed_for_plain_http_development(production_env):
    production_env.setenv("FLASK_DEBUG", "1")
    production_env.setenv("SESSION_COOKIE_SECURE", "0")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).debug is True


def test_an_unexpected_error_shows_a_plain_page_without_internals(production_env):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.debug is False
    assert app.testing is False

    def broken() -> str:
        raise RuntimeError("secret internals: /srv/tutoring/password=hunter2")

    broken.__access__ = "public"  # type: ignore[attr-defined]
    app.add_url_rule("/casse", "broken", broken)
    response = app.test_client().get("/casse", base_url="https://localhost")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Erreur du serveur" in body
    for leak in ("Traceback", "RuntimeError", "hunter2", "Werkzeug Debugger"):
        assert leak not in body


@pytest.fixture
def workers_env(production_env, monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_CMD_ARGS", "RATELIMIT_STORAGE_URI"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("RATELIMIT_ENABLED", "1")
    monkeypatch.setattr("sys.argv", ["flask"])
    return monkeypatch


@pytest.mark.parametrize(
    ("variable", "value"),
    [("WEB_CONCURRENCY", "4"), ("GUNICORN_CMD_ARGS", "--workers 3 --bind 0:8000")],
)
def test_app_refuses_memory_rate_limits_with_several_workers(
    workers_env, variable, value
):
    """Each worker would count on its own: 100 card guesses per worker, not 100."""
    workers_env.setenv(variable, value)
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI is memory://"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_app_refuses_memory_rate_limits_under_gunicorn_with_workers(workers_env):
    workers_env.setattr(
        "sys.argv",
        ["/srv/tutoring/.venv/bin/gunicorn", "-w", "4", "tutoring:create_app()"],
    )
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI is memory://"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_memory_rate_limits_are_fine_for_one_worker_or_development(workers_env):
    workers_env.setenv("WEB_CONCURRENCY", "1")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    workers_env.setenv("WEB_CONCURRENCY", "4")
    workers_env.setenv("FLASK_DEBUG", "1")
    workers_env.setenv("SESSION_COOKIE_SECURE", "0")
    assert create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).debug is True
