"""Fixtures: one app and schema per run, empty tables per test, factories, auth helpers.

Tests make requests without holding an application context (Flask would share `g`
and the logged-in user between requests); factories open their own context and
return plain values.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import make_url, text

from tests.services import postgres_database, redis_server
from tutoring import create_app
from tutoring.accounts import users
from tutoring.accounts.cards import issue_login_card
from tutoring.accounts.enrolment import LearnerData, enrol_learner
from tutoring.accounts.models import Role, Structure, User
from tutoring.accounts.passwords import hash_password
from tutoring.accounts.profiles import (
    FrenchGoal,
    PublicCategory,
    TutorProfile,
    TutorStatus,
)
from tutoring.accounts.users import CHARTER_VERSION
from tutoring.core.database import KEPT, utcnow
from tutoring.core.extensions import db, limiter
from tutoring.pairing.models import Pairing, PairingStatus, Place

PASSWORD = "une phrase assez longue"
UPLOADS = tempfile.mkdtemp(prefix="tutoring-uploads-")
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")


def base_config(database_url: str, **overrides: Any) -> dict[str, Any]:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production-0123456789",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "REQUIRE_2FA_ROLES": ["coordinator", "admin"],
        "SERVER_NAME": "localhost",
        "UPLOAD_FOLDER": UPLOADS,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def database_url(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> Iterator[str]:
    """The suite's database. Tests run in parallel processes (pytest-xdist, `make
    test`); each has its own: a file on SQLite, a database of its own on the
    TEST_DATABASE_URL server, made here and dropped at the end."""
    if not TEST_DATABASE_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        return
    if worker_id == "master":  # not in parallel: the database as given
        yield TEST_DATABASE_URL
        return
    name = f"{make_url(TEST_DATABASE_URL).database}_{worker_id}"
    with postgres_database(TEST_DATABASE_URL, name) as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url: str) -> Iterator[Flask]:
    application = create_app(base_config(database_url))
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean(app: Flask) -> Iterator[None]:
    """Give every test empty tables, default settings and fresh rate limits."""
    saved = dict(app.config)
    limiter.reset()
    yield
    app.config.clear()
    app.config.update(saved)
    with app.app_context():
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            names = ", ".join(t.name for t in db.metadata.sorted_tables)
            db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
        db.session.commit()
    # Emptied tables give ids again, to other content: what the application kept
    # by row key is forgotten with them.
    app.extensions.pop(KEPT, None)


@pytest.fixture
def app_with(database_url: str) -> Iterator[Callable[..., Flask]]:
    """Build another app on the test database with other settings; close it after."""
    built: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        application = create_app(base_config(database_url, **overrides))
        built.append(application)
        return application

    yield build
    for application in built:
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    """A Redis server: TEST_REDIS_URL, or a `redis-server` started here on a free
    port. Skipped without one, except in CI (`.ci/run` installs it)."""
    url = os.environ.get("TEST_REDIS_URL")
    if url:
        yield url
        return
    with redis_server() as started:
        if started is None:
            if os.environ.get("CI"):
                pytest.fail("redis-server is not installed (.ci/run installs it)")
            pytest.skip("no Redis: set TEST_REDIS_URL or install redis-server")
        yield started


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> Any:
    return app.test_cli_runner()


class Factory:
    """Create rows in their own application context; return ids and codes."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def structure(self, name: str = "Association Myriade") -> int:
        with self.app.app_context():
            existing = db.session.scalar(
                db.select(Structure).where(Structure.name == name)
            )
            if existing:
                return existing.id
            row = Structure(name=name)
            db.session.add(row)
            db.session.commit()
            return row.id

    def user(
        self,
        username: str,
        *roles: Role,
        password: str | None = PASSWORD,
        structure: str | None = "Association Myriade",
        email: str | None = None,
        approved: bool = True,
        totp_secret: str | None = None,
    ) -> int:
        structure_id = self.structure(structure) if structure else None
        with self.app.app_context():
            user = User(
                username=username,
                first_name=username.split("-")[0].capitalize(),
                email=email,
                password_hash=hash_password(password) if password else None,
                structure_id=structure_id,
            )
            for role in roles:
                user.add_role(role)
            if totp_secret:
                user.totp_secret = totp_secret
                user.totp_enabled_at = utcnow()
            db.session.add(user)
            db.session.flush()
            if Role.TUTOR in roles:
                db.session.add(
                    TutorProfile(
                        user_id=user.id,
                        charter_version=CHARTER_VERSION,
                        status=TutorStatus.APPROVED
                        if approved
                        else TutorStatus.PENDING,
                        approved_at=utcnow() if approved else None,
                        structure_id=structure_id if approved else None,
                    )
                )
            db.session.commit()
            return user.id

    def learner(
        self,
        referent_id: int | None = None,
        first_name: str = "Amina",
        **overrides: Any,
    ) -> tuple[int, int]:
        """Enrol a learner through the service; return (profile id, user id)."""
        if referent_id is None:
            referent_id = self.user(f"ref-{first_name.lower()}", Role.REFERENT)
        with self.app.app_context():
            referent = db.session.get(User, referent_id)
            data = LearnerData(
                first_name=first_name,
                public_category=overrides.pop("public_category", PublicCategory.BPI),
                arrival_year=overrides.pop("arrival_year", 2025),
                goal=overrides.pop("goal", FrenchGoal.A2),
                locale=overrides.pop("locale", "fr"),
                consent_on=overrides.pop("consent_on", date(2026, 11, 20)),
                **overrides,
            )
            user = enrol_learner(referent, data)
            db.session.commit()
            assert user.learner_profile is not None
            return user.learner_profile.id, user.id

    def card(self, user_id: int, referent_id: int) -> str:
        with self.app.app_context():
            code = issue_login_card(
                db.session.get(User, user_id), db.session.get(User, referent_id)
            )
            db.session.commit()
            return code

    def run(self, fn: Callable[[], Any]) -> Any:
        """Run `fn` inside an application context (for reading the database)."""
        with self.app.app_context():
            result = fn()
            db.session.commit()
            rows = result if isinstance(result, (list, tuple)) else [result]
            for row in rows:
                if isinstance(row, db.Model):  # keep its columns readable afterwards
                    db.session.refresh(row)
                    db.session.expunge(row)
            return result


@pytest.fixture
def make(app: Flask) -> Factory:
    return Factory(app)


FIXTURE_BANK = Path(__file__).parent / "data" / "bank"


@pytest.fixture
def bank(app: Flask) -> dict[str, int]:
    """Load the small test bank (one item of each type); return item id -> version id."""
    from exercises.loading import load_bank
    from tutoring.content.bank import sync_bank
    from tutoring.content.models import ItemVersion

    items, problems = load_bank(FIXTURE_BANK, check_audio=False)
    assert problems == []
    with app.app_context():
        sync_bank(items)
        db.session.commit()
        return {v.item_id: v.id for v in db.session.scalars(db.select(ItemVersion))}


def login(
    client: FlaskClient, username: str, password: str = PASSWORD, **extra: Any
) -> Any:
    data = {"login": username, "password": password, **extra}
    return client.post("/connexion", data=data)


def statements(app: Flask, action: Callable[[], Any]) -> list[str]:
    """The SQL statements sent while `action` runs, whitespace folded."""
    from sqlalchemy import event

    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", note)
    return seen


def card_login(client: FlaskClient, code: str, **extra: Any) -> Any:
    return client.post("/carte", data={"code": code, **extra})


def logout(client: FlaskClient) -> Any:
    return client.post("/deconnexion")


CSRF_RE = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def csrf_from(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "no CSRF token in page"
    return match.group(1) or match.group(2)


@pytest.fixture
def signed_in(client: FlaskClient, make: Factory) -> Callable[..., int]:
    """Create an account with these roles and sign the client in; return its id."""

    def sign_in(*roles: Role, username: str | None = None, **kwargs: Any) -> int:
        name = username or "-".join(r.value for r in roles) or "nobody"
        user_id = make.user(name, *roles, **kwargs)
        response = login(client, name)
        assert response.status_code == 302, response.data[:500]
        return user_id

    return sign_in


@pytest.fixture
def learner(app: Flask, make: Factory, bank: dict[str, int]) -> FlaskClient:
    """A learner practising at A2, signed in with their card; `.profile_id` is theirs."""
    from tutoring.accounts.profiles import LearnerProfile

    referent = make.user("claire", Role.REFERENT)
    profile_id, user_id = make.learner(referent, first_name="Amina")

    def practise_at_a2() -> None:
        db.session.get(LearnerProfile, profile_id).practice_level = "A2"

    make.run(practise_at_a2)
    client = app.test_client()
    card_login(client, make.card(user_id, referent))
    client.profile_id = profile_id  # type: ignore[attr-defined]
    client.referent_id = referent  # type: ignore[attr-defined]
    return client


@pytest.fixture
def pair(app: Flask, make: Factory) -> dict[str, Any]:
    """Claire's learner Amina, actively paired with the volunteer Marc."""
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_user = make.learner(referent, first_name="Amina")
    tutor = make.user("marc", Role.TUTOR)

    def activate():
        pairing = Pairing(learner_id=profile_id, tutor_id=tutor, status=PairingStatus.ACTIVE,
                          responded_at=utcnow())  # fmt: skip
        db.session.add(pairing)
        db.session.flush()
        return pairing.id

    pairing_id = make.run(activate)

    def room():
        structure_id = db.session.get(User, referent).structure_id
        place = Place(
            structure_id=structure_id, name="Espace numérique MESA", capacity=4
        )
        db.session.add(place)
        db.session.flush()
        return place.id

    place_id = make.run(room)
    client = app.test_client()
    login(client, "marc")
    return {"referent": referent, "profile": profile_id, "learner_user": learner_user,
            "tutor": tutor, "pairing": pairing_id, "client": client,
            "place": place_id}  # fmt: skip


class Mailbox(list[tuple[str, str, str]]):
    """The e-mails the app sends (to, subject, body), read as their owner would."""

    def link(self, to: str, path: str) -> str:
        """The local address of the last link to `path` mailed to `to`."""
        for address, _subject, body in reversed(self):
            found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", body)
            if address == to and found:
                return found.group(1)
        raise AssertionError(f"no link to {path} mailed to {to}: {self}")


@pytest.fixture
def mailbox(monkeypatch) -> Mailbox:
    sent = Mailbox()
    monkeypatch.setattr(users, "send_mail", lambda *mail: sent.append(mail))
    return sent
