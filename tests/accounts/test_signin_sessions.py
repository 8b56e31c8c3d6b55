"""A person sees the browsers where their account is open and ends the others
(ASVS 3.3.4); nobody ends someone else's session."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.conftest import login
from tutoring.accounts.models import Role, User, UserSession
from tutoring.accounts.signin import describe_device
from tutoring.core.extensions import db

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
WINDOWS_FIREFOX = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
)
ANDROID_TABLET_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
ANDROID_PHONE_SAMSUNG = (
    "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80"
)
END_ACTION = re.compile(r'action="(/compte/connexions/\d+/terminer)"')


def _browser(app, user_agent: str, username: str, **extra):
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    assert login(client, username, **extra).status_code == 302
    return client


def _signed_in(client) -> bool:
    return client.get("/compte/").status_code == 200


@pytest.fixture
def claire(make) -> str:
    make.user("claire", Role.REFERENT)
    return "claire"


def test_the_account_page_lists_the_open_sessions(app, claire):
    _browser(app, IPHONE, claire)
    computer = _browser(app, WINDOWS_FIREFOX, claire, shared_device="y")
    page = computer.get("/compte/").get_data(as_text=True)
    assert "Mes connexions" in page
    assert "Téléphone, Safari" in page
    assert "Ordinateur, Firefox" in page
    assert "ordinateur partagé" in page
    assert "c’est cette connexion" in page
    assert len(END_ACTION.findall(page)) == 1  # the phone's, not this one's
    assert "Terminer toutes les autres" in page


def test_ending_a_session_signs_that_browser_out(app, claire):
    phone = _browser(app, IPHONE, claire)
    computer = _browser(app, WINDOWS_FIREFOX, claire)
    (action,) = END_ACTION.findall(computer.get("/compte/").get_data(as_text=True))
    response = computer.post(action)
    assert response.status_code == 302
    assert "Cette connexion est terminée." in computer.get("/compte/").get_data(
        as_text=True
    )
    assert not _signed_in(phone)
    assert _signed_in(computer)
    assert "Téléphone" not in computer.get("/compte/").get_data(as_text=True)


def test_ending_all_the_others_keeps_this_one(app, claire):
    others = [_browser(app, ua, claire) for ua in (IPHONE, WINDOWS_EDGE)]
    computer = _browser(app, WINDOWS_FIREFOX, claire)
    assert computer.post("/compte/connexions/terminer-les-autres").status_code == 302
    assert [_signed_in(other) for other in others] == [False, False]
    assert _signed_in(computer)
    page = computer.get("/compte/").get_data(as_text=True)
    assert END_ACTION.findall(page) == []
    assert "Terminer toutes les autres" not in page


def test_nobody_ends_someone_elses_session(app, make, claire):
    victim = _browser(app, IPHONE, claire)
    make.user("marc", Role.TUTOR)
    attacker = _browser(app, WINDOWS_FIREFOX, "marc")
    victim_session = make.run(
        lambda: db.session.scalar(
            select(UserSession.id).join(User).where(User.username == "claire")
        )
    )
    response = attacker.post(f"/compte/connexions/{victim_session}/terminer")
    assert response.status_code == 404
    assert _signed_in(victim)
    assert attacker.post("/compte/connexions/terminer-les-autres").status_code == 302
    assert _signed_in(victim)


def test_this_sessions_own_end_button_is_not_a_way_around_sign_out(app, make, claire):
    computer = _browser(app, WINDOWS_FIREFOX, claire)
    current = make.run(lambda: db.session.scalar(select(UserSession.id)))
    assert computer.post(f"/compte/connexions/{current}/terminer").status_code == 404
    assert computer.post("/compte/connexions/2147483647/terminer").status_code == 404
    assert computer.post("/compte/connexions/99999999999/terminer").status_code == 404
    assert _signed_in(computer)


def test_only_two_words_of_the_user_agent_are_kept(app, make, claire):
    _browser(app, ANDROID_PHONE_SAMSUNG, claire)
    rows = make.run(
        lambda: [
            {c.key: getattr(r, c.key) for c in UserSession.__table__.columns}
            for r in db.session.scalars(select(UserSession))
        ]
    )
    (row,) = rows
    assert (row["device_kind"], row["browser"]) == ("phone", "Samsung Internet")
    assert not any("Mozilla" in str(value) for value in row.values())


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (IPHONE, ("phone", "Safari")),
        (WINDOWS_FIREFOX, ("computer", "Firefox")),
        (ANDROID_TABLET_CHROME, ("tablet", "Chrome")),
        (ANDROID_PHONE_SAMSUNG, ("phone", "Samsung Internet")),
        (WINDOWS_EDGE, ("computer", "Edge")),
        ("curl/8.5.0", ("computer", None)),
        ("", (None, None)),
    ],
)
def test_the_user_agent_is_reduced_to_a_device_kind_and_a_browser(user_agent, expected):
    assert describe_device(user_agent) == expected
