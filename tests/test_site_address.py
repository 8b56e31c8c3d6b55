"""Absolute links are built on the configured site address, never on the Host header
an attacker sends; production refuses unknown hosts and a missing site address."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tutoring import create_app
from tutoring.accounts import users
from tutoring.accounts.models import Role
from tutoring.core.config import ConfigError

SITE = "https://francais.example.org"
EVIL = "http://evil.example"  # the Host header an attacker sends


@pytest.fixture
def site(app_with):
    """The app behind a proxy that passes any Host: only SITE_URL says the address."""
    return app_with(SITE_URL=SITE, SERVER_NAME=None)


def test_a_reset_link_ignores_a_forged_host_header(site, make, monkeypatch):
    make.user("marc", Role.TUTOR, email="marc@example.org")
    sent: list[str] = []
    monkeypatch.setattr(users, "send_mail", lambda to, subject, body: sent.append(body))
    response = site.test_client().post(
        "/mot-de-passe-oublie", data={"email": "marc@example.org"}, base_url=EVIL
    )
    assert response.status_code == 302
    assert len(sent) == 1
    assert f"{SITE}/mot-de-passe/" in sent[0]
    assert "evil.example" not in sent[0]


def test_card_calendar_and_attestation_links_ignore_a_forged_host(site, make):
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_user = make.learner(referent, first_name="Amina")
    staff = site.test_client()
    staff.post(
        "/connexion", data={"login": "claire", "password": PASSWORD}, base_url=EVIL
    )
    card = staff.post(f"/apprenants/{profile_id}/carte", base_url=EVIL)
    assert card.status_code == 200
    page = card.get_data(as_text=True)
    assert f"{SITE}/carte" in page
    assert "evil.example" not in page

    learner = site.test_client()
    code = make.card(learner_user, referent)
    learner.post("/carte", data={"code": code}, base_url=EVIL)
    feed = learner.post("/compte/agenda", data={"action": "new"}, base_url=EVIL)
    assert f'<code class="secret">{SITE}/' in feed.get_data(as_text=True)
    record = learner.post("/compte/attestation", base_url=EVIL)
    assert record.status_code == 200
    text = record.get_data(as_text=True)
    assert f"{SITE}/attestation/" in text
    assert "evil.example" not in text


def test_an_admin_password_link_ignores_a_forged_host(site, make):
    make.user("root", Role.ADMIN)
    target = make.user("paul", Role.TUTOR)
    admin = site.test_client()
    site.config["REQUIRE_2FA_ROLES"] = []
    admin.post(
        "/connexion", data={"login": "root", "password": PASSWORD}, base_url=EVIL
    )
    page = admin.post(f"/admin/comptes/{target}/lien-mot-de-passe", base_url=EVIL)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"{SITE}/mot-de-passe/" in text
    assert "evil.example" not in text


@pytest.fixture
def production(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 64)
    monkeypatch.setenv("SITE_URL", SITE)
    monkeypatch.setenv("TRUSTED_HOSTS", "francais.example.org")
    for name in ("FLASK_DEBUG", "SESSION_COOKIE_SECURE", "FLASK_ENV", "SERVER_NAME"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_production_answers_only_its_own_host_names(production):
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    client = app.test_client()
    good = client.get("/sante", base_url="https://francais.example.org")
    assert good.status_code == 200
    for path in ("/connexion", "/apprenants/", "/page-qui-n-existe-pas"):
        forged = client.get(path, base_url="https://evil.example")
        assert forged.status_code == 400
        assert "Adresse inconnue" in forged.get_data(as_text=True)
    forged = client.post("/mot-de-passe-oublie", base_url="https://evil.example")
    assert forged.status_code == 400


def test_production_refuses_to_start_without_a_site_address(production):
    production.delenv("SITE_URL")
    with pytest.raises(ConfigError, match="SITE_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    # SERVER_NAME (with PREFERRED_URL_SCHEME) is the other way to say it
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "SERVER_NAME": "francais.example.org",
            "PREFERRED_URL_SCHEME": "https",
        }
    )
    with app.app_context():
        assert users.password_link_token  # the app starts


def test_production_refuses_to_start_without_trusted_hosts(production):
    production.delenv("TRUSTED_HOSTS")
    with pytest.raises(ConfigError, match="TRUSTED_HOSTS"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


@pytest.mark.parametrize(
    "value",
    [
        "francais.example.org",
        "javascript:alert(1)",
        "https://a@b.example",
        "https://x.example/?q=1",
    ],
)
def test_an_unusable_site_url_is_refused(production, value):
    production.setenv("SITE_URL", value)
    with pytest.raises(ConfigError, match="SITE_URL"):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
