"""Shared computers: a referent marks one (a long-lived cookie, its hash stored),
lists and revokes them; there every sign-in is a shared-computer one (ticked box
locked, nothing cached, short idle timeout enforced on the server) and signing out
clears the site's storage while the computer's mark survives."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD, card_login, login, logout
from tutoring.accounts import shared
from tutoring.accounts import signin as signin_module
from tutoring.accounts.models import AuditEvent, Role, SharedComputer, UserSession
from tutoring.core.codes import digest
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

PAGE = "/structure/postes-partages"
BOX_RE = re.compile(r'<input[^>]*id="shared_device"[^>]*>')


def _mark(client, label: str = "Accueil – poste 7"):
    return client.post(PAGE, data={"label": label})


@pytest.fixture
def computer(app, make):
    """A browser the referent « claire » marked as a shared computer, signed out."""
    make.user("claire", Role.REFERENT)
    client = app.test_client()
    login(client, "claire")
    assert _mark(client).status_code == 302
    logout(client)
    return client


def _rows(make) -> list[SharedComputer]:
    return make.run(
        lambda: list(db.session.scalars(select(SharedComputer).order_by("id")))
    )


def test_marking_sets_a_long_lived_httponly_cookie_whose_hash_is_stored(
    app, make, client
):
    make.user("claire", Role.REFERENT)
    login(client, "claire")
    response = _mark(client)
    assert response.status_code == 302
    cookie = next(
        c
        for c in response.headers.getlist("Set-Cookie")
        if c.startswith(shared.COMPUTER_COOKIE + "=")
    )
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Max-Age=31536000" in cookie
    token = client.get_cookie(shared.COMPUTER_COOKIE).value
    (row,) = _rows(make)
    assert row.token_hash == digest(token) != token
    assert row.label == "Accueil – poste 7"
    actions = make.run(lambda: list(db.session.scalars(select(AuditEvent.action))))
    assert "shared_computer_added" in actions


def test_the_cookie_is_secure_over_https(app_with, make):
    app = app_with(SESSION_COOKIE_SECURE=True)
    make.user("claire", Role.REFERENT)
    client = app.test_client()
    https = "https://localhost"
    assert login_https(client, https).status_code == 302
    response = client.post(PAGE, data={"label": "Poste 1"}, base_url=https)
    cookie = next(
        c
        for c in response.headers.getlist("Set-Cookie")
        if c.startswith(shared.COMPUTER_COOKIE + "=")
    )
    assert "Secure" in cookie


def login_https(client, base_url: str):
    return client.post(
        "/connexion",
        data={"login": "claire", "password": PASSWORD},
        base_url=base_url,
    )


def test_the_referent_lists_and_revokes_the_computers(app, make, computer):
    login(computer, "claire")
    page = computer.get(PAGE).get_data(as_text=True)
    assert "Accueil – poste 7" in page
    assert "cet ordinateur" in page
    assert "dernière connexion" in page
    (row,) = _rows(make)
    response = computer.post(f"{PAGE}/{row.id}/retirer")
    assert response.status_code == 302
    assert _rows(make)[0].revoked_at is not None
    # Revoked on this very computer: its cookie goes too.
    assert computer.get_cookie(shared.COMPUTER_COOKIE) is None
    page = computer.get(PAGE).get_data(as_text=True)
    assert "Aucun poste partagé pour l’instant." in page
    actions = make.run(lambda: list(db.session.scalars(select(AuditEvent.action))))
    assert "shared_computer_removed" in actions


def test_a_revoked_computer_no_longer_counts(app, make, computer):
    referent = app.test_client()
    login(referent, "claire")
    (row,) = _rows(make)
    referent.post(f"{PAGE}/{row.id}/retirer")
    assert computer.get_cookie(shared.COMPUTER_COOKIE) is not None  # still there
    page = computer.get("/connexion").get_data(as_text=True)
    assert "disabled" not in page  # the box can be left unticked again
    assert 'data-shared-computer="false"' in page
    make.user("marc", Role.REFERENT, structure="Association Myriade")
    login(computer, "marc")
    assert _session_shared(make, "marc") is False


def test_another_structure_cannot_see_or_revoke_the_computer(app, make, computer):
    make.user("olga", Role.REFERENT, structure="Autre structure")
    other = app.test_client()
    login(other, "olga")
    assert "Accueil – poste 7" not in other.get(PAGE).get_data(as_text=True)
    (row,) = _rows(make)
    assert other.post(f"{PAGE}/{row.id}/retirer").status_code == 404
    assert _rows(make)[0].revoked_at is None


def test_a_learner_cannot_mark_a_computer(app, make, learner):
    assert _mark(learner).status_code == 403
    assert _rows(make) == []


def test_a_name_is_required_and_bounded(app, make, client):
    make.user("claire", Role.REFERENT)
    login(client, "claire")
    assert _mark(client, "").status_code == 400
    assert _mark(client, "x" * 81).status_code == 400
    assert _rows(make) == []
    assert client.get_cookie(shared.COMPUTER_COOKIE) is None


def _session_shared(make, username: str) -> bool:
    from tutoring.accounts.models import User

    return make.run(
        lambda: db.session.scalar(
            select(UserSession.shared_device)
            .join(User, User.id == UserSession.user_id)
            .where(User.username == username)
            .order_by(UserSession.id.desc())
        )
    )


def test_on_a_marked_computer_the_box_is_ticked_and_locked(app, make, computer):
    for url in ("/connexion", "/carte"):
        page = computer.get(url).get_data(as_text=True)
        assert 'data-shared-computer="true"' in page
        box = BOX_RE.search(page)
        assert box is not None, url
        assert "checked" in box.group(0)
        assert "disabled" in box.group(0)
        assert "Cet ordinateur est un poste partagé de la structure." in page
    page = computer.get("/connexion").get_data(as_text=True)
    login_field = re.search(r'<input[^>]*id="login"[^>]*>', page).group(0)
    assert 'autocomplete="off"' in login_field
    # Unticked (a disabled box is not sent): the session is a shared one anyway.
    make.user("marc", Role.REFERENT)
    assert login(computer, "marc").status_code == 302
    assert _session_shared(make, "marc") is True
    (row,) = _rows(make)
    assert row.last_seen_at is not None


def test_elsewhere_the_box_is_free_and_off_by_default(app, make, client):
    make.user("marc", Role.REFERENT)
    page = client.get("/connexion").get_data(as_text=True)
    assert 'data-shared-computer="false"' in page
    assert "disabled" not in page
    login(client, "marc")
    assert _session_shared(make, "marc") is False


def test_every_page_of_a_marked_computer_is_no_store(app, make, computer):
    for url in ("/", "/connexion", "/carte", "/images"):
        response = computer.get(url)
        assert response.headers["Cache-Control"] == "no-store", url
        assert response.headers["Pragma"] == "no-cache", url
    login(computer, "claire")
    response = computer.get("/compte/")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Pragma"] == "no-cache"


def test_a_ticked_box_elsewhere_makes_every_page_no_store(app, make, client):
    make.user("marc", Role.REFERENT)
    login(client, "marc", shared_device="y")
    for url in ("/", "/compte/"):
        response = client.get(url)
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Pragma"] == "no-cache"
        assert 'data-shared-computer="true"' in response.get_data(as_text=True)


def test_an_anonymous_page_elsewhere_may_be_cached(app, client):
    response = client.get("/connexion")
    assert response.headers.get("Cache-Control") != "no-store"
    assert 'data-shared-computer="false"' in response.get_data(as_text=True)


def test_the_shared_session_expires_on_the_server_after_the_idle_time(
    app, make, computer, monkeypatch
):
    make.user("marc", Role.REFERENT)
    login(computer, "marc")
    assert computer.get("/compte/").status_code == 200
    start = utcnow()
    idle = app.config["SESSION_IDLE_MINUTES_SHARED"]
    monkeypatch.setattr(
        signin_module, "utcnow", lambda: start + timedelta(minutes=idle - 1)
    )
    assert computer.get("/compte/").status_code == 200  # still there: moves the time
    monkeypatch.setattr(
        signin_module,
        "utcnow",
        lambda: (
            start + timedelta(minutes=idle - 1) + timedelta(minutes=idle, seconds=1)
        ),
    )
    response = computer.get("/compte/")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_the_countdown_starts_from_the_last_activity(app, make, computer):
    make.user("marc", Role.REFERENT)
    login(computer, "marc")
    page = computer.get("/").get_data(as_text=True)
    idle = app.config["SESSION_IDLE_MINUTES_SHARED"] * 60
    assert f'data-remaining="{idle}"' in page or f'data-remaining="{idle - 1}"' in page
    assert "Vous allez être déconnecté dans 1 minute." in page
    assert "Je suis encore là" in page
    assert 'role="alert"' in page


def test_still_here_starts_the_idle_time_again(app, make, computer, monkeypatch):
    make.user("marc", Role.REFERENT)
    login(computer, "marc")
    start = utcnow()
    idle = app.config["SESSION_IDLE_MINUTES_SHARED"]
    later = start + timedelta(minutes=idle - 1)
    monkeypatch.setattr(signin_module, "utcnow", lambda: later)
    monkeypatch.setattr("tutoring.accounts.views.shared.utcnow", lambda: later)
    response = computer.post(
        "/compte/encore-la", headers={"Accept": "application/json"}
    )
    assert response.status_code == 200
    assert response.get_json() == {"remaining": idle * 60}
    # Without the script, the form goes back to the page.
    response = computer.post("/compte/encore-la", data={"next": "/compte/"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/compte/"
    monkeypatch.setattr(
        signin_module, "utcnow", lambda: later + timedelta(minutes=idle - 1)
    )
    assert computer.get("/compte/").status_code == 200


def test_still_here_needs_a_session(client):
    response = client.post("/compte/encore-la")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_the_big_terminer_button_signs_out_to_the_sign_in_page(app, make, computer):
    make.user("marc", Role.REFERENT)
    login(computer, "marc")
    page = computer.get("/").get_data(as_text=True)
    assert 'class="logout terminate"' in page
    assert "Terminer" in page
    response = logout(computer)
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion?fin=1"
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert "cookies" not in response.headers["Clear-Site-Data"]
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("session="))
    assert "Expires=Thu, 01 Jan 1970" in session_cookie  # expired
    assert not any(c.startswith(shared.COMPUTER_COOKIE + "=") for c in cookies)
    assert computer.get_cookie(shared.COMPUTER_COOKIE) is not None  # mark survives
    assert computer.get_cookie("session") is None
    page = computer.get("/connexion?fin=1").get_data(as_text=True)
    assert "Vous êtes déconnecté. À bientôt !" in page
    assert computer.get("/compte/").status_code == 302


def test_a_ticked_sign_in_also_expires_the_cookie_on_sign_out(app, make, client):
    make.user("marc", Role.REFERENT)
    login(client, "marc", shared_device="y")
    response = logout(client)
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get_cookie("session") is None


def test_every_sign_out_clears_the_site_data(app, make, client):
    make.user("marc", Role.REFERENT)
    login(client, "marc")
    response = logout(client)
    assert response.status_code == 302
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert client.get("/compte/").status_code == 302


def test_a_card_sign_in_on_a_marked_computer_is_shared(app, make, computer):
    referent = make.run(lambda: db.session.scalar(select(SharedComputer.added_by_id)))
    _profile, learner_id = make.learner(referent, first_name="Yasmine")
    code = make.card(learner_id, referent)
    assert card_login(computer, code).status_code == 302
    page = computer.get("/").get_data(as_text=True)
    assert "Continuer sur mon téléphone" in page
    assert "Terminer" in page
    shared_flag = make.run(
        lambda: db.session.scalar(
            select(UserSession.shared_device).where(UserSession.user_id == learner_id)
        )
    )
    assert shared_flag is True
