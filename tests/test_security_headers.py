"""CSRF on every state-changing request, security headers, cookie flags."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, csrf_from
from tutoring import create_app
from tutoring.accounts.models import Role


def test_csrf_is_enforced_on_sign_in_and_sign_out(app, client, make):
    app.config["WTF_CSRF_ENABLED"] = True
    make.user("claire", Role.REFERENT)
    refused = client.post("/connexion", data={"login": "claire", "password": PASSWORD})
    assert refused.status_code == 400
    assert "Le formulaire a expiré" in refused.get_data(as_text=True)

    token = csrf_from(client.get("/connexion").get_data(as_text=True))
    accepted = client.post(
        "/connexion",
        data={"login": "claire", "password": PASSWORD, "csrf_token": token},
    )
    assert accepted.status_code == 302

    assert client.post("/deconnexion").status_code == 400  # no token: still signed in
    assert client.get("/compte/").status_code == 200
    token = csrf_from(client.get("/").get_data(as_text=True))
    assert client.post("/deconnexion", data={"csrf_token": token}).status_code == 302
    assert client.get("/compte/").status_code == 302


def test_csrf_is_enforced_on_language_choice_and_referent_actions(
    app, client, make, signed_in
):
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/langue", data={"lang": "ar"}).status_code == 400
    app.config["WTF_CSRF_ENABLED"] = False
    referent = signed_in(Role.REFERENT)
    profile_id, _ = make.learner(referent)
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/apprenants/{profile_id}/carte").status_code == 400
    assert (
        client.post("/apprenants/inscrire", data={"first_name": "Ali"}).status_code
        == 400
    )


def test_every_page_carries_the_security_headers(client):
    for path in ("/", "/connexion", "/carte", "/page-qui-n-existe-pas"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp
        assert "script-src 'self'" in csp
        assert "'unsafe-inline'" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "object-src 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "DENY"
        assert "Strict-Transport-Security" not in headers  # plain HTTP in tests


def test_https_deployment_gets_hsts_and_host_prefixed_secure_cookie(app_with, make):
    app = app_with(SESSION_COOKIE_SECURE=True)
    make.user("claire", Role.REFERENT)
    client = app.test_client()
    response = client.post(
        "/connexion",
        data={"login": "claire", "password": PASSWORD},
        base_url="https://localhost",
    )
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert flag in cookie
    assert "Domain" not in cookie
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_session_cookie_is_http_only_and_lax(client, make):
    make.user("claire", Role.REFERENT)
    cookie = client.post(
        "/connexion", data={"login": "claire", "password": PASSWORD}
    ).headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_signed_in_pages_are_not_cached(client, signed_in):
    signed_in(Role.REFERENT)
    assert client.get("/apprenants/").headers["Cache-Control"] == "no-store"


def test_production_refuses_to_start_without_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    import pytest

    from tutoring.core.config import ConfigError

    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_debug_mode_is_off_unless_asked(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("SITE_URL", "https://francais.example.org")
    monkeypatch.setenv("TRUSTED_HOSTS", "francais.example.org")
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.debug is False


@pytest.mark.parametrize(
    "path",
    [
        "/c/ABCD-EFGH-JKMN",  # a login card's QR code
        "/mot-de-passe/not-a-real-token",  # a password link
        "/attestation/ABCD-EFGH",  # an attestation's check code
        "/seances/agenda/not-a-real-token.ics",  # a private calendar feed
    ],
)
def test_pages_with_a_secret_in_the_url_are_never_cached_nor_referred(client, path):
    response = client.get(path)
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_other_public_pages_keep_the_same_origin_referrer(client):
    response = client.get("/connexion")
    assert response.headers["Referrer-Policy"] == "same-origin"
