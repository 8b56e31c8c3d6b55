"""Sign-in and sign-out with a password: sessions live on the server."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.conftest import PASSWORD, login, logout
from tutoring.accounts.models import Role, UserSession
from tutoring.core.database import utcnow
from tutoring.core.extensions import db


def test_password_sign_in_lands_on_home(client, make):
    make.user("claire", Role.REFERENT)
    response = login(client, "claire")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Bonjour Claire" in client.get("/").get_data(as_text=True)


def test_sign_in_with_email_any_case(client, make):
    make.user("marc", Role.TUTOR, email="marc@example.org")
    assert login(client, "MARC@Example.org").status_code == 302


def test_wrong_password_answers_401_with_message(client, make):
    make.user("claire", Role.REFERENT)
    response = login(client, "claire", "pas le bon mot de passe")
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in response.get_data(as_text=True)


def test_unknown_account_gets_the_same_answer(client):
    response = login(client, "personne", "pas le bon mot de passe")
    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in response.get_data(as_text=True)


def test_disabled_account_cannot_sign_in(client, make):
    user_id = make.user("claire", Role.REFERENT)
    make.run(
        lambda: setattr(
            db.session.get(
                __import__("tutoring.accounts.models", fromlist=["User"]).User, user_id
            ),
            "active",
            False,
        )
    )
    assert login(client, "claire").status_code == 401


def test_empty_form_answers_400_with_field_errors(client):
    response = client.post("/connexion", data={})
    assert response.status_code == 400
    assert "Indiquez votre identifiant ou votre e-mail." in response.get_data(
        as_text=True
    )


def test_sign_out_invalidates_a_copied_cookie(app, make):
    make.user("claire", Role.REFERENT)
    client = app.test_client()
    login(client, "claire")
    stolen = client.get_cookie("session").value
    assert client.get("/compte/").status_code == 200
    logout(client)
    thief = app.test_client()
    thief.set_cookie("session", stolen, domain="localhost")
    response = thief.get("/compte/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion")


def test_each_sign_in_gets_a_new_session(client, make):
    make.user("claire", Role.REFERENT)
    login(client, "claire")
    first = client.get_cookie("session").value
    logout(client)
    login(client, "claire")
    assert client.get_cookie("session").value != first
    tokens = make.run(lambda: db.session.scalars(select(UserSession.token_hash)).all())
    assert len(set(tokens)) == 2


def _age_sessions(make, minutes: int, *, created: bool = False) -> None:
    then = utcnow() - timedelta(minutes=minutes)
    values = {"last_seen_at": then}
    if created:
        values["created_at"] = then
    make.run(lambda: db.session.execute(update(UserSession).values(**values)))


def test_idle_session_expires_after_30_minutes(client, make):
    make.user("claire", Role.REFERENT)
    login(client, "claire")
    _age_sessions(make, 29)
    assert client.get("/compte/").status_code == 200
    _age_sessions(make, 31)
    assert client.get("/compte/").status_code == 302


def test_shared_computer_session_expires_after_10_minutes(client, make):
    make.user("claire", Role.REFERENT)
    login(client, "claire", shared_device="y")
    page = client.get("/").get_data(as_text=True)
    assert "Ordinateur partagé" in page
    assert "Terminer" in page  # the big sign-out button of a shared computer
    _age_sessions(make, 11)
    assert client.get("/compte/").status_code == 302


def test_shared_computer_cookie_is_not_kept_after_closing(client, make):
    make.user("claire", Role.REFERENT)
    response = login(client, "claire", shared_device="y")
    cookie = response.headers["Set-Cookie"]
    assert "Expires=" not in cookie  # a browser session cookie
    response = login(client, "claire")  # already signed in: redirected
    assert response.status_code == 302


def test_session_has_an_absolute_limit_of_12_hours(client, make):
    make.user("claire", Role.REFERENT)
    login(client, "claire")
    _age_sessions(make, 12 * 60 + 1, created=True)
    make.run(
        lambda: db.session.execute(update(UserSession).values(last_seen_at=utcnow()))
    )
    assert client.get("/compte/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "////evil.example",
        "/\\evil.example",
        "https://evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "evil.example",
    ],
)
def test_next_never_leaves_the_site(client, make, target):
    make.user("claire", Role.REFERENT)
    response = login(client, "claire", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_to_a_local_page_is_followed(client, make):
    make.user("claire", Role.REFERENT)
    response = login(client, "claire", next="/apprenants/?q=a")
    assert response.headers["Location"] == "/apprenants/?q=a"


def test_protected_page_sends_to_sign_in_with_next(client):
    response = client.get("/apprenants/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion?next=%2Fapprenants%2F"


def test_ten_failures_lock_the_account_for_15_minutes(client, make):
    make.user("claire", Role.REFERENT)
    for _ in range(10):
        assert login(client, "claire", "mauvais mot de passe").status_code == 401
    response = login(client, "claire")  # even the right password now waits
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Trop de tentatives" in body
    assert "Réessayez dans 15 minutes." in body
    # Another account from the same address is not locked.
    make.user("marc", Role.TUTOR)
    assert login(client, "marc").status_code == 302


def test_successful_sign_ins_do_not_count_as_failures(client, make):
    make.user("claire", Role.REFERENT)
    for _ in range(12):
        assert login(client, "claire").status_code == 302
        logout(client)


def test_per_address_limit_covers_many_accounts(client, make, app):
    app.config["LOGIN_FAILURES_PER_IP"] = "5 per 15 minutes"
    for i in range(5):
        assert login(client, f"inconnu{i}", "mauvais mot de passe").status_code == 401
    assert login(client, "autre", "mauvais mot de passe").status_code == 429


def test_password_is_hashed_with_argon2id_owasp_parameters(make):
    from tutoring.accounts.models import User

    user_id = make.user("claire", Role.REFERENT)
    stored = make.run(lambda: db.session.get(User, user_id).password_hash)
    assert stored.startswith("$argon2id$")
    params = dict(p.split("=") for p in stored.split("$")[3].split(","))
    assert int(params["m"]) >= 19456
    assert int(params["t"]) >= 2
    assert params["p"] == "1"
    assert PASSWORD not in stored
