"""Tutoring sessions: Europe/Paris times, no double booking (even concurrent), cancel
with a guard time, reports, and calendar files."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from tests.conftest import card_login, login
from tutoring.accounts.models import Role, User
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.pairing.models import Pairing
from tutoring.pairing.pairings import TutoringError
from tutoring.sessions.booking import book_session, to_utc
from tutoring.sessions.models import SessionStatus, TutoringSession

UTC = UTC


def test_times_are_millau_wall_clock_across_daylight_saving_changes():
    assert to_utc(date(2026, 3, 28), time(10, 0)) == datetime(
        2026, 3, 28, 9, 0, tzinfo=UTC
    )
    assert to_utc(date(2026, 3, 30), time(10, 0)) == datetime(
        2026, 3, 30, 8, 0, tzinfo=UTC
    )
    with pytest.raises(TutoringError):
        to_utc(date(2026, 3, 29), time(2, 30))  # skipped by the spring change
    assert to_utc(date(2026, 10, 25), time(2, 30)) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )
    assert to_utc(date(2026, 10, 26), time(10, 0)) == datetime(
        2026, 10, 26, 9, 0, tzinfo=UTC
    )


def _book(pair, day: date, at: str = "10:00", minutes: str = "60"):
    return pair["client"].post(
        f"/tuteur/apprenants/{pair['profile']}/seances",
        data={
            "day": day.isoformat(),
            "at": at,
            "minutes": minutes,
            "where": str(pair["place"]),
        },
    )


def _sessions(make):
    return make.run(
        lambda: db.session.scalars(
            select(TutoringSession).order_by(TutoringSession.id)
        ).all()
    )


def test_tutor_books_and_the_learner_sees_it_with_a_calendar_file(app, make, pair):
    day = date.today() + timedelta(days=10)
    assert _book(pair, day).status_code == 302
    [session] = _sessions(make)
    assert session.status == SessionStatus.SCHEDULED
    learner = app.test_client()
    card_login(learner, make.card(pair["learner_user"], pair["referent"]))
    home = learner.get("/").get_data(as_text=True)
    # the next session opens the home page, and « Mes séances » is in the menu
    assert home.index("Ma prochaine séance") < home.index("À faire aujourd’hui")
    menu = home[home.index('class="main-nav"') : home.index("</nav>")]
    assert 'href="/seances/"' in menu
    assert "Mes séances" in menu
    assert "Espace numérique MESA" in learner.get("/seances/").get_data(as_text=True)
    ics = learner.get(f"/seances/{session.id}.ics")
    assert ics.mimetype == "text/calendar"
    event = Calendar.from_ical(ics.data).walk("VEVENT")[0]
    assert str(event["uid"]) == session.slot
    assert event.decoded("dtstart") == session.starts_at
    assert int(event["sequence"]) == 0

    pair["client"].post(f"/seances/{session.id}/annuler", data={"reason": "malade"})
    cancelled = learner.get(f"/seances/{session.id}.ics")
    calendar = Calendar.from_ical(cancelled.data)
    again = calendar.walk("VEVENT")[0]
    assert str(again["uid"]) == session.slot
    assert int(again["sequence"]) == 1
    assert str(again["status"]) == "CANCELLED"
    assert str(calendar["method"]) == "CANCEL"


def test_no_double_booking_of_tutor_or_learner(app, make, pair):
    day = date.today() + timedelta(days=5)
    _book(pair, day, "10:00", "60")
    clash = _book(pair, day, "10:30", "60")
    assert clash.status_code == 302
    assert len(_sessions(make)) == 1
    assert _book(pair, day, "11:00", "30").status_code == 302  # back to back is fine
    assert len(_sessions(make)) == 2


def test_concurrent_bookings_of_the_same_slot_succeed_once(app, make, pair):
    day = date.today() + timedelta(days=7)
    results: list[str] = []
    barrier = threading.Barrier(6)

    def attempt() -> None:
        with app.app_context():
            tutor = db.session.get(User, pair["tutor"])
            pairing = db.session.get(Pairing, pair["pairing"])
            barrier.wait()
            try:
                book_session(
                    tutor, pairing, day=day, at=time(14, 0), minutes=60,
                    video_url="https://visio.example/salle"
                )
                results.append("ok")
            except TutoringError as exc:
                results.append(exc.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count("ok") == 1
    assert results.count("overlap") == 5
    assert len(_sessions(make)) == 1


def test_learner_cannot_cancel_online_within_the_guard_time(app, make, pair):
    soon = date.today() + timedelta(days=20)
    _book(pair, soon)
    [session] = _sessions(make)

    def move_to_tomorrow_morning():
        row = db.session.get(TutoringSession, session.id)
        row.starts_at = utcnow() + timedelta(hours=5)
        row.ends_at = row.starts_at + timedelta(hours=1)

    make.run(move_to_tomorrow_morning)
    learner = app.test_client()
    card_login(learner, make.card(pair["learner_user"], pair["referent"]))
    learner.post(f"/seances/{session.id}/annuler", data={"reason": "rendez-vous"})
    assert (
        make.run(lambda: db.session.get(TutoringSession, session.id).status)
        == SessionStatus.SCHEDULED
    )
    pair["client"].post(f"/seances/{session.id}/annuler", data={"reason": "malade"})
    cancelled = make.run(lambda: db.session.get(TutoringSession, session.id))
    assert cancelled.status == SessionStatus.CANCELLED
    assert cancelled.cancel_reason == "malade"
    assert cancelled.cancelled_by_id == pair["tutor"]


def test_report_after_the_session_with_a_private_note(app, make, pair):
    _book(pair, date.today() + timedelta(days=3))
    [session] = _sessions(make)
    early = pair["client"].post(
        f"/tuteur/seances/{session.id}/compte-rendu",
        data={f"attendance-{session.id}": "present", "minutes": "60"},
    )
    assert early.status_code == 400

    def held_yesterday():
        row = db.session.get(TutoringSession, session.id)
        row.starts_at = utcnow() - timedelta(days=1)
        row.ends_at = row.starts_at + timedelta(hours=1)

    make.run(held_yesterday)
    done = pair["client"].post(
        f"/tuteur/seances/{session.id}/compte-rendu",
        data={f"attendance-{session.id}": "present", "minutes": "55", "note_for_learner": "Les nombres et l’heure.",
              "note_for_referent": "Fatiguée, à surveiller."},
    )  # fmt: skip
    assert done.status_code == 302
    row = make.run(lambda: db.session.get(TutoringSession, session.id))
    assert (row.status, row.minutes) == (SessionStatus.HELD, 55)
    learner = app.test_client()
    card_login(learner, make.card(pair["learner_user"], pair["referent"]))
    page = learner.get("/seances/").get_data(as_text=True)
    assert "Les nombres et l’heure." in page
    assert "à surveiller" not in page


def test_another_tutor_or_learner_reaches_nothing(app, make, pair):
    _book(pair, date.today() + timedelta(days=4))
    [session] = _sessions(make)
    make.user("lena", Role.TUTOR)
    other = app.test_client()
    login(other, "lena")
    assert (
        other.post(f"/tuteur/apprenants/{pair['profile']}/seances", data={}).status_code
        == 404
    )
    assert other.get(f"/tuteur/seances/{session.id}/compte-rendu").status_code == 404
    assert other.get(f"/seances/{session.id}.ics").status_code == 404
    assert other.post(f"/seances/{session.id}/annuler", data={}).status_code == 404
    referent = make.user("ref-b", Role.REFERENT, structure="Autre")
    _p, stranger = make.learner(referent, first_name="Oksana")
    learner = app.test_client()
    card_login(learner, make.card(stranger, referent))
    assert learner.get(f"/seances/{session.id}.ics").status_code == 404


def test_bad_booking_input_is_refused_with_a_message(make, pair):
    day = date.today() + timedelta(days=2)
    mesa = str(pair["place"])
    for data in ({"day": "demain", "at": "10:00", "minutes": "60", "where": mesa},
                 {"day": day.isoformat(), "at": "10:00", "minutes": "600", "where": mesa},
                 {"day": day.isoformat(), "at": "10:00", "minutes": "60", "where": " "},
                 {"day": day.isoformat(), "at": "10:00", "minutes": "60", "where": "video",
                  "video_url": "javascript:alert(1)"},
                 {"day": day.isoformat(), "at": "10:00", "minutes": "60", "where": mesa,
                  "weekly_until": "2020-01-01"},
                 {"day": "2020-01-01", "at": "10:00", "minutes": "60", "where": mesa}):  # fmt: skip
        response = pair["client"].post(
            f"/tuteur/apprenants/{pair['profile']}/seances", data=data
        )
        assert response.status_code == 302
    assert _sessions(make) == []


def test_tutoring_hours_reach_the_dashboards_and_the_attestation(app, make, pair):
    _book(pair, date.today() + timedelta(days=3))
    [session] = _sessions(make)

    def held():
        row = db.session.get(TutoringSession, session.id)
        row.starts_at = utcnow() - timedelta(days=1)
        row.ends_at = row.starts_at + timedelta(hours=2)

    make.run(held)
    pair["client"].post(
        f"/tuteur/seances/{session.id}/compte-rendu",
        data={f"attendance-{session.id}": "present", "minutes": "90"},
    )
    learner = app.test_client()
    card_login(learner, make.card(pair["learner_user"], pair["referent"]))
    assert "1 h 30" in learner.get("/").get_data(as_text=True)
    record = learner.post("/compte/attestation").get_data(as_text=True)
    assert "1 h 30 min" in record
