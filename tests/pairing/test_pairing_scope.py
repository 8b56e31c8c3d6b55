"""Regression (issue #13, finding 2): a referent proposes only an approved volunteer of
the learner's structure. Another structure's volunteer, one awaiting approval, or an
account that is no volunteer at all (admin, coordinator, learner) is an unknown id: 404,
and no pairing is made. The check used to compare `User` objects with `in`, which
Flask-Login's `UserMixin.__eq__` made always true."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.conftest import login
from tutoring.accounts.models import Role
from tutoring.core.extensions import db
from tutoring.pairing.models import Pairing


@pytest.fixture
def world(app, make):
    referent = make.user("ref-a", Role.REFERENT, structure="Association Myriade")
    profile_id, learner_user = make.learner(referent, first_name="Amina")
    staff = app.test_client()
    login(staff, "ref-a")
    return {
        "staff": staff,
        "profile": profile_id,
        "own": make.user("marc-a", Role.TUTOR, structure="Association Myriade"),
        "elsewhere": make.user("lena-b", Role.TUTOR, structure="CCAS de Millau"),
        "pending": make.user("paul-p", Role.TUTOR, approved=False, structure=None),
        "admin": make.user("admin-a", Role.ADMIN, structure=None),
        "coordinator": make.user("coord-a", Role.COORDINATOR, structure=None),
        "learner": learner_user,
        "referent": referent,
    }


def _pairings(make) -> int:
    return make.run(lambda: db.session.scalar(select(func.count(Pairing.id))))


@pytest.mark.parametrize(
    "who", ["elsewhere", "pending", "admin", "coordinator", "learner", "referent"]
)
def test_a_user_who_is_not_an_approved_volunteer_of_the_structure_is_a_404(
    make, world, who
):
    response = world["staff"].post(
        f"/apprenants/{world['profile']}/jumelage", data={"tutor_id": str(world[who])}
    )
    assert response.status_code == 404
    assert _pairings(make) == 0


@pytest.mark.parametrize("who", ["elsewhere", "pending", "admin", "learner"])
def test_the_optimal_proposal_form_refuses_them_too(make, world, who):
    response = world["staff"].post(
        "/apprenants/jumelages", data={"pair": f"{world['profile']}:{world[who]}"}
    )
    assert response.status_code == 404
    assert _pairings(make) == 0


def test_the_structures_approved_volunteer_is_proposed(make, world):
    response = world["staff"].post(
        f"/apprenants/{world['profile']}/jumelage", data={"tutor_id": str(world["own"])}
    )
    assert response.status_code == 302
    tutor_ids = make.run(lambda: db.session.scalars(select(Pairing.tutor_id)).all())
    assert tutor_ids == [world["own"]]


def test_a_missing_or_unknown_tutor_id_is_refused_without_error(make, world):
    url = f"/apprenants/{world['profile']}/jumelage"
    assert world["staff"].post(url, data={}).status_code == 400
    assert world["staff"].post(url, data={"tutor_id": "999999"}).status_code == 404
    assert _pairings(make) == 0
