"""A learner's home page: what it lists, and the lists it does not read."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from tests.conftest import card_login, statements
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.core.i18n import format_moment
from tutoring.exams.models import CivicExam, LanguageExam
from tutoring.learning.models import Assignment
from tutoring.sessions.models import TutoringSession

LISTS = ("SELECT assignments.", "SELECT civic_exams.", "SELECT language_exams.")


def _book(pair, day: date, at: str) -> None:
    """The paired volunteer books a session with the learner."""
    response = pair["client"].post(
        f"/tuteur/apprenants/{pair['profile']}/seances",
        data={"day": day.isoformat(), "at": at, "minutes": "60",
              "where": str(pair["place"])},
    )  # fmt: skip
    assert response.status_code == 302


def _homework_and_civic_exam(pair) -> None:
    """Homework to do and a civic mock exam handed in (34/40), for the learner."""
    db.session.add(
        Assignment(learner_id=pair["profile"], created_by_id=pair["tutor"],
                   title="Lire une ordonnance", item_version_ids=[],
                   due_on=date.today() + timedelta(days=7))
    )  # fmt: skip
    db.session.add(
        CivicExam(learner_id=pair["profile"], mention="csp", questions=[],
                  answers=[], submitted_at=utcnow(), score=34)
    )  # fmt: skip


def test_lists_the_learner_has_nothing_in_are_not_read(app, make, learner):
    """Most visits: no homework, no mock exam finished. The home page learns it with
    its other yes/no questions and reads none of these lists; a civic exam begun
    but not handed in does not count as finished."""

    def begin_civic_exam() -> None:
        db.session.add(
            CivicExam(learner_id=learner.profile_id, mention="csp", questions=[],
                      answers=[])
        )  # fmt: skip

    make.run(begin_civic_exam)
    pages: list[str] = []
    seen = statements(app, lambda: pages.append(learner.get("/").get_data(True)))
    assert "À faire aujourd’hui" in pages[0]
    assert [s for s in seen if s.startswith(LISTS)] == []
    assert "Dernier examen civique blanc" not in pages[0]
    assert "Devoir :" not in pages[0]


def test_homework_last_mock_exams_and_the_next_session_are_shown(app, make, pair):
    """What the questions say exists is read and shown: the homework, the last
    civic and French mock exams, and the soonest of the sessions to come."""
    booked = [
        (date.today() + timedelta(days=10), "16:00"),
        (date.today() + timedelta(days=3), "09:00"),
    ]
    for day, at in booked:  # the later one first
        _book(pair, day, at)

    def results() -> None:
        _homework_and_civic_exam(pair)
        now = utcnow()
        db.session.add(
            LanguageExam(learner_id=pair["profile"], target="A2", started_at=now,
                         finished_at=now)
        )  # fmt: skip

    make.run(results)
    learner = app.test_client()
    card_login(learner, make.card(pair["learner_user"], pair["referent"]))
    home = learner.get("/").get_data(as_text=True)

    assert "Lire une ordonnance" in home
    assert "Dernier examen civique blanc : 34 sur 40" in home
    assert "Dernier examen blanc de français" in home
    sooner = make.run(
        lambda: db.session.scalars(
            select(TutoringSession).order_by(TutoringSession.starts_at)
        ).all()
    )
    with app.test_request_context():
        soonest, later = (format_moment(s.starts_at) for s in sooner)
    next_session = home.split("Ma prochaine séance", 1)[1].split("</section>", 1)[0]
    assert soonest in next_session
    assert later not in next_session


def test_each_learner_sees_only_their_own_and_the_time_of_the_visit(
    app, make, pair, monkeypatch
):
    """The home page's statements are built once and shared by every request: the
    learner and the time are given on each run. A learner who visits after another
    sees nothing of the other's homework, mock exams, notices or sessions; a session
    that has ended since an earlier visit is no longer the next one."""
    from tutoring.sessions import agenda

    _book(pair, date.today() + timedelta(days=3), "09:00")
    make.run(lambda: _homework_and_civic_exam(pair))
    amina = app.test_client()
    card_login(amina, make.card(pair["learner_user"], pair["referent"]))
    _other_profile, other_user = make.learner(pair["referent"], first_name="Yusuf")
    yusuf = app.test_client()
    card_login(yusuf, make.card(other_user, pair["referent"]))

    first = amina.get("/").get_data(as_text=True)
    theirs = ("Lire une ordonnance", "Dernier examen civique blanc",
              "Ma prochaine séance", "Nouvelle séance")  # fmt: skip
    assert all(text in first for text in theirs), first
    other = yusuf.get("/").get_data(as_text=True)
    assert "Yusuf" in other
    assert [text for text in theirs if text in other] == []

    after_it = utcnow() + timedelta(days=4)
    monkeypatch.setattr(agenda, "utcnow", lambda: after_it)
    later = amina.get("/").get_data(as_text=True)
    assert "Lire une ordonnance" in later
    assert "Ma prochaine séance" not in later
