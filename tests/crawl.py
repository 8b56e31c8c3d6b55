"""A small crawler for the security probes and the fuzzing: worlds, links, forms.

`tenant()` builds one structure's people and objects (a referent, a learner with a
password chosen after a sign-in by card, a paired tutor, a learner waiting for a tutor, a volunteer awaiting
approval, a practice set, homework, a civic exam, a booked session, a written
production and a volunteer's voice waiting for a referent). Two tenants give every
owned object a twin that belongs to someone else, for IDOR checks. `crawl()` walks a signed-in client from the home
page through every same-origin link, records every form, and submits the forms
that only open something (a practice set, an exam) so the pages behind them are
walked too.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException

from tests.conftest import PASSWORD, Factory, csrf_from
from tests.test_access import P
from tutoring.accounts.models import Partner, Role, Structure, User
from tutoring.accounts.passwords import hash_password
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content import voices
from tutoring.content.models import ItemVersion
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.learning.models import Attempt, Submission
from tutoring.pairing.models import Pairing, PairingStatus, Place

L, T, R, C, A = Role.LEARNER, Role.TUTOR, Role.REFERENT, Role.COORDINATOR, Role.ADMIN

# Path arguments naming an object that belongs to someone (swapped for IDOR checks).
OWNED_ARGS = (
    "set_id",
    "assignment_id",
    "exam_id",
    "profile_id",
    "pairing_id",
    "session_id",
    "submission_id",
    "partner_id",
    "place_id",
    "recording_id",
)
# Posted fields naming a person (swapped for another structure's volunteer, and for
# a volunteer awaiting approval: both must be unknown ids).
OWNED_FIELDS = {
    "tutor_id": lambda value, tutor: str(tutor),
    "pair": lambda value, tutor: f"{value.partition(':')[0]}:{tutor}",
}
# Forms that open something (or answer an item, to reach its feedback): the crawler
# submits each once with its default values to walk the pages behind them.
OPENING_FORMS = {
    "learning.play",
    "learning.new_set",
    "learning.placement",
    "learning.homework",
    "learning.review",
    "exams.start_civic",
    "exams.start_language",
}
# Tables a page view may legitimately touch (last-seen time of the server session).
VOLATILE_TABLES = {"user_sessions"}
# Columns any signed-in request may move: the account's last-seen time follows the
# session's, at most once a minute (a slow run of the fuzzer crosses that minute).
VOLATILE_COLUMNS = {"users": {"last_seen_at"}}
# Rows a refused request must write: the audit log keeps every refused sign-in.
REFUSAL_RECORDS = {"audit_events": ("action", "sign_in_failed")}


# --------------------------------------------------------------------------- worlds


def _live_language_exam(profile: Any, tutor: int, bank: dict[str, int]) -> int:
    """A mock French exam whose speaking part waits for the tutor (the three prompts
    drawn: the small test bank has one speaking item, given three times)."""
    from tutoring.exams import language
    from tutoring.learning.models import PracticeSet, SetMode

    exam = language.start_language_exam(profile)
    for _n in range(3):  # listening, reading, writing: over
        db.session.add(
            PracticeSet(
                learner_id=profile.id, mode=SetMode.MOCK, level="A2", exam_id=exam.id,
                item_version_ids=[bank["a2-sante-test-01"]], finished_at=utcnow(),
            )
        )  # fmt: skip
    db.session.flush()
    language.choose_speaking(exam, live=True)
    exam.live_item_version_ids = [bank["a2-sante-test-12"]] * 3
    exam.live_tutor_id = tutor
    db.session.flush()
    return exam.id


def tenant(make: Factory, bank: dict[str, int], tag: str, structure: str) -> dict:
    """Build one structure's referent, learner, paired tutor and their objects."""
    referent = make.user(f"ref-{tag}", R, structure=structure)
    tutor = make.user(f"tutor-{tag}", T, structure=structure)
    pending = make.user(f"pending-{tag}", T, approved=False, structure=None)
    profile_id, learner_user = make.learner(referent, first_name=f"Apprenant{tag}")
    make.learner(referent, first_name=f"Attente{tag}")  # waits for a tutor

    def build() -> dict[str, int]:
        from tests.test_access import _civic_exam, _practice
        from tutoring.learning import practice
        from tutoring.sessions.booking import book_session

        user = db.session.get(User, learner_user)
        user.username = f"learner-{tag}"
        user.password_hash = hash_password(PASSWORD)
        user.password_from_card = True  # chosen after a sign-in by card (issue #13)
        structure_id = db.session.scalar(
            db.select(Structure.id).where(Structure.name == structure)
        )
        partner = Partner(structure_id=structure_id, name=f"Partenaire {tag}")
        room = Place(structure_id=structure_id, name=f"Salle {tag}", capacity=4)
        pairing = Pairing(
            learner_id=profile_id,
            tutor_id=tutor,
            status=PairingStatus.ACTIVE,
            responded_at=utcnow(),
        )
        db.session.add_all([partner, room, pairing])
        db.session.flush()
        set_id, assignment_id = _practice(profile_id, referent, bank)
        exam_id = _civic_exam(profile_id)
        profile = db.session.get(LearnerProfile, profile_id)
        writing = practice.start_set(profile, level="A2")
        writing.item_version_ids = [bank["a2-sante-test-11"]]
        practice.record_answer(
            profile, writing, position=0, client_id=str(uuid.uuid4()),
            response={"text": "Bonjour, je dois annuler mon rendez-vous."}, time_ms=900,
        )  # fmt: skip
        db.session.flush()
        submission_id = db.session.scalar(
            db.select(Submission.id)
            .join(Attempt, Submission.attempt_id == Attempt.id)
            .where(Attempt.set_id == writing.id)
        )
        ids = {
            "set_id": set_id,
            "assignment_id": assignment_id,
            "exam_id": exam_id,
            "profile_id": profile_id,
            "pairing_id": pairing.id,
            "submission_id": submission_id,
            "partner_id": partner.id,
            "place_id": room.id,
        }
        db.session.commit()
        [session] = book_session(
            db.session.get(User, tutor), db.session.get(Pairing, pairing.id),
            day=date.today() + timedelta(days=10), at=time(10, 0), minutes=60,
            place=db.session.get(Place, ids["place_id"]),
        )  # fmt: skip
        ids["session_id"] = session.id
        ids["language_exam_id"] = _live_language_exam(profile, tutor, bank)
        listening = next(
            v for v in db.session.scalars(db.select(ItemVersion)) if v.payload.get("audio")
        )
        voice = voices.record(
            db.session.get(User, tutor), listening.item_id, b"OggS" + b"\1" * 200,
            "audio/ogg",
        )  # fmt: skip
        ids["recording_id"] = voice.id
        ids["tutor_id"] = tutor
        ids["pending_id"] = pending
        db.session.commit()
        return ids

    ids = make.run(build)
    return {
        "ids": ids,
        "accounts": {
            L: f"learner-{tag}",
            T: f"tutor-{tag}",
            R: f"ref-{tag}",
            P: f"pending-{tag}",
        },
    }


def two_tenants(app: Flask, make: Factory, bank: dict[str, int]) -> tuple[dict, dict]:
    """Tenant A (crawled) and tenant B (its objects must stay out of A's reach)."""
    app.config["REQUIRE_2FA_ROLES"] = []
    a = tenant(make, bank, "a", "Association Myriade")
    b = tenant(make, bank, "b", "CCAS de Millau")
    make.user("coord-a", C, structure=None)
    make.user("admin-a", A, structure=None)
    a["accounts"].update({C: "coord-a", A: "admin-a"})
    return a, b


def sign_in(app: Flask, username: str) -> FlaskClient:
    """A client signed in through the real form, CSRF token included."""
    client = app.test_client()
    token = csrf_from(client.get("/connexion").get_data(as_text=True))
    response = client.post(
        "/connexion",
        data={"login": username, "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302, (username, response.status_code)
    assert "/connexion" not in response.headers["Location"]
    return client


# --------------------------------------------------------------------------- HTML


@dataclass
class Form:
    method: str
    action: str  # path with query, same origin
    fields: list[tuple[str, str]]  # name, default value (as a browser would send)
    files: list[str] = field(default_factory=list)  # names of file inputs
    page: str = ""

    def data(self, *, without_csrf: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, value in self.fields:
            if without_csrf and name == "csrf_token":
                continue
            if name in out:
                existing = out[name]
                out[name] = (
                    [*existing, value]
                    if isinstance(existing, list)
                    else [existing, value]
                )
            else:
                out[name] = value
        return out

    @property
    def key(self) -> tuple[str, str, tuple[str, ...]]:
        return (self.method, self.action, tuple(sorted({n for n, _ in self.fields})))


class _PageParser(HTMLParser):
    """Collect hrefs/srcs and forms with the values a browser would submit."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.assets: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag in ("script", "img", "audio", "source") and a.get("src"):
            self.assets.append(a["src"])
        elif tag == "link" and a.get("href"):
            self.assets.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": a.get("method", "get").upper(),
                "action": a.get("action", ""),
                "fields": [],
                "files": [],
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind == "file":
                self._form["files"].append(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((a["name"], a.get("value", "on")))
                elif kind == "radio" and a["name"] not in self._radios():
                    self._form.setdefault("radio_first", {})[a["name"]] = a.get(
                        "value", "on"
                    )
            elif kind not in ("submit", "button", "image", "reset"):
                self._form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            self._form.setdefault("buttons", []).append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = {"name": a["name"], "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["chosen"] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._text = []

    def _radios(self) -> set[str]:
        return {n for n, _ in self._form["fields"]} if self._form else set()

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._form is not None:
            value = self._select["chosen"] or self._select["first"] or ""
            self._form["fields"].append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form:
            self._form["fields"].append((self._textarea, "".join(self._text)))
            self._textarea = None
        elif tag == "form" and self._form is not None:
            chosen = {n for n, _ in self._form["fields"]}
            for name, value in self._form.pop("radio_first", {}).items():
                if name not in chosen:
                    self._form["fields"].append((name, value))
            buttons = self._form.pop("buttons", [])
            if buttons:  # the first submit button is the one pressed
                self._form["fields"].append(buttons[0])
            self._form = None


def same_origin_path(base: str, href: str) -> str | None:
    """Return the path?query of `href` seen from page `base`, or None if elsewhere."""
    if href.startswith(("mailto:", "tel:", "javascript:", "data:", "blob:")):
        return None
    target = urlsplit(urljoin(f"http://localhost{base}", href))
    if target.scheme not in ("http", "https") or target.netloc not in ("localhost",):
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def parse_page(url: str, html: str) -> tuple[list[str], list[str], list[Form]]:
    parser = _PageParser()
    parser.feed(html)
    links = [p for h in parser.links if (p := same_origin_path(url, h))]
    assets = [p for h in parser.assets if (p := same_origin_path(url, h))]
    forms = []
    for raw in parser.forms:
        action = same_origin_path(url, raw["action"] or url)
        if action is None:
            continue
        forms.append(Form(raw["method"], action, raw["fields"], raw["files"], page=url))
    return links, assets, forms


# --------------------------------------------------------------------------- routes


def endpoint_of(app: Flask, path: str, method: str = "GET") -> tuple[str, dict] | None:
    """Return (endpoint, view args) for a path, or None when nothing matches."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, args = adapter.match(urlsplit(path).path, method=method)
    except HTTPException:
        return None
    return endpoint, args


def build_url(app: Flask, endpoint: str, args: dict) -> str:
    with app.test_request_context():
        return url_for(endpoint, **args)


# --------------------------------------------------------------------------- checks


def header_problems(response: Any) -> list[str]:
    """What a response misses among the security headers every response carries."""
    h = response.headers
    problems = []
    csp = h.get("Content-Security-Policy", "")
    for part in (
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        if part not in csp:
            problems.append(f"CSP lacks {part}")
    if "'unsafe-inline'" in csp:
        problems.append("CSP allows unsafe-inline")
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "X-Frame-Options": "DENY",
    }
    for name, value in expected.items():
        if h.get(name) != value:
            problems.append(f"{name}={h.get(name)!r}")
    return problems


def fingerprint(app: Flask) -> str:
    """A digest of every stored row (except volatile tables), to prove nothing changed."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            if table.name in VOLATILE_TABLES:
                continue
            volatile = VOLATILE_COLUMNS.get(table.name, set())
            statement = db.select(*(c for c in table.c if c.name not in volatile))
            if table.name in REFUSAL_RECORDS:
                column, value = REFUSAL_RECORDS[table.name]
                statement = statement.where(table.c[column] != value)
            rows = db.session.execute(statement).all()
            digest.update(table.name.encode())
            for row in sorted(repr(tuple(r)) for r in rows):
                digest.update(row.encode())
        db.session.remove()
    return digest.hexdigest()


def row_counts(app: Flask) -> dict[str, int]:
    with app.app_context():
        counts = {
            t.name: db.session.scalar(db.select(db.func.count()).select_from(t))
            for t in db.metadata.sorted_tables
            if t.name not in VOLATILE_TABLES
        }
        db.session.remove()
    return counts


# --------------------------------------------------------------------------- crawl


@dataclass
class CrawlResult:
    pages: dict[str, tuple[str, dict, int]] = field(
        default_factory=dict
    )  # url -> endpoint, args, status
    forms: dict[tuple, Form] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    assets: set[str] = field(default_factory=set)


def crawl(
    app: Flask, client: FlaskClient, *, max_pages: int = 150, per_endpoint: int = 4
) -> CrawlResult:
    """Walk every same-origin link and opening form reachable from the home page."""
    result = CrawlResult()
    queue: deque[str] = deque(["/"])
    seen: set[str] = {"/"}
    per: Counter[str] = Counter()
    opened: set[str] = set()

    def enqueue(path: str) -> None:
        if path.startswith("/static/"):
            result.assets.add(path)
        elif path not in seen:
            seen.add(path)
            queue.append(path)

    while queue and len(result.pages) < max_pages:
        url = queue.popleft()
        match = endpoint_of(app, url)
        if match is None:
            result.problems.append(f"{url}: linked but no route answers GET")
            continue
        endpoint, args = match
        if per[endpoint] >= per_endpoint:
            continue
        per[endpoint] += 1
        response = client.get(url)
        status = response.status_code
        result.pages[url] = (endpoint, args, status)
        result.problems += [f"{url}: {p}" for p in header_problems(response)]
        if status in (301, 302, 303):
            target = same_origin_path(url, response.headers["Location"])
            if target is None:
                result.problems.append(f"{url}: redirects off site")
            else:
                enqueue(target)
        elif status != 200:
            result.problems.append(f"{url} ({endpoint}): {status}")
        if response.mimetype != "text/html":
            response.close()
            continue
        links, assets, forms = parse_page(url, response.get_data(as_text=True))
        for link in links:
            enqueue(link)
        result.assets.update(a for a in assets if a.startswith("/static/"))
        for form in forms:
            result.forms.setdefault(form.key, form)
            if form.method == "GET":
                query = "&".join(f"{k}={v}" for k, v in form.fields if v)
                enqueue(form.action.split("?")[0] + (f"?{query}" if query else ""))
                continue
            target = endpoint_of(app, form.action, "POST")
            if target and target[0] in OPENING_FORMS and target[0] not in opened:
                opened.add(target[0])
                sent = client.post(form.action, data=form.data())
                if sent.status_code >= 500:
                    result.problems.append(f"POST {form.action}: {sent.status_code}")
                location = sent.headers.get("Location", "")
                if sent.status_code in (302, 303) and (
                    path := same_origin_path(form.action, location)
                ):
                    enqueue(path)
    return result


def csrf_token(client: FlaskClient) -> str:
    """A valid CSRF token of this client's session (the language form on any page)."""
    return csrf_from(client.get("/").get_data(as_text=True))
