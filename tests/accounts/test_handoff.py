"""From the shared computer to the phone: the learner asks for a QR code, whose
single-use code (valid two minutes, only its hash kept) signs them in on the phone
with a session of its own."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import select

from tests.conftest import card_login
from tutoring.accounts import handoff
from tutoring.accounts.models import HandoffToken, Role, UserSession
from tutoring.core.codes import digest
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

URL_RE = re.compile(r'data-handoff-url="([^"]+)"')
CODE_RE = re.compile(r'<p class="code handoff-code"[^>]*><bdi>([A-Z0-9-]+)</bdi>')


def _learner(app, make, first_name="Amina", shared_device="y"):
    referent = make.user(f"ref-{first_name.lower()}", Role.REFERENT)
    _profile, user_id = make.learner(referent, first_name=first_name)
    code = make.card(user_id, referent)
    client = app.test_client()
    assert card_login(client, code, shared_device=shared_device).status_code == 302
    return client, user_id


def _ask(client) -> tuple[str, str]:
    response = client.post("/compte/telephone")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "<svg" in page  # the QR code, drawn on the server
    url = URL_RE.search(page).group(1)
    code = CODE_RE.search(page).group(1)
    return url, code


def _path(url: str) -> str:
    return urlsplit(url).path


def test_the_qr_code_is_shown_only_on_request(app, make):
    computer, _ = _learner(app, make)
    home = computer.get("/").get_data(as_text=True)
    assert "Continuer sur mon téléphone" in home  # a button…
    assert "handoff-qr" not in home  # …and no code yet
    assert make.run(lambda: db.session.scalar(select(HandoffToken.id))) is None
    assert computer.get("/compte/telephone").status_code == 405


def test_the_code_signs_the_learner_in_once_on_the_phone(app, make):
    computer, user_id = _learner(app, make)
    url, code = _ask(computer)
    assert url.endswith("/suite/" + code)
    stored = make.run(lambda: db.session.scalar(select(HandoffToken.token_hash)))
    assert stored == digest(code)  # only its hash is kept
    phone = app.test_client()
    opened = phone.get(_path(url))
    assert opened.status_code == 200
    assert opened.headers["Cache-Control"] == "no-store"
    assert opened.headers["Referrer-Policy"] == "no-referrer"
    assert code in opened.get_data(as_text=True)
    response = phone.post("/suite", data={"code": code})
    assert response.status_code == 302
    assert "Bonjour Amina" in phone.get("/").get_data(as_text=True)
    sessions = make.run(
        lambda: list(
            db.session.execute(
                select(UserSession.shared_device).where(UserSession.user_id == user_id)
            ).scalars()
        )
    )
    assert sorted(sessions) == [False, True]  # the phone's is its own, not shared
    # A second use, on another phone or the same address: refused, clearly.
    again = app.test_client()
    refused = again.get(_path(url))
    assert refused.status_code == 410
    text = refused.get_data(as_text=True)
    assert "Ce code ne marche plus" in text
    assert 'href="/carte"' in text
    assert again.post("/suite", data={"code": code}).status_code == 410
    assert again.get("/pratique/").status_code == 302  # not signed in


def test_the_code_can_be_typed(app, make):
    computer, _ = _learner(app, make)
    _url, code = _ask(computer)
    phone = app.test_client()
    assert phone.get("/suite").status_code == 200
    typed = code.lower().replace("-", " ")
    assert phone.post("/suite", data={"code": typed}).status_code == 302
    assert phone.get("/pratique/").status_code == 200


def test_the_phone_is_shared_only_when_ticked(app, make):
    computer, user_id = _learner(app, make)
    _url, code = _ask(computer)
    phone = app.test_client()
    phone.post("/suite", data={"code": code, "shared_device": "y"})
    shared = make.run(
        lambda: db.session.scalar(
            select(UserSession.shared_device)
            .where(UserSession.user_id == user_id)
            .order_by(UserSession.id.desc())
        )
    )
    assert shared is True


def test_the_code_expires_after_two_minutes(app, make, monkeypatch):
    computer, _ = _learner(app, make)
    url, code = _ask(computer)
    later = utcnow() + timedelta(seconds=app.config["HANDOFF_SECONDS"] + 1)
    monkeypatch.setattr(handoff, "utcnow", lambda: later)
    phone = app.test_client()
    assert phone.get(_path(url)).status_code == 410
    assert phone.post("/suite", data={"code": code}).status_code == 410
    assert phone.get("/pratique/").status_code == 302


def test_a_new_code_replaces_the_previous_one(app, make):
    computer, _ = _learner(app, make)
    _url, first = _ask(computer)
    _url, second = _ask(computer)
    phone = app.test_client()
    assert phone.post("/suite", data={"code": first}).status_code == 410
    assert phone.post("/suite", data={"code": second}).status_code == 302


def test_a_wrong_or_malformed_code_is_refused_without_a_500(app, make):
    _learner(app, make)
    phone = app.test_client()
    for code in ("AAAA-BBBB", "not a code", "x" * 40, "Ⅷ" * 8):
        assert phone.post("/suite", data={"code": code}).status_code == 410
    assert phone.post("/suite", data={}).status_code == 400
    assert phone.get("/suite/" + "Z" * 300).status_code == 410


def test_a_code_signs_in_only_its_own_learner(app, make):
    computer, amina = _learner(app, make, "Amina")
    phone, yasmine = _learner(app, make, "Yasmine", shared_device="")
    _url, code = _ask(computer)
    # The phone is signed in as someone else: refused, and the code still works.
    response = phone.post("/suite", data={"code": code})
    assert response.status_code == 409
    assert "un autre compte" in response.get_data(as_text=True)
    assert "Bonjour Yasmine" in phone.get("/").get_data(as_text=True)
    fresh = app.test_client()
    assert fresh.post("/suite", data={"code": code}).status_code == 302
    assert "Bonjour Amina" in fresh.get("/").get_data(as_text=True)
    assert amina != yasmine


def test_only_a_learner_makes_a_code(app, make, client):
    from tests.conftest import login

    make.user("claire", Role.REFERENT)
    login(client, "claire")
    assert client.post("/compte/telephone").status_code == 403
    assert make.run(lambda: db.session.scalar(select(HandoffToken.id))) is None
    anonymous = app.test_client()
    assert anonymous.post("/compte/telephone").status_code == 302


def test_trying_codes_is_rate_limited(app, make):
    app.config["LOGIN_FAILURES_PER_IP"] = "5 per 15 minutes"
    phone = app.test_client()
    statuses = [
        phone.post("/suite", data={"code": f"AAAA-BB{n:02d}"}).status_code
        for n in range(7)
    ]
    assert statuses[:5] == [410] * 5
    assert statuses[5:] == [429, 429]
    assert phone.get("/suite/AAAA-BBBB").status_code == 429
