"""The indicators API: same figures and suppression as the coordinator, JSON errors."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from tests.indicators.test_indicators import scenario  # noqa: F401 - the fixed March scenario
from tutoring.core.codes import digest
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.indicators.models import ApiToken

TOKEN = "ctai_test_token_0123456789"
MARCH = {"period": "month", "value": "2026-03"}


@pytest.fixture
def api(app, make):
    make.run(
        lambda: db.session.add(
            ApiToken(name="ctai", prefix=TOKEN[:9], token_hash=digest(TOKEN))
        )
    )
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {TOKEN}"
    return client


@pytest.mark.usefixtures("scenario")
def test_indicator_is_hidden_below_the_threshold(api):
    response = api.get("/api/v1/indicators/beneficiaries.active", query_string=MARCH)
    assert response.status_code == 200
    data = response.get_json()
    assert data["value"] is None
    assert data["hidden"] is True
    assert data["period"] == {"from": "2026-03-01", "to": "2026-03-31"}
    assert data["small_cell_rule"]["threshold"] == 11


@pytest.mark.usefixtures("scenario")
def test_indicator_values_match_the_dashboard_definitions(app, api):
    app.config["SMALL_CELL_THRESHOLD"] = 1
    get = lambda name: api.get(f"/api/v1/indicators/{name}", query_string=MARCH)  # noqa: E731
    assert get("beneficiaries.active").get_json()["value"] == 4
    assert get("tutoring.hours").get_json()["value"] == 3.0
    cells = get("beneficiaries.active_by.public_category").get_json()
    assert cells["cells"]["bpi"] == 2
    assert cells["total"] == 4
    trend = api.get(
        "/api/v1/indicators/trend.sessions",
        query_string={"from": "2026-02-01", "to": "2026-04-30"},
    ).get_json()
    assert trend["months"] == [
        {"month": "2026-02", "value": 0},
        {"month": "2026-03", "value": 3},
        {"month": "2026-04", "value": 1},
    ]


@pytest.mark.usefixtures("scenario")
def test_no_answer_reveals_a_small_count(api):
    names = api.get("/api/v1/indicators").get_json()["indicators"]
    for name in names:
        data = api.get(f"/api/v1/indicators/{name}", query_string=MARCH).get_json()
        values = [data.get("value"), data.get("total")]
        values += list(data.get("cells", {}).values())
        values += [m["value"] for m in data.get("months", [])]
        people = [v for v in values if isinstance(v, int)]
        assert not [v for v in people if 0 < v < 11], name


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        (
            "beneficiaries.active",
            {"from": "2026-02-30", "to": "2026-03-01"},
            "illisible",
        ),
        (
            "beneficiaries.active",
            {"from": "2020-01-01", "to": "2026-01-01"},
            "trop longue",
        ),
        ("beneficiaries.active", {"period": "month", "value": "mars"}, "illisible"),
        ("beneficiaries.dead", MARCH, "Indicateur inconnu"),
        ("beneficiaries.active", {**MARCH, "category": "x"}, "Catégorie"),
    ],
)
def test_bad_input_answers_400_in_json(api, name, query, message):
    response = api.get(f"/api/v1/indicators/{name}", query_string=query)
    assert response.status_code == 400
    assert message in response.get_json()["error"]


def test_missing_unknown_or_revoked_token_answers_401_in_json(app, api, make):
    anonymous = app.test_client()
    response = anonymous.get("/api/v1/indicators")
    assert response.status_code == 401
    assert "Jeton absent" in response.get_json()["error"]
    response = anonymous.get(
        "/api/v1/indicators", headers={"Authorization": "Bearer nope"}
    )
    assert response.status_code == 401

    def revoke():
        db.session.scalar(db.select(ApiToken)).revoked_at = utcnow()

    make.run(revoke)
    assert api.get("/api/v1/indicators").status_code == 401


def test_use_of_a_token_is_recorded(api, make):
    assert api.get("/api/v1/indicators").status_code == 200
    used = make.run(lambda: db.session.scalar(db.select(ApiToken.last_used_at)))
    assert used is not None


def test_api_is_rate_limited(api):
    statuses = {api.get("/api/v1/indicators").status_code for _ in range(125)}
    assert 429 in statuses


SCOPED = "ctai_scoped_token_9876543210"


@pytest.fixture
def scoped_api(app, make):
    """A token that may read the exam figures and the monthly series only."""
    make.run(
        lambda: db.session.add(
            ApiToken(
                name="examens", prefix=SCOPED[:9], token_hash=digest(SCOPED),
                scope=["exams", "trend"],
            )
        )
    )  # fmt: skip
    client = app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {SCOPED}"
    return client


@pytest.mark.usefixtures("scenario")
def test_a_scoped_token_reads_its_groups_only(scoped_api):
    allowed = scoped_api.get("/api/v1/indicators/exams.civic_taken", query_string=MARCH)
    assert allowed.status_code == 200
    assert allowed.get_json()["value"] == 0
    trend = scoped_api.get("/api/v1/indicators/trend.active", query_string=MARCH)
    assert trend.status_code == 200
    for name in (
        "beneficiaries.active",
        "beneficiaries.active_by.sex",
        "tutoring.hours",
        "practice.attempts",
        "outcomes.certification",
    ):
        refused = scoped_api.get(f"/api/v1/indicators/{name}", query_string=MARCH)
        assert refused.status_code == 403, name
        body = refused.get_json()
        assert body["status"] == 403
        assert "ne donne pas accès à l’indicateur" in body["error"]
        assert name in body["error"]
    enrolments = scoped_api.get("/api/v1/indicators/enrolments")
    assert enrolments.status_code == 403
    assert enrolments.get_json()["status"] == 403


def test_a_scoped_token_lists_only_what_it_may_read(api, scoped_api):
    names = set(scoped_api.get("/api/v1/indicators").get_json()["indicators"])
    assert "exams.civic_passed" in names
    assert "trend.sessions" in names
    assert {n.split(".")[0] for n in names} == {"exams", "trend"}
    everything = set(api.get("/api/v1/indicators").get_json()["indicators"])
    assert names < everything
    assert "tutoring.hours" in everything  # a token without a scope reads everything
    assert "beneficiaries.active_by.partner_id" in everything


def test_out_of_scope_answer_follows_the_reader_language(scoped_api):
    response = scoped_api.get(
        "/api/v1/indicators/tutoring.hours", headers={"Accept-Language": "en"}
    )
    assert response.status_code == 403
    assert "This token does not give access" in response.get_json()["error"]


def test_unknown_indicator_is_still_400_for_a_scoped_token(scoped_api):
    response = scoped_api.get("/api/v1/indicators/tutoring.nothing")
    assert response.status_code == 400


def test_openapi_document_is_valid(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    validate(document)
    names = document["paths"]["/indicators/{name}"]["get"]["parameters"][0]
    assert "beneficiaries.active" in names["schema"]["enum"]
    for path in ("/indicators/{name}", "/indicators/enrolments"):
        assert "403" in document["paths"][path]["get"]["responses"], path


def test_api_answers_json_for_an_unknown_path_and_a_wrong_method(api):
    missing = api.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.get_json()["status"] == 404
    wrong = api.post("/api/v1/indicators")
    assert wrong.status_code == 405
    assert wrong.get_json()["status"] == 405
    assert "GET" in wrong.headers["Allow"]


def test_refused_tokens_are_rate_limited_too(app):
    guesser = app.test_client()
    guesser.environ_base["HTTP_AUTHORIZATION"] = "Bearer ctai_not_a_real_token"
    codes = [guesser.get("/api/v1/indicators").status_code for _ in range(125)]
    assert codes[0] == 401
    assert codes[-1] == 429  # the 121st request of the minute is refused
    assert guesser.get("/api/v1/indicators").get_json()["status"] == 429


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("to=null&to=null", "répété"),
        ("period=month&value=2026-03&value=2026-04", "répété"),
        ("period=month&value=2026-03&to=2026-03-31", "period=custom"),
        ("to=2026-03-31", "« from » et « to »"),
        ("periode=month", "inconnu"),
    ],
)
def test_repeated_unknown_or_mixed_parameters_are_refused(api, query, message):
    response = api.get("/api/v1/indicators/beneficiaries.active?" + query)
    assert response.status_code == 400
    assert message in response.get_json()["error"]
