"""The workers' session cache (accounts.session_cache): a signed-in request reads no
session row while Redis vouches that nothing changed, and ending a session, closing
an account or taking a role away still takes effect at once on every server.

Two apps on the same database and the same Redis stand for two servers (or two
workers): each keeps its own entries.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from tests.conftest import Factory, card_login, login, logout
from tutoring.accounts import session_cache
from tutoring.accounts.models import Role, User, UserRole
from tutoring.accounts.profiles import LearnerProfile
from tutoring.accounts.signin import TOUCH_EVERY, load_session, revoke_all_sessions
from tutoring.core.database import utcnow
from tutoring.core.extensions import db


@pytest.fixture
def servers(
    app_with: Callable[..., Flask], redis_url: str
) -> Callable[..., list[Flask]]:
    """Build `n` apps sharing the test database and one Redis (a fresh prefix per
    test, so that no counter is shared with another test)."""
    prefix = f"test-{uuid.uuid4().hex[:8]}:"

    def build(n: int = 2, url: str = redis_url) -> list[Flask]:
        return [
            app_with(SESSION_CACHE_URL=url, SESSION_CACHE_PREFIX=prefix)
            for _ in range(n)
        ]

    return build


@contextmanager
def session_reads(app: Flask, table: str = "user_sessions") -> Iterator[list[str]]:
    """The SQL statements that read `table` (the sign-in sessions) while the block
    runs."""
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if table in statement:
            seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def carry(source: FlaskClient, target: FlaskClient) -> None:
    """Give `target` the cookies of `source`: the same browser on another server."""
    for name in ("session",):
        cookie = source.get_cookie(name)
        assert cookie is not None
        target.set_cookie(name, cookie.value, domain="localhost")


def signed_in_on(apps: list[Flask], make: Factory, *roles: Role) -> list[FlaskClient]:
    """One browser signed in on the first app, carried to every app."""
    make.user("amina", *roles)
    clients = [a.test_client() for a in apps]
    assert login(clients[0], "amina").status_code == 302
    for other in clients[1:]:
        carry(clients[0], other)
    return clients


def test_a_known_session_is_served_without_reading_the_database(
    servers: Callable[..., list[Flask]], make: Factory
) -> None:
    [one] = servers(1)
    [client] = signed_in_on([one], make, Role.REFERENT)
    with session_reads(one) as first:
        assert client.get("/").status_code == 200
    with session_reads(one) as second:
        assert client.get("/").status_code == 200
    with session_reads(one) as later:
        for _ in range(3):
            assert client.get("/").status_code == 200
    assert first
    assert second
    assert later == []


def test_signing_out_on_one_server_ends_the_session_on_the_other(
    servers: Callable[..., list[Flask]], make: Factory
) -> None:
    a, b = servers(2)
    on_a, on_b = signed_in_on([a, b], make, Role.REFERENT)
    for _ in range(3):  # b now serves it from its cache
        assert on_b.get("/apprenants/").status_code == 200
    logout(on_a)
    response = on_b.get("/apprenants/")
    assert response.status_code == 302
    assert "/connexion" in response.headers["Location"]


def test_ending_every_session_reaches_every_server_at_once(
    servers: Callable[..., list[Flask]], make: Factory
) -> None:
    """A bulk statement (the sessions ended after a password change) whose rows
    are not known empties every cache."""
    a, b = servers(2)
    _on_a, on_b = signed_in_on([a, b], make, Role.REFERENT)
    for _ in range(3):
        assert on_b.get("/apprenants/").status_code == 200
    with a.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "amina"))
        assert user is not None
        revoke_all_sessions(user)
        db.session.commit()
    assert on_b.get("/apprenants/").status_code == 302


def test_a_closed_account_or_a_role_taken_away_shows_at_once(
    servers: Callable[..., list[Flask]], make: Factory
) -> None:
    a, b = servers(2)
    _on_a, on_b = signed_in_on([a, b], make, Role.REFERENT, Role.TUTOR)
    for _ in range(3):
        assert on_b.get("/apprenants/").status_code == 200
    with a.app_context():  # the referent role is taken away on the other server
        db.session.execute(db.delete(UserRole).where(UserRole.role == Role.REFERENT))
        db.session.commit()
    assert on_b.get("/apprenants/").status_code == 403
    for _ in range(3):
        on_b.get("/")
    with a.app_context():  # then the account is closed, through the ORM
        user = db.session.scalar(db.select(User).where(User.username == "amina"))
        assert user is not None
        user.active = False
        db.session.commit()
    assert on_b.get("/").status_code in (200, 302)
    assert on_b.get("/seances/").status_code == 302  # signed out: to the sign-in


def test_a_learner_profile_comes_with_the_session_and_its_changes_show_at_once(
    servers: Callable[..., list[Flask]], make: Factory
) -> None:
    """Every learner page needs the learner's profile: it is read with the session
    (no query of its own), kept with it, and a referent's change on another server
    (here the learner's target date) shows on the next page."""
    a, b = servers(2)
    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(referent, first_name="Amina")
    on_a = a.test_client()
    assert card_login(on_a, make.card(user_id, referent)).status_code == 302
    on_b = b.test_client()
    carry(on_a, on_b)
    with session_reads(b, "FROM learner_profiles") as first:
        assert on_b.get("/pratique/").status_code == 200
    assert first == []  # with the session's own query
    for _ in range(2):
        assert on_b.get("/pratique/").status_code == 200
    with session_reads(b) as reads:
        page = on_b.get("/pratique/").get_data(as_text=True)
    assert reads == []  # from the cache
    assert 'value="2027-06-30"' not in page
    with a.app_context():
        profile = db.session.get(LearnerProfile, profile_id)
        assert profile is not None
        profile.target_date = date(2027, 6, 30)
        db.session.commit()
    page = on_b.get("/pratique/").get_data(as_text=True)
    assert 'value="2027-06-30"' in page


def test_without_redis_every_request_reads_the_database(
    servers: Callable[..., list[Flask]], make: Factory
) -> None:
    """Redis unreachable: no error, and nothing is served from memory."""
    [one] = servers(1, url="redis://127.0.0.1:9/0")  # nothing listens on port 9
    [client] = signed_in_on([one], make, Role.REFERENT)
    for _ in range(3):
        with session_reads(one) as reads:
            assert client.get("/apprenants/").status_code == 200
        assert reads
    logout(client)
    assert client.get("/apprenants/").status_code == 302


def test_expiry_is_decided_on_the_stored_row(
    servers: Callable[..., list[Flask]], make: Factory
) -> None:
    """An entry serves a minute at most: past that the database is read (and the
    last-seen time moved); past the idle timeout the session ends, cached or not."""
    [one] = servers(1)
    [client] = signed_in_on([one], make, Role.REFERENT)
    for _ in range(3):
        assert client.get("/").status_code == 200
    token = _token(one, client)
    with one.app_context():
        now = utcnow()
        with session_reads(one) as reads:
            assert load_session(token, now=now) is not None
        assert reads == []  # from the cache
        cache = session_cache.current()
        assert cache is not None
        user_id = db.session.scalar(db.select(User.id).where(User.username == "amina"))
        assert user_id is not None
        marks = cache.marks(user_id)
        with session_reads(one) as reads:
            loaded = load_session(token, now=now + TOUCH_EVERY + timedelta(seconds=5))
        assert loaded is not None
        assert reads
        # Moving the last-seen time is no change for the caches: no counter moves.
        assert cache.marks(user_id) == marks
        db.session.rollback()
        idle = timedelta(minutes=one.config["SESSION_IDLE_MINUTES"] + 1)
        assert load_session(token, now=now + TOUCH_EVERY + idle) is None


def _token(app: Flask, client: FlaskClient) -> str:
    """The sign-in session's token, as the browser's session cookie holds it."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    token: str = serializer.loads(cookie.value)["_user_id"]
    return token
