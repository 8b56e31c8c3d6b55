"""Login cards: printed by a referent, used by a learner, revoked at once."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from tests.conftest import card_login, login
from tutoring.accounts.models import AuditEvent, LoginCard, Role, User, UserSession
from tutoring.core.codes import (
    CARD_ALPHABET,
    CARD_ENTROPY_BITS,
    new_card_code,
    normalise_card_code,
)
from tutoring.core.extensions import db


def test_card_code_has_enough_entropy_and_no_lookalikes():
    assert CARD_ENTROPY_BITS >= 50
    assert not set("01ILOU") & set(CARD_ALPHABET)
    code = new_card_code()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert len({new_card_code() for _ in range(200)}) == 200


def test_typed_code_forgives_case_spaces_and_lookalikes():
    assert normalise_card_code(" k7m2 9qxd-f4tb ") == "K7M2-9QXD-F4TB"
    assert normalise_card_code("K7M2-9QXD-F4TO") == normalise_card_code(
        "K7M2-9QXD-F4T0"
    )
    assert normalise_card_code("trop court") is None
    assert normalise_card_code("") is None


def _referent_prints_card(client, make, signed_in):
    referent_id = signed_in(Role.REFERENT, username="claire")
    profile_id, user_id = make.learner(referent_id, first_name="Amina", locale="ar")
    response = client.post(f"/apprenants/{profile_id}/carte")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    code = re.search(r'<p class="code"[^>]*>([A-Z0-9-]{14})</p>', page).group(1)
    return profile_id, user_id, code, page


def test_referent_prints_a_bilingual_card_with_qr_code(client, make, signed_in):
    profile_id, _user_id, code, page = _referent_prints_card(client, make, signed_in)
    assert page.count(code) >= 2  # two cards on the A4 sheet
    assert "<svg" in page  # the QR code, drawn inline
    assert "Ma carte de connexion" in page
    assert 'lang="ar" dir="rtl"' in page
    stored = make.run(lambda: db.session.scalars(select(LoginCard.code_hash)).all())
    assert code not in stored  # only a hash is kept
    assert make.run(
        lambda: db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "login_card_issued")
        )
    )


def test_learner_signs_in_by_typing_the_code(app, make, signed_in, client):
    _profile_id, _user_id, code, _ = _referent_prints_card(client, make, signed_in)
    learner = app.test_client()
    response = card_login(learner, code.lower().replace("-", " "))
    assert response.status_code == 302
    home = learner.get("/").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in home  # the learner's own language
    assert 'id="objectif"' in home


def test_qr_link_fills_the_code_and_does_not_leak_it(app, make, signed_in, client):
    _profile_id, _user_id, code, _ = _referent_prints_card(client, make, signed_in)
    learner = app.test_client()
    response = learner.get(f"/c/{code}")
    assert response.status_code == 200
    assert f'value="{code}"' in response.get_data(as_text=True)
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert card_login(learner, code).status_code == 302


def test_revoked_card_stops_working_at_once(app, make, signed_in, client):
    profile_id, _user_id, code, _ = _referent_prints_card(client, make, signed_in)
    learner = app.test_client()
    card_login(learner, code)
    assert learner.get("/compte/").status_code == 200
    assert client.post(f"/apprenants/{profile_id}/carte/revoquer").status_code == 302
    assert learner.get("/compte/").status_code == 302  # the open session ended too
    response = card_login(app.test_client(), code)
    assert response.status_code == 401
    assert "Ce code ne fonctionne pas" in response.get_data(as_text=True)


def test_reprinting_replaces_the_old_code(app, make, signed_in, client):
    profile_id, _user_id, old_code, _ = _referent_prints_card(client, make, signed_in)
    response = client.post(f"/apprenants/{profile_id}/carte")
    new_code = re.search(
        r'<p class="code"[^>]*>([A-Z0-9-]{14})</p>', response.get_data(as_text=True)
    ).group(1)
    assert new_code != old_code
    assert card_login(app.test_client(), old_code).status_code == 401
    assert card_login(app.test_client(), new_code).status_code == 302


def test_wrong_codes_are_throttled_per_address(app, client):
    app.config["LOGIN_FAILURES_PER_IP"] = "3 per 15 minutes"
    for _ in range(3):
        assert card_login(client, "AAAA-BBBB-CCCC").status_code == 401
    assert card_login(client, "AAAA-BBBB-CCCC").status_code == 429


def test_learner_may_also_choose_a_password(app, make, signed_in, client):
    _profile_id, user_id, code, _ = _referent_prints_card(client, make, signed_in)
    learner = app.test_client()
    card_login(learner, code)
    response = learner.post(
        "/compte/mot-de-passe", data={"password": "mon jardin à Millau"}
    )
    assert response.status_code == 302
    username = make.run(
        lambda: (
            db.session.get(
                __import__("tutoring.accounts.models", fromlist=["User"]).User, user_id
            ).username
        )
    )
    assert login(app.test_client(), username, "mon jardin à Millau").status_code == 302


NEW_PASSWORD = "mon jardin à Millau"


def _finder_sets_a_password(app, code):
    """Whoever holds the card: signs in with it, chooses a password, reads the
    username in the data export. Returns (client, username)."""
    finder = app.test_client()
    assert card_login(finder, code).status_code == 302
    chosen = finder.post("/compte/mot-de-passe", data={"password": NEW_PASSWORD})
    assert chosen.status_code == 302
    export = finder.get("/compte/mes-donnees.json")
    username = re.search(r'"username": "([^"]+)"', export.get_data(as_text=True))
    assert username, export.get_data(as_text=True)[:300]
    return finder, username.group(1)


def test_revoking_the_card_ends_the_password_chosen_with_it(
    app, make, signed_in, client
):
    """Finding 1: a password set with a found card dies with the card."""
    profile_id, _user_id, code, _ = _referent_prints_card(client, make, signed_in)
    _finder, username = _finder_sets_a_password(app, code)
    assert login(app.test_client(), username, NEW_PASSWORD).status_code == 302
    assert client.post(f"/apprenants/{profile_id}/carte/revoquer").status_code == 302
    assert login(app.test_client(), username, NEW_PASSWORD).status_code == 401


def test_reprinting_the_card_ends_the_password_chosen_with_it(
    app, make, signed_in, client
):
    """Finding 1: the same when the referent prints a new card instead."""
    profile_id, _user_id, code, _ = _referent_prints_card(client, make, signed_in)
    _finder, username = _finder_sets_a_password(app, code)
    assert client.post(f"/apprenants/{profile_id}/carte").status_code == 200
    assert login(app.test_client(), username, NEW_PASSWORD).status_code == 401


def test_revoking_the_card_ends_two_factor_turned_on_with_it(
    app, make, signed_in, client
):
    """Finding 1: a finder's phone set up as second factor goes with the card, so
    the learner's new card (and the learner alone) signs in."""
    profile_id, user_id, code, _ = _referent_prints_card(client, make, signed_in)
    finder = app.test_client()
    card_login(finder, code)
    page = finder.get("/compte/double-authentification").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    finder.post(
        "/compte/double-authentification", data={"code": pyotp.TOTP(secret).now()}
    )
    assert make.run(lambda: db.session.get(User, user_id).totp_enabled_at)
    new_card = client.post(f"/apprenants/{profile_id}/carte").get_data(as_text=True)
    new_code = re.search(r'<p class="code"[^>]*>([A-Z0-9-]{14})</p>', new_card).group(1)
    learner = app.test_client()
    response = card_login(learner, new_code)
    assert response.headers["Location"] == "/"  # no code asked by the finder's phone
    assert learner.get("/compte/").status_code == 200


def test_a_later_first_password_needs_the_card_code(app, make, signed_in, client):
    """Finding 1: a card session left open (a shared computer) cannot be given a
    password without the card's code once the sign-in is a few minutes old."""
    _profile_id, user_id, code, _ = _referent_prints_card(client, make, signed_in)
    browser = app.test_client()
    card_login(browser, code)

    def sign_in_twenty_minutes_ago():
        for row in db.session.scalars(
            select(UserSession).where(UserSession.user_id == user_id)
        ):
            row.created_at -= timedelta(minutes=20)

    make.run(sign_in_twenty_minutes_ago)
    page = browser.get("/compte/mot-de-passe").get_data(as_text=True)
    assert 'name="card_code"' in page
    refused = browser.post("/compte/mot-de-passe", data={"password": NEW_PASSWORD})
    assert refused.status_code == 400
    # In the learner's language (Arabic): "type the code written on your card".
    assert "اكتب الرمز المكتوب على بطاقتك" in refused.get_data(as_text=True)
    wrong = browser.post(
        "/compte/mot-de-passe",
        data={"password": NEW_PASSWORD, "card_code": "AAAA-BBBB-CCCC"},
    )
    assert wrong.status_code == 400
    assert "هذا ليس رمز بطاقتك" in wrong.get_data(as_text=True)  # not your card's
    assert make.run(lambda: db.session.get(User, user_id).password_hash) is None
    right = browser.post(
        "/compte/mot-de-passe", data={"password": NEW_PASSWORD, "card_code": code}
    )
    assert right.status_code == 302


def test_referent_sees_and_removes_a_password_and_two_factor(
    app, make, signed_in, client
):
    """Finding 1: the learner's page tells whether the account has a password and
    two-factor, with a button to remove them."""
    profile_id, user_id, code, _ = _referent_prints_card(client, make, signed_in)
    page = client.get(f"/apprenants/{profile_id}").get_data(as_text=True)
    assert "Autres moyens de connexion" in page
    assert f"/apprenants/{profile_id}/connexion/retirer" not in page
    finder, username = _finder_sets_a_password(app, code)
    page = client.get(f"/apprenants/{profile_id}").get_data(as_text=True)
    assert re.search(r"<dt>Mot de passe</dt><dd>oui</dd>", page)
    assert f"/apprenants/{profile_id}/connexion/retirer" in page
    removed = client.post(f"/apprenants/{profile_id}/connexion/retirer")
    assert removed.status_code == 302
    assert login(app.test_client(), username, NEW_PASSWORD).status_code == 401
    assert finder.get("/compte/").status_code == 302  # its session ended too
    assert card_login(app.test_client(), code).status_code == 302  # the card works
    assert make.run(lambda: db.session.get(User, user_id).password_hash) is None


def test_another_structure_cannot_remove_a_learners_password(
    app, make, signed_in, client
):
    profile_id, _user_id, code, _ = _referent_prints_card(client, make, signed_in)
    _finder, username = _finder_sets_a_password(app, code)
    make.user("paul", Role.REFERENT, structure="CCAS de Millau")
    other = app.test_client()
    login(other, "paul")
    assert other.post(f"/apprenants/{profile_id}/connexion/retirer").status_code == 404
    assert login(app.test_client(), username, NEW_PASSWORD).status_code == 302
