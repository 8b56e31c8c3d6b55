"""Pairing learners with volunteers, and the review of written and spoken productions."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from tests.conftest import card_login, login
from tutoring.accounts.models import Role
from tutoring.accounts.profiles import LearnerProfile, TutorProfile
from tutoring.core.extensions import db
from tutoring.learning.models import PracticeSet, Review, Submission
from tutoring.pairing.models import Pairing

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 300


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


def _produce(app, make, world, bank) -> tuple[int, int]:
    """Amina answers a writing and a speaking item; return their submission ids."""
    from tutoring.learning import practice

    def run():
        profile = db.session.get(LearnerProfile, world["amina"])
        current = practice.start_set(profile, level="A2")
        current.item_version_ids = [bank["a2-sante-test-11"], bank["a2-sante-test-12"]]
        practice.record_answer(
            profile, current, position=0, client_id=str(uuid.uuid4()),
            response={"text": "Bonjour docteur, je dois annuler mon rendez-vous."}, time_ms=1000,
        )  # fmt: skip
        practice.record_answer(
            profile, current, position=1, client_id=str(uuid.uuid4()),
            response={"seconds": 9.0}, time_ms=1000, audio=(WEBM, "audio/webm"),
        )  # fmt: skip
        return [
            s.id for s in db.session.scalars(select(Submission).order_by(Submission.id))
        ]

    return tuple(make.run(run))


def test_referent_and_paired_tutor_review_productions_the_learner_reads(
    app, make, world, bank
):
    writing, speaking = _produce(app, make, world, bank)
    staff = world["staff"]
    queue = staff.get("/corrections/").get_data(as_text=True)
    assert queue.count("Amina") == 2

    stranger = app.test_client()
    login(stranger, "lena")
    assert "Amina" not in stranger.get("/corrections/").get_data(as_text=True)
    assert stranger.get(f"/corrections/{writing}").status_code == 404
    assert stranger.get(f"/corrections/{speaking}/enregistrement").status_code == 404

    staff.post(
        f"/apprenants/{world['amina']}/jumelage", data={"tutor_id": str(world["marc"])}
    )
    tutor = app.test_client()
    login(tutor, "marc")
    pairing = make.run(lambda: db.session.scalar(select(Pairing)))
    tutor.post(f"/tuteur/jumelage/{pairing.id}/reponse", data={"answer": "accept"})
    audio = tutor.get(f"/corrections/{speaking}/enregistrement")
    assert audio.status_code == 200
    assert audio.mimetype == "audio/webm"
    assert audio.headers["Cache-Control"] == "no-store"
    assert audio.data == WEBM
    audio.close()

    incomplete = tutor.post(f"/corrections/{writing}", data={"task": "3"})
    assert incomplete.status_code == 400
    assert make.run(lambda: db.session.scalar(select(Review))) is None
    good = {
        "task": "3",
        "coherence": "2",
        "vocabulary": "2",
        "grammar": "1",
        "comment": "Très clair, bravo !",
    }
    assert tutor.post(f"/corrections/{writing}", data=good).status_code == 302
    review = make.run(lambda: db.session.scalar(select(Review)))
    assert review.mark == pytest.approx(8 / 12, abs=1e-3)
    assert make.run(
        lambda: db.session.get(Submission, writing).attempt.score
    ) == pytest.approx(8 / 12, abs=1e-3)
    assert (
        tutor.post(f"/corrections/{writing}", data=good).status_code == 400
    )  # once only
    spoken = {
        "task": "2",
        "coherence": "2",
        "vocabulary": "2",
        "grammar": "2",
        "pronunciation": "2",
    }
    assert tutor.post(f"/corrections/{speaking}", data=spoken).status_code == 302

    learner = app.test_client()
    card_login(learner, make.card(world["amina_user"], world["referent"]))
    home = learner.get("/").get_data(as_text=True)
    assert "Correction reçue" in home
    practice_set = make.run(lambda: db.session.scalar(select(PracticeSet)))
    feedback = learner.get(f"/pratique/serie/{practice_set.id}/correction/0").get_data(
        as_text=True
    )
    assert "Très clair, bravo !" in feedback
    assert "Résultat : 67 %" in feedback
