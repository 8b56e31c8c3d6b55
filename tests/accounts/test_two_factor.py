"""Two-factor sign-in: required for coordinators and admins, offered to others."""

from __future__ import annotations

import re
import time

import pyotp
from sqlalchemy import select

from tests.conftest import PASSWORD, card_login, login
from tutoring.accounts.models import RecoveryCode, Role, User
from tutoring.core.database import utcnow
from tutoring.core.extensions import db


def test_coordinator_without_2fa_must_set_it_up_first(client, make):
    make.user("julien", Role.COORDINATOR)
    response = login(client, "julien")
    assert response.status_code == 302
    for page in ("/", "/coordination/", "/compte/"):
        blocked = client.get(page)
        assert blocked.status_code == 302
        assert blocked.headers["Location"] == "/compte/double-authentification"
    setup = client.get("/compte/double-authentification")
    assert setup.status_code == 200
    assert "Votre rôle exige la double authentification" in setup.get_data(as_text=True)


def _enable(client):
    page = client.get("/compte/double-authentification").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post(
        "/compte/double-authentification", data={"code": pyotp.TOTP(secret).now()}
    )
    assert response.status_code == 200
    codes = re.findall(
        r"<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>",
        response.get_data(as_text=True),
    )
    assert len(codes) == 10
    return secret, codes


def test_setup_then_sign_in_asks_for_the_code(app, client, make):
    make.user("julien", Role.COORDINATOR)
    login(client, "julien")
    secret, _codes = _enable(client)
    assert client.get("/coordination/").status_code == 200

    other = app.test_client()
    response = login(other, "julien")
    assert response.headers["Location"] == "/connexion/code"
    assert other.get("/coordination/").status_code == 302  # not signed in yet
    wrong = other.post("/connexion/code", data={"code": "000000"})
    assert wrong.status_code == 401
    # The setup code is used up: the next step's code signs in (a clock ahead).
    following = pyotp.TOTP(secret).at(time.time() + 30)
    right = other.post("/connexion/code", data={"code": following})
    assert right.status_code == 302
    assert other.get("/coordination/").status_code == 200


def test_wrong_setup_code_is_refused(client, make):
    make.user("julien", Role.COORDINATOR)
    login(client, "julien")
    client.get("/compte/double-authentification")
    response = client.post("/compte/double-authentification", data={"code": "123456"})
    assert response.status_code == 400
    assert "Ce code ne correspond pas" in response.get_data(as_text=True)


def test_recovery_code_works_once(app, client, make):
    user_id = make.user("julien", Role.COORDINATOR)
    login(client, "julien")
    _secret, codes = _enable(client)
    first = app.test_client()
    login(first, "julien")
    assert (
        first.post("/connexion/code", data={"code": codes[0].upper()}).status_code
        == 302
    )
    again = app.test_client()
    login(again, "julien")
    assert again.post("/connexion/code", data={"code": codes[0]}).status_code == 401
    used = make.run(
        lambda: len(
            db.session.scalars(
                select(RecoveryCode).where(
                    RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_not(None)
                )
            ).all()
        )
    )
    assert used == 1


def test_second_factor_attempts_are_throttled(app, client, make):
    make.user("julien", Role.COORDINATOR, totp_secret=pyotp.random_base32())
    login(client, "julien")
    for _ in range(10):
        assert (
            client.post("/connexion/code", data={"code": "000000"}).status_code == 401
        )
    assert client.post("/connexion/code", data={"code": "000000"}).status_code == 429


def test_referent_may_choose_2fa_and_turn_it_off(client, make):
    user_id = make.user("claire", Role.REFERENT)
    login(client, "claire")
    assert client.get("/").status_code == 200  # not required for referents
    _enable(client)
    response = client.post(
        "/compte/double-authentification/desactiver", data={"proof": PASSWORD}
    )
    assert response.status_code == 302
    assert make.run(lambda: db.session.get(User, user_id).totp_enabled_at) is None


def test_required_2fa_cannot_be_turned_off(client, make):
    user_id = make.user("julien", Role.COORDINATOR)
    login(client, "julien")
    _enable(client)
    client.post("/compte/double-authentification/desactiver")
    assert make.run(lambda: db.session.get(User, user_id).totp_enabled_at) is not None


def test_configuration_decides_which_roles_need_2fa(app, client, make):
    app.config["REQUIRE_2FA_ROLES"] = []
    make.user("julien", Role.COORDINATOR)
    login(client, "julien")
    assert client.get("/coordination/").status_code == 200


def _signed_in_with_2fa(app, make):
    """Julien, coordinator with two-factor on; returns his secret."""
    secret = pyotp.random_base32()
    make.user("julien", Role.COORDINATOR, totp_secret=secret)
    return secret


def test_a_code_signs_in_once_only(app, make):
    """Finding 5: a code seen over a shoulder (or typed twice) cannot be replayed."""
    secret = _signed_in_with_2fa(app, make)
    code = pyotp.TOTP(secret).now()
    first = app.test_client()
    login(first, "julien")
    assert first.post("/connexion/code", data={"code": code}).status_code == 302
    thief = app.test_client()
    login(thief, "julien")
    replay = thief.post("/connexion/code", data={"code": code})
    assert replay.status_code == 401
    assert thief.get("/coordination/").status_code == 302  # not signed in


def test_an_earlier_code_is_refused_after_a_later_one(app, make):
    """Finding 5: once a step's code was accepted, the previous step's is refused."""
    secret = _signed_in_with_2fa(app, make)
    totp = pyotp.TOTP(secret)
    now = time.time()
    first = app.test_client()
    login(first, "julien")
    assert first.post("/connexion/code", data={"code": totp.at(now)}).status_code == 302
    other = app.test_client()
    login(other, "julien")
    previous = totp.at(now - 30)
    assert other.post("/connexion/code", data={"code": previous}).status_code == 401


def test_second_factor_failures_count_per_address_too(app, make):
    """Finding 5: guesses spread over several accounts still hit the address limit."""
    app.config["LOGIN_FAILURES_PER_IP"] = "3 per 15 minutes"
    for name in ("julien", "sophie"):
        make.user(name, Role.COORDINATOR, totp_secret=pyotp.random_base32())
    client = app.test_client()
    statuses = []
    for name in ("julien", "sophie"):
        login(client, name)
        for _ in range(2):
            statuses.append(
                client.post("/connexion/code", data={"code": "000000"}).status_code
            )
    assert statuses == [401, 401, 401, 429]


def _learner_with_card(app, make, *, secret=None):
    """Amina, enrolled by Claire, with a printed card (and two-factor if `secret`)."""
    referent = make.user("claire", Role.REFERENT)
    _profile_id, user_id = make.learner(referent, first_name="Amina")
    code = make.card(user_id, referent)
    if secret:

        def turn_on():
            user = db.session.get(User, user_id)
            user.totp_secret = secret
            user.totp_enabled_at = utcnow()

        make.run(turn_on)
    return user_id, code


def test_card_sign_in_asks_for_the_code_too(app, make):
    """Finding 10: the card replaces the password, not the second factor."""
    secret = pyotp.random_base32()
    _user_id, code = _learner_with_card(app, make, secret=secret)
    finder = app.test_client()
    response = card_login(finder, code)
    assert response.status_code == 302
    assert response.headers["Location"] == "/connexion/code"
    assert finder.get("/compte/").status_code == 302  # nobody signed in yet
    assert "/connexion" in finder.get("/compte/").headers["Location"]
    assert finder.post("/connexion/code", data={"code": "000000"}).status_code == 401
    right = finder.post("/connexion/code", data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    assert finder.get("/compte/").status_code == 200


def test_a_session_that_skipped_the_code_ends_instead_of_looping(app, make):
    """Finding 10: a card session opened before two-factor was turned on elsewhere
    does not bounce between the set-up page and the account page."""
    _user_id, code = _learner_with_card(app, make)
    phone, library = app.test_client(), app.test_client()
    card_login(phone, code)
    card_login(library, code)
    _enable(phone)
    for page in ("/compte/", "/compte/double-authentification"):
        response = library.get(page)
        assert response.status_code == 302
        assert response.headers["Location"] not in (
            "/compte/",
            "/compte/double-authentification",
        )
    assert phone.get("/compte/").status_code == 200


def test_an_open_session_alone_cannot_turn_two_factor_off(client, make):
    """Finding 7: whoever sits at a signed-in browser (CSRF token in hand) must
    also know the password or hold the phone to turn two-factor off."""
    user_id = make.user("claire", Role.REFERENT)
    login(client, "claire")
    secret, _codes = _enable(client)
    for data in ({}, {"proof": "pas le bon mot de passe"}, {"proof": "000000"}):
        response = client.post("/compte/double-authentification/desactiver", data=data)
        assert response.status_code in (400, 401)
        assert make.run(lambda: db.session.get(User, user_id).totp_enabled_at)
    assert "ce code est incorrect" in response.get_data(as_text=True)
    code = pyotp.TOTP(secret).at(time.time() + 30)  # the setup code is used up
    response = client.post(
        "/compte/double-authentification/desactiver", data={"proof": code}
    )
    assert response.status_code == 302
    assert make.run(lambda: db.session.get(User, user_id).totp_enabled_at) is None


def test_an_open_session_alone_cannot_renew_recovery_codes(client, make):
    """Finding 7: new recovery codes (which replace the phone) need a proof too."""
    make.user("claire", Role.REFERENT)
    login(client, "claire")
    _secret, codes = _enable(client)
    refused = client.post("/compte/codes-de-secours", data={})
    assert refused.status_code == 400
    assert "Tapez votre mot de passe" in refused.get_data(as_text=True)
    wrong = client.post("/compte/codes-de-secours", data={"proof": "000000"})
    assert wrong.status_code == 401
    other = make.run(lambda: db.session.scalars(select(RecoveryCode.code_hash)).all())
    assert len(other) == 10  # the old codes still stand
    renewed = client.post("/compte/codes-de-secours", data={"proof": PASSWORD})
    assert renewed.status_code == 200
    fresh = re.findall(
        r"<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})</code>",
        renewed.get_data(as_text=True),
    )
    assert len(fresh) == 10
    assert not set(fresh) & set(codes)


def test_proof_failures_share_the_account_limit(app, client, make):
    """Finding 5 and 7: codes guessed on the account page count with those typed
    at sign-in, towards the one limit of the account."""
    app.config["LOGIN_FAILURES_PER_ACCOUNT"] = "3 per 15 minutes"
    make.user("claire", Role.REFERENT)
    login(client, "claire")
    _enable(client)
    guesser = app.test_client()
    login(guesser, "claire")
    for _ in range(2):
        assert (
            guesser.post("/connexion/code", data={"code": "000000"}).status_code == 401
        )
    statuses = [
        client.post("/compte/codes-de-secours", data={"proof": "000000"}).status_code
        for _ in range(2)
    ]
    assert statuses == [401, 429]
    assert guesser.post("/connexion/code", data={"code": "000000"}).status_code == 429
