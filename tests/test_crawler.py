"""Security probes: a crawler signed in as each role walks every link and form.

With CSRF protection on (as in production) it proves that every page it reaches
opens and carries the security headers, that every state-changing form refuses a
request without its CSRF token and changes nothing, that what one role reaches is
refused to the roles the access matrix excludes, and that swapping an id for
another structure's object answers 404, and so does naming, in a posted field, another
structure's volunteer or one awaiting approval.
"""

from __future__ import annotations

import pytest

from tests.crawl import (
    OWNED_ARGS,
    OWNED_FIELDS,
    A,
    C,
    L,
    R,
    T,
    build_url,
    crawl,
    csrf_token,
    endpoint_of,
    fingerprint,
    header_problems,
    sign_in,
    two_tenants,
)
from tests.test_access import MATRIX, P
from tutoring.accounts.access import API_TOKEN, PUBLIC, SIGNED_IN
from tutoring.accounts.models import Role

ROLES = [L, T, P, R, C, A]
# What each role must at least reach, so a crawler that stops early fails.
MUST_REACH = {
    None: {"accounts.login", "accounts.card_login", "accounts.tutor_signup", "home.accessibility"},
    L: {
        "learning.index",
        "learning.play",
        "learning.feedback",
        "exams.civic",
        "sessions.index",
        "sessions.calendar",
        "accounts.my_data",
        "home.my_parcours",
    },
    T: {
        "home.volunteer", "home.volunteer_learner", "reviews.review", "content.preview",
        "reviews.live_speaking",
    },
    P: {"home.home", "accounts.overview", "home.charter"},
    R: {
        "home.learner", "accounts.edit_learner", "reviews.review", "accounts.volunteers",
        "content.voices_index", "reviews.live_speaking", "learning.item_analysis",
    },
    C: {"indicators.dashboard", "accounts.overview"},
    A: {
        "admin.accounts", "admin.account", "admin.audit_log", "admin.api_tokens",
        "learning.item_analysis",
    },
}


@pytest.fixture
def tenants(app, make, bank):
    app.config["WTF_CSRF_ENABLED"] = True  # the test config turns it off
    return two_tenants(app, make, bank)


def _client(app, accounts, role):
    return app.test_client() if role is None else sign_in(app, accounts[role])


def _allowed(endpoint: str, role: Role | None) -> bool:
    rule = MATRIX[endpoint]
    if rule == PUBLIC:
        return True
    if rule == API_TOKEN:
        return False
    if rule == SIGNED_IN:
        return role is not None
    assert isinstance(rule, set)
    return role in rule


def _refused(response, role: Role | None) -> bool:
    if role is None:
        return response.status_code == 401 or (
            response.status_code == 302 and "/connexion" in response.headers["Location"]
        )
    return response.status_code == 403


def _name(role):
    return str(role) if role else "anonymous"


@pytest.mark.parametrize("role", [None, *ROLES], ids=_name)
def test_every_reachable_page_opens_and_carries_the_security_headers(
    app, tenants, role
):
    a, _ = tenants
    client = _client(app, a["accounts"], role)
    result = crawl(app, client)
    assert result.problems == []
    reached = {endpoint for endpoint, _, _ in result.pages.values()}
    assert MUST_REACH[role] <= reached
    assert all(status < 500 for _, _, status in result.pages.values())
    # static files carry them too (the test bank ships no item recordings)
    assets = [p for p in sorted(result.assets) if "/audio/items/" not in p]
    for asset in assets[:6]:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert header_problems(response) == [], asset
        response.close()


@pytest.mark.parametrize("role", [None, *ROLES], ids=_name)
def test_every_state_changing_form_refuses_a_request_without_csrf_token(
    app, tenants, role
):
    a, _ = tenants
    client = _client(app, a["accounts"], role)
    forms = [f for f in crawl(app, client).forms.values() if f.method == "POST"]
    assert forms, "the crawler found no form"
    before = fingerprint(app)
    for form in forms:
        assert "csrf_token" in dict(form.fields), form.action
        response = client.post(form.action, data=form.data(without_csrf=True))
        assert response.status_code == 400, form.action
        assert "Le formulaire a expiré" in response.get_data(as_text=True)
        assert header_problems(response) == []
    assert fingerprint(app) == before, "a refused request changed stored data"
    if role is not None:  # and the refused sign-out did not sign anyone out
        assert client.get("/compte/").status_code == 200


def test_what_one_role_reaches_is_refused_to_the_roles_the_matrix_excludes(
    app, tenants
):
    a, _ = tenants
    clients = {role: _client(app, a["accounts"], role) for role in [None, *ROLES]}
    found = {role: crawl(app, clients[role]) for role in ROLES}
    tokens = {role: csrf_token(clients[role]) for role in clients}
    before = fingerprint(app)
    failures, checked = [], 0
    for owner, result in found.items():
        targets = [(url, "GET", None) for url in result.pages]
        targets += [
            (f.action, "POST", f) for f in result.forms.values() if f.method == "POST"
        ]
        for url, method, form in targets:
            match = endpoint_of(app, url, method)
            assert match is not None, url
            endpoint = match[0]
            for other in clients:
                if other == owner or _allowed(endpoint, other):
                    continue
                checked += 1
                if method == "GET":
                    response = clients[other].get(url)
                else:
                    data = {**form.data(), "csrf_token": tokens[other]}
                    response = clients[other].post(url, data=data)
                if not _refused(response, other):
                    failures.append(
                        f"{method} {url} found by {_name(owner)}, as {_name(other)}: "
                        f"{response.status_code}"
                    )
    assert failures == []
    assert checked > 100  # the probe really tried
    assert fingerprint(app) == before


@pytest.mark.parametrize("role", [L, T, R], ids=_name)
def test_another_structures_object_answers_404_when_its_id_is_swapped_in(
    app, tenants, role
):
    a, b = tenants
    client = sign_in(app, a["accounts"][role])
    result = crawl(app, client)
    token = csrf_token(client)
    targets = [(url, "GET", None) for url in result.pages]
    targets += [
        (f.action, "POST", f) for f in result.forms.values() if f.method == "POST"
    ]
    before = fingerprint(app)
    failures, swapped = [], set()
    for url, method, form in targets:
        endpoint, args = endpoint_of(app, url, method)
        owned = [k for k in args if k in OWNED_ARGS]
        if not owned:
            continue
        other = build_url(app, endpoint, {**args, **{k: b["ids"][k] for k in owned}})
        query = url.partition("?")[2]
        other += f"?{query}" if query else ""
        swapped.add(endpoint)
        if method == "GET":
            response = client.get(other)
        else:
            response = client.post(other, data={**form.data(), "csrf_token": token})
        if response.status_code not in (403, 404):
            failures.append(f"{method} {other} ({endpoint}): {response.status_code}")
    # people named in posted fields: another structure's volunteer, one not approved
    for form in (f for f in result.forms.values() if f.method == "POST"):
        data = {**form.data(), "csrf_token": token}
        for name in OWNED_FIELDS.keys() & data.keys():
            endpoint = endpoint_of(app, form.action, "POST")[0]
            swapped.add(endpoint)
            for person in (b["ids"]["tutor_id"], a["ids"]["pending_id"]):
                value = OWNED_FIELDS[name](data[name], person)
                response = client.post(form.action, data={**data, name: value})
                if response.status_code not in (403, 404):
                    failures.append(
                        f"POST {form.action} {name}={value} ({endpoint}): "
                        f"{response.status_code}"
                    )
    assert failures == []
    assert fingerprint(app) == before, "a refused request changed stored data"
    expected = {
        L: {"learning.play", "learning.feedback", "exams.civic", "sessions.cancel"},
        T: {"home.volunteer_learner", "sessions.book", "reviews.review"},
        R: {
            "home.learner", "accounts.edit_learner", "pairing.end_pairing", "reviews.review",
            "content.decide_voice", "pairing.propose_pairing", "pairing.pairings",
        },
    }[role]
    assert expected <= swapped


@pytest.mark.parametrize(
    ("role", "path"),
    [
        (Role.ADMIN, "/admin/comptes/99999999999999999999999"),
        (Role.REFERENT, "/apprenants/2147483648"),
        (Role.LEARNER, "/pratique/serie/99999999999999999999"),
    ],
)
def test_an_id_too_large_for_the_database_is_a_404(app, client, signed_in, role, path):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(role)
    assert client.get(path).status_code == 404
