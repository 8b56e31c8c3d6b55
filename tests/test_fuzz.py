"""Property-based fuzzing (Hypothesis) of every form the crawler finds, per role.

Each POST form is sent hostile values: very long strings, control characters and
NUL, HTML/JS, SQL fragments, wrong types, multiple values, missing fields, and
huge or wrong-type files on the recording upload. Properties: never a 500; a
refused request (4xx) changes nothing stored; no payload ever comes back
unescaped, neither in the answer nor, afterwards, on any page a role reaches.

`FUZZ_EXAMPLES` (default 25) sets the examples per form.
"""

from __future__ import annotations

import io
import os
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.crawl import (
    A,
    C,
    Form,
    L,
    R,
    T,
    crawl,
    csrf_token,
    endpoint_of,
    fingerprint,
    sign_in,
    two_tenants,
)
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 300
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,  # the same examples on every run: CI stays reproducible
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Markers that must never come back unescaped.
SCRIPT = '<script>alert("xss-fz")</script>'
ATTR = '"><img src=x onerror=alert("xss-fz")>'
UNESCAPED = ("<script>alert(", "<img src=x onerror=")
PAYLOADS = [
    SCRIPT,
    ATTR,
    "javascript:alert(1)",
    "' OR '1'='1' --",
    "1; DROP TABLE users; --",
    "\x00",
    "a\x00b",
    "\r\n\t\x0b\x0c\x1b[31m",
    "\u202eevil\u200b",
    "%s%n%x{0}{{7*7}}",
    "../../../../etc/passwd",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "9999-12-31",
    "0001-01-01",
    "25:61",
    "[]",
    "{}",
    "ثلاثة",
    "A" * 300,
    "é" * 5000,
]
# Forms whose success would end the crawl's world (sign-out, erasure, revocation,
# deactivation): their refusals are covered by the crawler's CSRF and IDOR probes.
NOT_FUZZED = {
    "accounts.logout",
    "accounts.erasure",
    "accounts.erase_learner",
    "accounts.revoke_card",
    "accounts.remove_sign_in",
    "admin.toggle_active",
    "accounts.two_factor_disable",
}

hostile_text = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=40),  # any code point, control characters included
    st.text(alphabet=st.characters(max_codepoint=0x1F), max_size=10),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.just("x" * 100_000),
)


def _value(default: str) -> st.SearchStrategy[object]:
    return st.one_of(
        st.just(default),  # keep it valid, so deeper checks are reached
        hostile_text,
        st.lists(hostile_text, min_size=2, max_size=3),  # several values
    )


def _data(form) -> st.SearchStrategy[dict[str, object]]:
    """Hostile data for a form's fields; each field may also be left out."""
    fields = {n: v for n, v in form.fields if n != "csrf_token"}
    return st.fixed_dictionaries(
        {}, optional={name: _value(default) for name, default in fields.items()}
    )


def _assert_escaped(html: str, where: str) -> None:
    for marker in UNESCAPED:
        assert marker not in html, f"unescaped payload in {where}"


def _send(app, client, form, data: dict[str, object]) -> None:
    before = fingerprint(app)
    response = client.post(form.action, data=data)
    status = response.status_code
    assert status < 500, (form.action, data)
    if status >= 400:
        assert fingerprint(app) == before, ("half-saved", form.action, data)
    if response.mimetype == "text/html":
        _assert_escaped(response.get_data(as_text=True), form.action)
    response.close()


def _fuzz_form(app, client, form) -> None:
    # First, deterministically: each field in turn carries a script, the others
    # keep their valid defaults, so the script is stored wherever it can be.
    defaults = form.data(without_csrf=True)
    for name in defaults:
        for payload in (SCRIPT, ATTR):
            _send(app, client, form, {**defaults, name: payload})

    @FUZZ
    @given(data=_data(form))
    def run(data: dict[str, object]) -> None:
        _send(app, client, form, data)

    run()


@pytest.fixture
def tenants(app, make, bank):
    return two_tenants(app, make, bank)


@pytest.mark.parametrize(
    "role", [None, L, T, R, A], ids=lambda r: r.value if r else "anonymous"
)
def test_hostile_input_in_every_form_is_refused_cleanly(app, tenants, role):
    a, _ = tenants
    client = app.test_client() if role is None else sign_in(app, a["accounts"][role])
    forms = [f for f in crawl(app, client).forms.values() if f.method == "POST"]
    fuzzed = set()
    for form in forms:
        endpoint = endpoint_of(app, form.action, "POST")[0]
        if endpoint in NOT_FUZZED:
            continue
        fuzzed.add(endpoint)
        _fuzz_form(app, client, form)
    assert fuzzed, "no form was fuzzed"
    # Afterwards, nothing stored shows up unescaped on any page of any role.
    for other in (L, T, R, C, A):
        viewer = sign_in(app, a["accounts"][other])
        result = crawl(app, viewer)
        assert [p for p in result.problems if ": 5" in p] == []
        for url in result.pages:
            response = viewer.get(url)
            if response.mimetype == "text/html":
                _assert_escaped(response.get_data(as_text=True), url)
            response.close()


def test_hostile_recordings_are_refused_with_a_message(app, make, bank, tenants):
    """The oral-production upload: wrong types, empty, huge, hostile names."""
    a, _ = tenants
    client = sign_in(app, a["accounts"][L])
    profile_id = a["ids"]["profile_id"]

    def oral_set() -> int:
        from tutoring.learning import practice

        profile = db.session.get(LearnerProfile, profile_id)
        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [bank["a2-sante-test-12"]]
        return current.id

    def post(set_id: int, body: bytes, name: str, mime: str, seconds: str):
        # Encoded here in memory: the test client would spool a large body to a
        # temporary file it never closes.
        fields = {"position": "0", "client_id": str(uuid.uuid4()), "seconds": seconds}
        audio = FileStorage(io.BytesIO(body), filename=name, content_type=mime)
        boundary, payload = encode_multipart({**fields, "audio": audio})
        return client.post(
            f"/pratique/serie/{set_id}",
            data=payload,
            content_type=f"multipart/form-data; boundary={boundary}",
        )

    @FUZZ
    @given(
        body=st.one_of(
            st.binary(max_size=64),
            st.just(b""),
            st.just(SCRIPT.encode()),
            st.just(WEBM + b"\x00" * (5 * 1024 * 1024)),  # over the 5 MB of a recording
        ),
        mime=st.sampled_from(
            ["audio/webm", "text/html", "application/x-msdownload", "", "audio/ogg"]
        ),
        name=st.sampled_from(["a.webm", "../../etc/passwd", SCRIPT, "\x00.ogg"]),
        seconds=hostile_text,
    )
    def run(body: bytes, mime: str, name: str, seconds: str) -> None:
        set_id = make.run(oral_set)
        before = fingerprint(app)
        response = post(set_id, body, name, mime, seconds)
        status = response.status_code
        assert status < 500
        if status >= 400:
            assert fingerprint(app) == before
            _assert_escaped(response.get_data(as_text=True), "recording upload")
        else:  # accepted only what looks like a recording, under its size
            assert status == 302
            assert body.startswith(WEBM[:4]) or body[:4] == b"OggS"
            assert len(body) <= 5 * 1024 * 1024

    run()
    # A body over MAX_CONTENT_LENGTH is refused before anything is read: 413.
    set_id = make.run(oral_set)
    before = fingerprint(app)
    huge = b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    assert post(set_id, huge, "a.webm", "audio/webm", "3").status_code == 413
    assert fingerprint(app) == before


def test_nul_character_is_refused_with_400_and_nothing_saved(app, client, signed_in):
    """Regression: PostgreSQL cannot store NUL, which used to end in a 500 there."""
    from tutoring.accounts.models import Role

    signed_in(Role.REFERENT)
    before = fingerprint(app)
    assert (
        client.post("/apprenants/partenaires", data={"name": "CCAS\x00"}).status_code
        == 400
    )
    assert (
        client.post(
            "/apprenants/partenaires", data={"name": ["ok", "\x00"]}
        ).status_code
        == 400
    )
    assert client.get("/apprenants/?q=%00").status_code == 400
    assert client.get("/attestation/AB%00CD").status_code == 400
    assert fingerprint(app) == before
    assert (
        client.post("/apprenants/partenaires", data={"name": "CCAS"}).status_code == 302
    )


def test_hostile_taps_on_the_picture_code_are_refused_cleanly(app, tenants):
    """The picture sign-in's code page, reached only from a shared computer (the
    crawler's anonymous client is not one): hostile taps never give a 500, a refusal
    stores nothing, nothing comes back unescaped."""
    a, _ = tenants
    computer = sign_in(app, a["accounts"][R])
    token = csrf_token(computer)
    assert computer.post(
        "/apprenants/connexion-images/activer", data={"csrf_token": token}
    ).status_code == 302
    assert computer.post(
        "/structure/postes-partages", data={"csrf_token": token, "label": "Poste 1"}
    ).status_code == 302
    profile_id = a["ids"]["profile_id"]
    response = computer.post(
        f"/apprenants/{profile_id}/images",
        data={"csrf_token": token, "picture": "lit"},
    )
    assert response.status_code == 200
    computer.post("/deconnexion", data={"csrf_token": token})
    page = computer.get("/images/lit")
    assert page.status_code == 200
    form = Form("POST", "/images/lit", [("csrf_token", ""), ("tap", "soleil"),
                                       ("clear", "")])  # fmt: skip
    _fuzz_form(app, computer, form)
