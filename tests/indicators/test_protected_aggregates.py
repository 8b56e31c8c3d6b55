"""Aggregates only, small cells protected: the token API (issued and revoked by an admin),
the coordinator's dashboard and the protection rules themselves."""

from __future__ import annotations

import re

from sqlalchemy import select

from tutoring.accounts.models import Role
from tutoring.core.extensions import db
from tutoring.indicators.definitions import protect
from tutoring.indicators.models import ApiToken


def test_api_needs_a_valid_token_and_never_lists_people(app, client, make, signed_in):
    app.config["REQUIRE_2FA_ROLES"] = []
    signed_in(Role.ADMIN)
    page = client.post("/admin/jetons", data={"name": "Module CTAI"}).get_data(
        as_text=True
    )
    token = re.search(r"(ctai_[A-Za-z0-9_-]+)", page).group(1)
    assert make.run(lambda: db.session.scalar(select(ApiToken.token_hash))) != token
    api = app.test_client()
    assert api.get("/api/v1/indicators/enrolments").status_code == 401
    assert (
        api.get(
            "/api/v1/indicators/enrolments", headers={"Authorization": "Bearer nope"}
        ).status_code
        == 401
    )
    referent = make.user("claire", Role.REFERENT)
    for i in range(12):
        make.learner(referent, first_name=f"Prenom{i}")
    make.learner(
        referent,
        first_name="Seule",
        public_category=__import__(
            "tutoring.accounts.profiles", fromlist=["PublicCategory"]
        ).PublicCategory.BPT,
    )
    response = api.get(
        "/api/v1/indicators/enrolments", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    data = response.get_json()
    by_category = data["learners_enrolled"]["by_public_category"]
    assert by_category["bpt"] is None  # 1 person: hidden
    assert by_category["bpi"] is None  # secondary suppression, or the total would tell
    assert data["learners_enrolled"]["total"] == 13
    assert "Prenom" not in response.get_data(as_text=True)
    token_id = make.run(lambda: db.session.scalar(select(ApiToken.id)))
    client.post(f"/admin/jetons/{token_id}/revoquer")
    assert (
        api.get(
            "/api/v1/indicators/enrolments",
            headers={"Authorization": f"Bearer {token}"},
        ).status_code
        == 401
    )


def test_coordinator_dashboard_shows_protected_aggregates_only(
    app, client, make, signed_in
):
    app.config["REQUIRE_2FA_ROLES"] = []
    referent = make.user("claire", Role.REFERENT)
    for i in range(3):
        make.learner(referent, first_name=f"Prenom{i}")
    signed_in(Role.COORDINATOR)
    page = client.get("/coordination/").get_data(as_text=True)
    assert "&lt; 11" in page
    assert "Prenom" not in page
    assert ">3<" not in page


def test_small_cell_protection_rules():
    cells, total = protect({"a": 40, "b": 3, "c": 25, "d": 0}, 11)
    shown = {c.key: c.value for c in cells}
    assert shown["b"] is None
    assert shown["c"] is None  # second smallest hidden so b cannot be derived
    assert shown["a"] == 40
    assert shown["d"] == 0
    assert total == 68
    cells, total = protect({"a": 4, "b": 2}, 11)
    assert total is None
    assert all(c.value is None for c in cells)
    cells, total = protect({"a": 2, "b": 3, "c": 30}, 11)
    assert {c.key: c.value for c in cells} == {"a": None, "b": None, "c": 30}
