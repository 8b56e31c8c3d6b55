"""Failed sign-ins are counted per account, whatever login names it, and a locked-out
owner can unlock the account at once with the e-mailed link."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD, login
from tutoring.accounts.models import Role

WRONG = "mauvais mot de passe"


def _lock(client, login_text: str) -> None:
    for _ in range(10):
        assert login(client, login_text, WRONG).status_code == 401


@pytest.mark.parametrize("other", ["ref2@example.org", "REF2@Example.org", " Ref2 "])
def test_another_spelling_of_a_locked_account_is_locked_too(client, make, other):
    make.user("ref2", Role.REFERENT, email="ref2@example.org")
    _lock(client, "ref2")
    assert login(client, other, WRONG).status_code == 429


def test_guesses_spread_over_username_and_email_share_one_counter(client, make):
    make.user("ref2", Role.REFERENT, email="ref2@example.org")
    for i in range(10):
        typed = "ref2" if i % 2 else "Ref2@example.org"
        assert login(client, typed, WRONG).status_code == 401
    assert login(client, "ref2@example.org", WRONG).status_code == 429


def test_a_locked_account_page_says_how_to_unlock_it(client, make):
    make.user("claire", Role.REFERENT, email="claire@example.org")
    _lock(client, "claire")
    response = login(client, "claire")
    assert response.status_code == 429
    body = response.get_data(as_text=True)
    assert "Pour le débloquer tout de suite" in body
    assert 'href="/mot-de-passe-oublie"' in body


def test_the_owner_unlocks_the_account_with_the_mailed_link(client, make, mailbox):
    make.user("claire", Role.REFERENT, email="claire@example.org")
    _lock(client, "claire")
    assert login(client, "claire").status_code == 429
    client.post("/mot-de-passe-oublie", data={"email": "claire@example.org"})
    link = mailbox.link("claire@example.org", "/mot-de-passe/")
    new_password = "un autre mot de passe assez long"
    response = client.post(link, data={"password": new_password})
    assert response.status_code == 302
    assert login(client, "claire", new_password).status_code == 302


def test_an_attacker_cannot_unlock_without_the_mailbox(client, make, mailbox):
    make.user("claire", Role.REFERENT, email="claire@example.org")
    _lock(client, "claire")
    client.post("/mot-de-passe-oublie", data={"email": "claire@example.org"})
    assert login(client, "claire", WRONG).status_code == 429
    assert login(client, "claire@example.org", PASSWORD).status_code == 429
