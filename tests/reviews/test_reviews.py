"""The review of written and spoken productions: the queue, the recording, the rubric,
and the feedback the learner reads."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from tests.conftest import card_login, login
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.learning.models import PracticeSet, Review, Submission
from tutoring.pairing.models import Pairing

WEBM = b"\x1a\x45\xdf\xa3" + b"\x00" * 300


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
    practice_set = make.run(lambda: db.session.scalar(select(PracticeSet)))
    # Both marks, newest first, each linking to its correction.
    marked = re.findall(
        r'href="/pratique/serie/(\d+)/correction/(\d+)">Correction reçue le [^:]+ : (\d+) %',
        home,
    )
    expected = make.run(
        lambda: [
            (
                str(practice_set.id),
                str(db.session.get(Submission, s).attempt.position),
                str(round(db.session.get(Submission, s).attempt.score * 100)),
            )
            for s in (speaking, writing)
        ]
    )
    assert marked == expected
    assert expected[0][1] != expected[1][1]  # two different items
    feedback = learner.get(f"/pratique/serie/{practice_set.id}/correction/0").get_data(
        as_text=True
    )
    assert "Très clair, bravo !" in feedback
    assert "Résultat : 67 %" in feedback
    assert "Ma réponse" in feedback  # the text the learner wrote
    assert "je dois annuler mon rendez-vous" in feedback
    oral = learner.get(f"/pratique/serie/{practice_set.id}/correction/1").get_data(
        as_text=True
    )
    assert "Votre production est corrigée" in oral
    assert "La bonne réponse" not in oral  # a spoken answer has no key to show
    assert 'class="right-answer"' not in oral


def test_two_markers_at_the_same_moment_keep_the_first_mark(
    app, make, world, bank, monkeypatch
):
    """The referent and a tutor (or one double tap) mark the same production at the
    same moment: both saw it unmarked. The second is told it is already marked (no
    server error) and the first mark stands."""
    from tutoring.reviews import marking

    writing, _speaking = _produce(app, make, world, bank)
    real = marking.Review

    def crossing(**columns):  # the other marker's review is committed first
        make.run(lambda: (
            db.session.add(real(
                submission_id=writing, reviewer_id=world["referent"],
                criteria={"task": 3, "coherence": 3, "vocabulary": 3, "grammar": 3},
                mark=1.0, comment="Bravo.",
            )),
            db.session.commit(),
        ))  # fmt: skip
        monkeypatch.setattr(marking, "Review", real)
        return real(**columns)

    monkeypatch.setattr(marking, "Review", crossing)
    response = world["staff"].post(f"/corrections/{writing}", data={
        "task": "1", "coherence": "1", "vocabulary": "1", "grammar": "1",
        "comment": "Second.",
    })  # fmt: skip
    assert response.status_code == 400
    assert "Cette production est déjà corrigée." in response.get_data(as_text=True)
    reviews = make.run(
        lambda: [(r.mark, r.comment) for r in db.session.scalars(select(Review))]
    )
    assert reviews == [(1.0, "Bravo.")]
    # nothing of the second mark is kept (the first request's own score is not
    # part of this crossing, only its review row)
    assert make.run(lambda: db.session.get(Submission, writing).attempt.score) is None
