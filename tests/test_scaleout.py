"""More than one server: two gunicorn instances on different ports share one
PostgreSQL and one Redis, as two app servers behind a proxy would.

A person signs in on one and carries on on the other; signing out on one ends the
session on the other; password guesses spread over both are counted once (the rate
limits live in Redis); `flask reminders send` started on both at the same moment
sends each message once.

Needs PostgreSQL (TEST_DATABASE_URL) and Redis (TEST_REDIS_URL, or a `redis-server`
on the PATH, started here on a free port); skipped otherwise. `.ci/run` starts both.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import PASSWORD
from tests.services import free_port
from tutoring.accounts.models import Role, User
from tutoring.core.clock import local
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.sessions.booking import to_utc
from tutoring.sessions.models import TutoringSession

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


@pytest.fixture
def servers(
    app: Any, redis_url: str, database_url: str, tmp_path: Path
) -> Iterator[list[str]]:
    """Two gunicorn servers (2 workers each) on the test database and Redis."""
    if not database_url.startswith("postgresql"):
        pytest.skip("the two-server test needs PostgreSQL (TEST_DATABASE_URL)")
    import redis

    redis.Redis.from_url(redis_url).flushdb()  # fresh rate limits
    ports = [free_port(), free_port()]
    env = _env(database_url, redis_url, ports)
    started, logs = [], []
    for port in ports:
        log = (tmp_path / f"gunicorn-{port}.log").open("wb")
        logs.append(log)
        started.append(
            subprocess.Popen(  # noqa: S603 - the venv's gunicorn, fixed arguments
                [
                    str(BIN / "gunicorn"),
                    "-w",
                    "2",
                    "-b",
                    f"127.0.0.1:{port}",
                    "tutoring:create_app()",
                ],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        )
    try:
        for port in ports:
            _wait_for(port, tmp_path)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=30)
        for log in logs:
            log.close()


def _env(database_url: str, redis_url: str, ports: list[int]) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SECRET_KEY="scale-out-test-" + "1" * 40,
        DATABASE_URL=database_url,
        RATELIMIT_STORAGE_URI=redis_url,
        SESSION_COOKIE_SECURE="0",
        SITE_URL=f"http://127.0.0.1:{ports[0]}",
        TRUSTED_HOSTS="127.0.0.1",
        REQUIRE_2FA_ROLES="",
        LOGIN_FAILURES_PER_ACCOUNT="4 per 15 minutes",
    )
    env.pop("FLASK_DEBUG", None)
    return env


def _wait_for(port: int, folder: Path) -> None:
    for _ in range(150):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/sante") as r:  # noqa: S310 - loopback
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    logs = "\n".join(
        p.read_text(errors="replace") for p in folder.glob("gunicorn-*.log")
    )
    raise AssertionError(f"gunicorn on {port} did not start:\n{logs}")


class Browser:
    """One browser (one cookie jar) visiting any of the servers."""

    class _Stay(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    def __init__(self) -> None:
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), self._Stay
        )

    def open(
        self, url: str, data: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        body = urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body)  # noqa: S310 - loopback
        try:
            with self.opener.open(request) as r:
                return r.status, r.read().decode(), r.headers.get("Location", "")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(), exc.headers.get("Location", "")

    def token(self, url: str) -> str:
        match = CSRF.search(self.open(url)[1])
        assert match, url
        return match.group(1)


def test_a_session_started_on_one_server_goes_on_and_ends_on_the_other(servers, make):
    make.user("claire", Role.REFERENT)
    a, b = servers
    browser = Browser()
    token = browser.token(a + "/connexion")
    status, _body, _to = browser.open(
        a + "/connexion", {"login": "claire", "password": PASSWORD, "csrf_token": token}
    )
    assert status == 302
    status, page, _to = browser.open(b + "/apprenants/")
    assert status == 200  # signed in on the other server too
    assert "Claire" in page or "apprenants" in page.lower()

    status, _body, _to = browser.open(
        b + "/deconnexion", {"csrf_token": browser.token(b + "/")}
    )
    assert status == 302
    status, _body, location = browser.open(a + "/apprenants/")
    assert status == 302  # the session is over on the first server as well
    assert "/connexion" in location


def test_password_guesses_spread_over_both_servers_are_counted_once(servers, make):
    make.user("claire", Role.REFERENT)
    answers = []
    for n in range(6):
        server = servers[n % 2]
        browser = Browser()
        token = browser.token(server + "/connexion")
        status, page, _to = browser.open(
            server + "/connexion",
            {"login": "claire", "password": "not the password", "csrf_token": token},
        )
        answers.append(status)
    # 4 failures allowed per account (set for the test), whichever server counts.
    assert answers[:4] == [401, 401, 401, 401]
    assert answers[4:] == [429, 429]
    browser = Browser()
    token = browser.token(servers[1] + "/connexion")
    status, _page, _to = browser.open(
        servers[1] + "/connexion",
        {"login": "claire", "password": PASSWORD, "csrf_token": token},
    )
    assert status == 429  # locked on both: even the right password waits


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd API
        self.messages.append(envelope)
        return "250 OK"


def test_reminders_sent_from_both_servers_at_once_go_once(
    servers, make, pair, database_url, redis_url
):
    def tomorrow_session() -> None:
        db.session.get(User, pair["learner_user"]).email = "amina@example.org"
        db.session.get(User, pair["tutor"]).email = "marc@example.org"
        for hour in (10, 14, 16):
            starts = to_utc(
                local(utcnow()).date() + timedelta(days=1), clock_time(hour, 0)
            )
            db.session.add(
                TutoringSession(uid=f"s{hour}@test", slot=f"s{hour}@test",
                                pairing_id=pair["pairing"], tutor_id=pair["tutor"],
                                learner_id=pair["profile"], starts_at=starts,
                                ends_at=starts + timedelta(hours=1),
                                place="Espace numérique MESA", place_id=pair["place"])
            )  # fmt: skip

    make.run(tomorrow_session)
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        ports = [int(s.rsplit(":", 1)[1]) for s in servers]
        env = _env(database_url, redis_url, ports)
        env.update(FLASK_APP="tutoring", MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port),
                   MAIL_USE_TLS="0")  # fmt: skip
        runs = [
            subprocess.Popen(  # noqa: S603 - the venv's flask, fixed arguments
                [str(BIN / "flask"), "reminders", "send"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120)[0] for run in runs]
    finally:
        controller.stop()
    assert all(run.returncode == 0 for run in runs), outputs
    sent = [m.rcpt_tos[0] for m in inbox.messages]
    assert sorted(sent) == sorted(["amina@example.org", "marc@example.org"] * 3), (
        outputs
    )
    subjects = [(m.rcpt_tos[0], m.content) for m in inbox.messages]
    assert len(set(subjects)) == len(subjects)  # no message twice
