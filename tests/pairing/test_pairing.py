"""Pairing learners with volunteers: languages and capacity, suggestions, a pairing from
proposal to end, the optimal proposal, and the notices the learner gets in their language."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from tests.conftest import card_login, login
from tutoring.accounts.models import Role, User
from tutoring.accounts.outbox import Channel, OutboxMessage
from tutoring.accounts.profiles import LearnerProfile, TutorProfile
from tutoring.core.extensions import db
from tutoring.pairing import pairings
from tutoring.pairing.models import Pairing


def _set_tutor(make, user_id: int, languages: list[str], capacity: int = 2) -> None:
    def run():
        profile = db.session.get(TutorProfile, user_id)
        profile.languages = languages
        profile.max_learners = capacity

    make.run(run)


@pytest.fixture
def world(app, make):
    referent = make.user("claire", Role.REFERENT)
    amina, amina_user = make.learner(
        referent, first_name="Amina", languages=["ar", "en"]
    )
    oksana, oksana_user = make.learner(
        referent, first_name="Oksana", languages=["uk", "ru"]
    )
    marc = make.user("marc", Role.TUTOR)
    lena = make.user("lena", Role.TUTOR)
    _set_tutor(make, marc, ["ar"], 1)
    _set_tutor(make, lena, ["uk"], 1)
    staff = app.test_client()
    login(staff, "claire")
    return {
        "staff": staff, "referent": referent, "amina": amina, "oksana": oksana,
        "amina_user": amina_user, "oksana_user": oksana_user, "marc": marc, "lena": lena,
    }  # fmt: skip


def test_tutor_describes_languages_and_capacity(app, make):
    tutor = make.user("marc", Role.TUTOR)
    client = app.test_client()
    login(client, "marc")
    response = client.post(
        "/tuteur/profil", data={"languages": ["ar", "xx"], "max_learners": "3"}
    )
    assert response.status_code == 302
    profile = make.run(lambda: db.session.get(TutorProfile, tutor))
    assert profile.languages == ["ar"]
    assert profile.max_learners == 3
    bad = client.post("/tuteur/profil", data={"max_learners": "40"})
    assert bad.status_code == 400


def test_suggestions_rank_a_shared_language_first_and_pairing_runs_its_course(
    app, make, world
):
    staff = world["staff"]
    page = staff.get(f"/apprenants/{world['amina']}").get_data(as_text=True)
    assert page.index("Marc") < page.index("Lena")  # Marc speaks Arabic
    assert "parle Arabe" in page
    staff.post(
        f"/apprenants/{world['amina']}/jumelage", data={"tutor_id": str(world["marc"])}
    )
    pairing = make.run(lambda: db.session.scalar(select(Pairing)))
    assert pairing.status.value == "proposed"

    tutor = app.test_client()
    login(tutor, "marc")
    assert "Amina" in tutor.get("/tuteur/").get_data(as_text=True)
    assert (
        tutor.get(f"/tuteur/apprenants/{world['amina']}").status_code == 404
    )  # not yet
    no_reason = tutor.post(
        f"/tuteur/jumelage/{pairing.id}/reponse", data={"answer": "decline"}
    )
    assert no_reason.status_code == 302
    assert (
        make.run(lambda: db.session.get(Pairing, pairing.id).status.value) == "proposed"
    )
    tutor.post(f"/tuteur/jumelage/{pairing.id}/reponse", data={"answer": "accept"})
    assert (
        make.run(lambda: db.session.get(Pairing, pairing.id).status.value) == "active"
    )
    picture = tutor.get(f"/tuteur/apprenants/{world['amina']}").get_data(as_text=True)
    assert "Comprendre à l’oral" in picture

    other = app.test_client()
    login(other, "lena")
    assert other.get(f"/tuteur/apprenants/{world['amina']}").status_code == 404
    assert (
        other.post(
            f"/tuteur/jumelage/{pairing.id}/reponse", data={"answer": "accept"}
        ).status_code
        == 404
    )

    full = staff.post(
        f"/apprenants/{world['oksana']}/jumelage", data={"tutor_id": str(world["marc"])}
    )
    assert full.status_code == 302  # Marc has no place left: refused with a message
    assert make.run(lambda: len(db.session.scalars(select(Pairing)).all())) == 1

    staff.post(
        f"/apprenants/jumelage/{pairing.id}/fin", data={"reason": "déménagement"}
    )
    ended = make.run(lambda: db.session.get(Pairing, pairing.id))
    assert ended.status.value == "ended"
    assert ended.reason == "déménagement"


def test_optimal_proposal_respects_languages_and_capacity(app, make, world):
    staff = world["staff"]
    page = staff.get("/apprenants/jumelages?proposition=1").get_data(as_text=True)
    pairs = re.findall(r'name="pair" value="(\d+):(\d+)"', page)
    chosen = {int(learner): int(tutor) for learner, tutor in pairs}
    assert chosen == {world["amina"]: world["marc"], world["oksana"]: world["lena"]}
    staff.post("/apprenants/jumelages", data={"pair": [f"{a}:{b}" for a, b in pairs]})
    assert make.run(lambda: len(db.session.scalars(select(Pairing)).all())) == 2
    assert "Personne n’attend de bénévole." in staff.get(
        "/apprenants/jumelages"
    ).get_data(as_text=True)


def test_pairing_changes_reach_the_learner_in_their_language(app, make):
    referent = make.user("claire", Role.REFERENT)
    profile_id, learner_user = make.learner(referent, first_name="Olena")
    tutor_id = make.user("marc", Role.TUTOR)

    def run():
        learner = db.session.get(User, learner_user)
        learner.locale = "uk"
        profile = db.session.get(LearnerProfile, profile_id)
        tutor = db.session.get(User, tutor_id)
        pairing = pairings.propose(db.session.get(User, referent), profile, tutor)
        pairings.respond(tutor, pairing, accept=True)
        pairings.end(pairing, "déménagement")
        db.session.commit()
        rows = db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.user_id == learner_user,
                OutboxMessage.channel == Channel.APP,
            )
        ).all()
        tutor_rows = db.session.scalar(
            select(func.count()).select_from(OutboxMessage)
            .where(OutboxMessage.user_id == tutor_id)
        )  # fmt: skip
        return [r.subject for r in rows], tutor_rows

    subjects, tutor_rows = make.run(run)
    assert len(subjects) == 2
    assert all(any("\u0400" <= ch <= "\u04ff" for ch in s) for s in subjects)  # Ukrainian
    assert tutor_rows == 2  # proposed, ended
    client = app.test_client()
    card_login(client, make.card(learner_user, referent))
    page = client.get("/").get_data(as_text=True)
    notice_id = make.run(lambda: db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.user_id == learner_user)))  # fmt: skip
    assert client.post(f"/nouvelles/{notice_id}/lu").status_code == 302
    assert client.get("/").get_data(as_text=True).count('class="notice info"') < page.count(
        'class="notice info"'
    )
    other = app.test_client()
    login(other, "marc")
    assert other.post(f"/nouvelles/{notice_id}/lu").status_code == 404
