"""The mock French exam in the TCF format: four timed sections, no correction until
the end, results per skill, never presented as an official score."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from exercises.loading import BANK, load_bank
from exercises.mock import SECTIONS, draw_section
from tests.conftest import card_login
from tests.content.test_bank_content import key_response
from tutoring.accounts.models import Role
from tutoring.content.bank import item_of, sync_bank
from tutoring.content.models import ItemVersion
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.exams.models import LanguageExam
from tutoring.learning.models import PracticeSet

ITEMS, _ = load_bank(BANK, check_audio=False)


def test_sections_follow_the_tcf_format():
    rng = random.Random(3)
    co, ce, ee, eo = (draw_section(ITEMS, s, rng, frozenset()) for s in SECTIONS)
    assert (len(co), len(ce), len(ee), len(eo)) == (25, 25, 3, 3)
    assert {i.skill for i in co} == {"CO"}
    assert {i.skill for i in ce} == {"CE"}
    assert {i.type for i in ee} == {"short_writing"}
    assert {i.type for i in eo} == {"oral_production"}
    order = ["A1.1", "A1", "A2", "B1", "B2"]
    assert [order.index(i.level) for i in co] == sorted(
        order.index(i.level) for i in co
    )
    assert [s.minutes for s in SECTIONS] == [20, 35, 30, 10]


@pytest.fixture
def learner(app, make):
    items, _ = load_bank(BANK, check_audio=False)
    with app.app_context():
        sync_bank(items)
        db.session.commit()
    referent = make.user("claire", Role.REFERENT)
    _profile, user_id = make.learner(referent, first_name="Amina")
    client = app.test_client()
    card_login(client, make.card(user_id, referent))
    return client


def _latest(make, model):
    return make.run(lambda: db.session.scalar(select(model).order_by(model.id.desc())))


def _answer_all(client, make, practice_id: int) -> None:
    for _ in range(30):
        practice = make.run(lambda: db.session.get(PracticeSet, practice_id))
        if practice.finished_at is not None:
            return
        page = client.get(f"/pratique/serie/{practice_id}").get_data(as_text=True)
        fields = dict(
            re.findall(r'name="(position|client_id|shown_at)" value="([^"]*)"', page)
        )
        version_id = practice.item_version_ids[practice.position]
        item = item_of(
            make.run(lambda vid=version_id: db.session.get(ItemVersion, vid))
        )
        reply = client.post(
            f"/pratique/serie/{practice_id}", data={**fields, **key_response(item)}
        )
        assert reply.status_code == 302


def _expire(make, practice_id: int) -> None:
    def run():
        db.session.get(PracticeSet, practice_id).deadline = utcnow() - timedelta(
            seconds=1
        )

    make.run(run)


def test_learner_sits_the_mock_french_exam(learner, make):
    assert "Examen blanc de français" in learner.get("/examens/").get_data(as_text=True)
    assert learner.post("/examens/francais").status_code == 302
    exam = _latest(make, LanguageExam)
    overview = learner.get(f"/examens/francais/{exam.id}").get_data(as_text=True)
    assert "Compréhension orale" in overview
    assert "ce n’est pas un score officiel du TCF" in overview

    learner.post(f"/examens/francais/{exam.id}/partie")
    listening = _latest(make, PracticeSet)
    assert len(listening.item_version_ids) == 25
    page = learner.get(f"/pratique/serie/{listening.id}").get_data(as_text=True)
    assert "Temps restant : 20 minutes" in page
    assert (
        learner.get(f"/pratique/serie/{listening.id}/correction/0").status_code == 404
    )
    _answer_all(learner, make, listening.id)
    assert "terminée" in learner.get(f"/examens/francais/{exam.id}").get_data(
        as_text=True
    )

    learner.post(f"/examens/francais/{exam.id}/partie")
    reading = _latest(make, PracticeSet)
    assert reading.id != listening.id
    _expire(make, reading.id)
    page = learner.get(f"/pratique/serie/{reading.id}")
    assert page.status_code == 302  # time over: back to the exam
    for _ in range(2):
        learner.post(f"/examens/francais/{exam.id}/partie")
        _expire(make, _latest(make, PracticeSet).id)
    result = learner.get(f"/examens/francais/{exam.id}", follow_redirects=True)
    body = result.get_data(as_text=True)
    assert "Résultat de l’examen blanc de français" in body
    assert "25 sur 25" in body or "25.0 sur 25" in body
    assert "ce n’est pas un score officiel du TCF" in body
    finished = _latest(make, LanguageExam)
    assert finished.finished_at is not None
    # Per part, whether the target level is reached: not for the unanswered parts.
    assert f"Niveau {finished.target} atteint" in body
    assert body.count('<dd class="passed">pas encore</dd>') == sum(
        passed is False
        for passed in (finished.passed_co, finished.passed_ce, finished.passed_ee,
                       finished.passed_eo)
    )  # fmt: skip
    assert finished.passed_ce is False  # reading: time over, nothing answered


def test_a_late_answer_is_refused(learner, make):
    learner.post("/examens/francais")
    exam = _latest(make, LanguageExam)
    learner.post(f"/examens/francais/{exam.id}/partie")
    section = _latest(make, PracticeSet)
    page = learner.get(f"/pratique/serie/{section.id}").get_data(as_text=True)
    fields = dict(
        re.findall(r'name="(position|client_id|shown_at)" value="([^"]*)"', page)
    )
    _expire(make, section.id)
    reply = learner.post(
        f"/pratique/serie/{section.id}", data={**fields, "choice": "0"}
    )
    assert reply.status_code == 302
    assert f"/examens/francais/{exam.id}" in reply.headers["Location"]
    from tutoring.learning.models import Attempt

    assert make.run(lambda: db.session.scalar(select(Attempt))) is None


def test_another_learner_cannot_open_my_french_exam(learner, make, app):
    learner.post("/examens/francais")
    exam = _latest(make, LanguageExam)
    referent = make.user("ref-b", Role.REFERENT, structure="Autre")
    _p, other_id = make.learner(referent, first_name="Oksana")
    other = app.test_client()
    card_login(other, make.card(other_id, referent))
    assert other.get(f"/examens/francais/{exam.id}").status_code == 404
    assert other.post(f"/examens/francais/{exam.id}/partie").status_code == 404
    assert other.get(f"/examens/francais/{exam.id}/resultat").status_code == 404


def _passed(make, exam_id: int) -> tuple[bool | None, ...]:
    exam = make.run(lambda: db.session.get(LanguageExam, exam_id))
    return (exam.passed_co, exam.passed_ce, exam.passed_ee, exam.passed_eo)


def _sit(learner, make, answered: str) -> int:
    """Sit a whole exam: answer the section of `answered` with the key (or a text for
    writing), let the time of the three others run out; return the exam id."""
    learner.post("/examens/francais")
    exam = _latest(make, LanguageExam)
    for section in SECTIONS:
        learner.post(f"/examens/francais/{exam.id}/partie")
        practice = _latest(make, PracticeSet)
        if section.skill == answered == "EE":
            for _ in range(len(practice.item_version_ids)):
                page = learner.get(f"/pratique/serie/{practice.id}").get_data(
                    as_text=True
                )
                fields = dict(
                    re.findall(
                        r'name="(position|client_id|shown_at)" value="([^"]*)"', page
                    )
                )
                text = "Bonjour, je voudrais un rendez-vous mardi matin. Merci."
                reply = learner.post(
                    f"/pratique/serie/{practice.id}", data={**fields, "text": text}
                )
                assert reply.status_code == 302
        elif section.skill == answered:
            _answer_all(learner, make, practice.id)
        else:
            _expire(make, practice.id)
    learner.get(f"/examens/francais/{exam.id}")
    assert _latest(make, LanguageExam).finished_at is not None
    return exam.id


def test_the_outcome_per_skill_is_stored_when_the_exam_finishes(learner, make, runner):
    exam_id = _sit(learner, make, "CO")
    # 25 right answers in listening reach A2; an empty section keeps the starting
    # level, below A2: not passed.
    assert _passed(make, exam_id) == (True, False, False, False)

    def same_as_the_result_page():
        from tutoring.exams.language import language_results

        exam = db.session.get(LanguageExam, exam_id)
        return tuple(r["passed"] for r in language_results(exam))

    assert make.run(same_as_the_result_page) == (True, False, False, False)

    def forget():  # an exam finished before the columns existed
        exam = db.session.get(LanguageExam, exam_id)
        exam.passed_co = exam.passed_ce = exam.passed_ee = exam.passed_eo = None

    make.run(forget)
    result = runner.invoke(args=["indicators", "language-exams"])
    assert result.exit_code == 0, result.output
    assert "1 finished mock French exams examined" in result.output
    assert _passed(make, exam_id) == (True, False, False, False)
    again = runner.invoke(args=["indicators", "language-exams"])
    assert "0 finished mock French exams examined" in again.output
    everything = runner.invoke(args=["indicators", "language-exams", "--all"])
    assert "1 finished mock French exams examined" in everything.output


def test_writing_is_decided_when_a_tutor_has_marked_every_text(learner, make):
    from tutoring.accounts.models import User
    from tutoring.learning.models import Attempt, Submission
    from tutoring.reviews.marking import RUBRIC_WRITING, record_review

    exam_id = _sit(learner, make, "EE")
    assert _passed(make, exam_id) == (False, False, None, False)  # texts wait
    reviewer = make.user("correctrice", Role.REFERENT)

    def review(first: int, last: int) -> None:
        submissions = db.session.scalars(
            select(Submission)
            .join(Attempt, Attempt.id == Submission.attempt_id)
            .join(PracticeSet, PracticeSet.id == Attempt.set_id)
            .where(PracticeSet.exam_id == exam_id)
            .order_by(Submission.id)
        ).all()
        assert len(submissions) == 3
        for submission in submissions[first:last]:
            record_review(
                submission,
                db.session.get(User, reviewer),
                dict.fromkeys(RUBRIC_WRITING, 3),
                "Très bien.",
            )

    make.run(lambda: review(0, 2))
    assert _passed(make, exam_id)[2] is None  # one text still waits
    make.run(lambda: review(2, 3))
    assert _passed(make, exam_id) == (False, False, True, False)
