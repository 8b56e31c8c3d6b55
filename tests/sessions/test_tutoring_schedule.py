"""Tutoring sessions, the rest of the way: group workshops in one room, weekly series,
rescheduling and the learner's answer, private calendar feeds, reminders (local SMTP
server, texts), a workshop report with homework from the bank, and the referent booking
for a pairing and reading the confidential note."""

from __future__ import annotations

import socket
from datetime import date, time, timedelta

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import select

from tests.conftest import card_login, login
from tests.sessions.test_sessions import _book, _sessions
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.clock import local
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.learning.models import Assignment
from tutoring.pairing.models import Pairing, PairingStatus, Place
from tutoring.pairing.pairings import TutoringError
from tutoring.sessions.booking import Booking, book, to_utc
from tutoring.sessions.models import Attendance, TutoringSession


def _second_learner(make, pair, first_name="Oksana"):
    profile_id, user_id = make.learner(pair["referent"], first_name=first_name)

    def activate():
        row = Pairing(learner_id=profile_id, tutor_id=pair["tutor"],
                      status=PairingStatus.ACTIVE, responded_at=utcnow())  # fmt: skip
        db.session.add(row)

    make.run(activate)
    return profile_id, user_id


def _workshop(pair, learners, day, at="14:00", **extra):
    data = {"title": "Parler au médecin", "learners": [str(i) for i in learners],
            "day": day.isoformat(), "at": at, "minutes": "90",
            "where": str(pair["place"]), **extra}  # fmt: skip
    return pair["client"].post("/tuteur/ateliers/nouveau", data=data)


def test_a_workshop_books_several_learners_in_one_room_once(app, make, pair):
    second, _u = _second_learner(make, pair)
    day = date.today() + timedelta(days=6)
    assert _workshop(pair, [pair["profile"], second], day).status_code == 302
    rows = _sessions(make)
    assert len(rows) == 2
    assert len({r.slot for r in rows}) == 1
    assert {r.learner_id for r in rows} == {pair["profile"], second}
    assert all(r.workshop == "Parler au médecin" for r in rows)
    # the same room is taken at that time, even for another tutor's session
    other_tutor = make.user("lena", Role.TUTOR)
    third, _t = make.learner(pair["referent"], first_name="Yasmin")

    def other_booking():
        pairing = Pairing(learner_id=third, tutor_id=other_tutor,
                          status=PairingStatus.ACTIVE, responded_at=utcnow())  # fmt: skip
        db.session.add(pairing)
        db.session.flush()
        with pytest.raises(TutoringError) as refused:
            book(Booking(tutor_id=other_tutor, learners=[(third, pairing.id)], day=day,
                         at=time(14, 30), minutes=60,
                         place=db.session.get(Place, pair["place"])))  # fmt: skip
        return refused.value.code

    assert make.run(other_booking) == "overlap"
    # a learner of the workshop cannot be booked elsewhere at the same time
    clash = _book(pair, day, "15:00", "30")
    assert clash.status_code == 302
    assert len(_sessions(make)) == 2


def test_a_workshop_larger_than_the_room_is_refused(app, make, pair):
    others = [_second_learner(make, pair, name)[0] for name in ("Oksana", "Yasmin", "Lina", "Sara")]
    day = date.today() + timedelta(days=6)
    page = _workshop(pair, [pair["profile"], *others], day)  # 5 learners + tutor > 4
    assert page.status_code == 400
    assert "pas assez de places" in page.get_data(as_text=True)
    assert _sessions(make) == []


def test_weekly_series_is_all_or_nothing(app, make, pair):
    start = date.today() + timedelta(days=7)
    _book(pair, start + timedelta(days=14), "10:00", "60")  # the third week is taken
    response = pair["client"].post(
        f"/tuteur/apprenants/{pair['profile']}/seances",
        data={"day": start.isoformat(), "at": "10:00", "minutes": "60",
              "where": str(pair["place"]),
              "weekly_until": (start + timedelta(days=28)).isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    assert len(_sessions(make)) == 1  # nothing half-saved
    later = start + timedelta(days=21)
    pair["client"].post(
        f"/tuteur/apprenants/{pair['profile']}/seances",
        data={"day": later.isoformat(), "at": "16:00", "minutes": "60",
              "where": str(pair["place"]),
              "weekly_until": (later + timedelta(days=21)).isoformat()},
    )  # fmt: skip
    rows = [r for r in _sessions(make) if r.series]
    assert len(rows) == 4
    assert len({r.series for r in rows}) == 1
    assert {local(r.starts_at).time() for r in rows} == {time(16, 0)}


def test_weekly_series_keeps_the_wall_clock_across_the_october_change(app, make):
    def run():
        starts = [to_utc(date(2027, 10, 24) + timedelta(days=7 * i), time(18, 0))
                  for i in range(2)]  # fmt: skip
        return [s.hour for s in starts]

    assert make.run(run) == [16, 17]  # 18:00 in Millau, summer then winter time


def test_reschedule_keeps_the_uid_and_the_learner_confirms_or_asks(app, make, pair):
    day = date.today() + timedelta(days=8)
    _book(pair, day)
    [session] = _sessions(make)
    learner = app.test_client()
    card_login(learner, make.card(pair["learner_user"], pair["referent"]))
    home = learner.get("/").get_data(as_text=True)
    assert "Nouvelle séance de français" in home  # the booking notice

    learner.post(f"/seances/{session.id}/autre-horaire", data={"message": "  "})
    assert make.run(lambda: db.session.get(TutoringSession, session.id).change_request) is None
    learner.post(f"/seances/{session.id}/autre-horaire", data={"message": "Plutôt le jeudi"})
    row = make.run(lambda: db.session.get(TutoringSession, session.id))
    assert row.change_request == "Plutôt le jeudi"
    tutor_page = pair["client"].get("/tuteur/").get_data(as_text=True)
    assert "autre horaire demandé" in tutor_page

    new_day = day + timedelta(days=1)
    moved = pair["client"].post(
        f"/tuteur/seances/{session.id}/deplacer",
        data={"day": new_day.isoformat(), "at": "11:00", "minutes": "45",
              "reason": "Jeudi comme demandé"},
    )  # fmt: skip
    assert moved.status_code == 302
    row = make.run(lambda: db.session.get(TutoringSession, session.id))
    assert (row.slot, row.sequence) == (session.slot, 1)
    assert local(row.starts_at).date() == new_day
    assert row.change_request is None
    assert "Séance de français déplacée" in learner.get("/").get_data(as_text=True)
    ics = Calendar.from_ical(learner.get(f"/seances/{session.id}.ics").data)
    event = ics.walk("VEVENT")[0]
    assert (str(event["uid"]), int(event["sequence"])) == (session.slot, 1)

    learner.post(f"/seances/{session.id}/confirmer")
    assert make.run(lambda: db.session.get(TutoringSession, session.id).confirmed_at)
    # another learner cannot confirm or ask for this session
    _p, stranger = _second_learner(make, pair)
    other = app.test_client()
    card_login(other, make.card(stranger, pair["referent"]))
    assert other.post(f"/seances/{session.id}/confirmer").status_code == 404
    assert other.post(f"/seances/{session.id}/autre-horaire").status_code == 404


def test_private_calendar_feed_is_secret_revocable_and_valid(app, make, pair):
    _book(pair, date.today() + timedelta(days=9))
    _book(pair, date.today() + timedelta(days=10))
    first, second = _sessions(make)
    pair["client"].post(f"/seances/{second.id}/annuler", data={"reason": "malade"})
    page = pair["client"].post("/compte/agenda", data={"action": "new"})
    text = page.get_data(as_text=True)
    url = text.split('<code class="secret">')[1].split("</code>")[0]
    path = url.split("localhost", 1)[1]
    feed = app.test_client().get(path)  # no sign-in: the secret address is the key
    assert feed.status_code == 200
    assert feed.mimetype == "text/calendar"
    calendar = Calendar.from_ical(feed.data)
    events = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {first.slot, second.slot}
    assert str(events[second.slot]["status"]) == "CANCELLED"
    assert int(events[second.slot]["sequence"]) == 1
    # a new address replaces the old one; switching off stops both
    again = pair["client"].post("/compte/agenda", data={"action": "new"})
    new_url = again.get_data(as_text=True).split('<code class="secret">')[1].split("</code>")[0]
    assert app.test_client().get(path).status_code == 404
    pair["client"].post("/compte/agenda", data={"action": "revoke"})
    assert app.test_client().get(new_url.split("localhost", 1)[1]).status_code == 404
    assert app.test_client().get("/seances/agenda/court.ics").status_code == 404


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd API
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server(app):
    inbox = _Inbox()
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    yield inbox
    app.config.update(saved)
    controller.stop()


def test_reminders_go_once_by_mail_or_text_in_the_learners_language(
    app, make, pair, smtp_server, monkeypatch
):
    def tomorrow_session_and_contacts():
        learner = db.session.get(User, pair["learner_user"])
        learner.locale = "ar"
        learner.email = None
        learner.phone = "06 12 34 56 78"
        tutor = db.session.get(User, pair["tutor"])
        tutor.email = "marc@example.org"
        starts = to_utc(local(utcnow()).date() + timedelta(days=1), time(10, 0))
        db.session.add(
            TutoringSession(uid="s1@test", slot="s1@test", pairing_id=pair["pairing"],
                            tutor_id=pair["tutor"], learner_id=pair["profile"],
                            starts_at=starts, ends_at=starts + timedelta(hours=1),
                            place="Espace numérique MESA", place_id=pair["place"])
        )  # fmt: skip

    make.run(tomorrow_session_and_contacts)
    texts = []
    globals()["_TEXTS"] = lambda number, text: texts.append(f"{number} {text}")
    monkeypatch.setitem(app.config, "SMS_SENDER", f"{__name__}:_TEXTS")
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert "2 reminders queued, 2 messages sent, 0 failed." in first.output
    assert [m.rcpt_tos for m in smtp_server.messages] == [["marc@example.org"]]
    sms = texts
    assert len(sms) == 1
    assert "06 12 34 56 78" in sms[0]
    assert any("\u0600" <= ch <= "\u06ff" for ch in sms[0])  # written in Arabic
    assert "Bonjour" not in sms[0]
    second = runner.invoke(args=["reminders", "send"])
    assert "0 reminders queued, 0 messages sent, 0 failed." in second.output
    assert len(smtp_server.messages) == 1


def test_report_for_a_workshop_with_homework_from_the_bank(app, make, pair, bank):
    second, _u = _second_learner(make, pair)

    def at_a2():
        for pid in (pair["profile"], second):
            db.session.get(LearnerProfile, pid).practice_level = "A2"

    make.run(at_a2)
    _workshop(pair, [pair["profile"], second], date.today() + timedelta(days=3))
    rows = _sessions(make)

    def held_yesterday():
        for row in db.session.scalars(select(TutoringSession)):
            row.starts_at = utcnow() - timedelta(days=1)
            row.ends_at = row.starts_at + timedelta(hours=1)

    make.run(held_yesterday)
    url = f"/tuteur/seances/{rows[0].id}/compte-rendu"
    missing = pair["client"].post(url, data={f"attendance-{rows[0].id}": "present", "minutes": "60"})
    assert missing.status_code == 400  # the second learner's attendance is missing
    done = pair["client"].post(
        url,
        data={f"attendance-{rows[0].id}": "present", f"attendance-{rows[1].id}": "absent",
              "minutes": "80", "skills": ["EO", "CO"], "themes": ["sante"],
              "homework_theme": "sante", "homework_count": "3"},
    )  # fmt: skip
    assert done.status_code == 302
    after = _sessions(make)
    assert [(r.attendance, r.minutes) for r in after] == [
        (Attendance.PRESENT, 80), (Attendance.ABSENT, 0)]  # fmt: skip
    assert after[0].skills == ["CO", "EO"]
    assert after[0].themes == ["sante"]
    homework = make.run(lambda: db.session.scalars(select(Assignment)).all())
    assert [h.learner_id for h in homework] == [pair["profile"]]
    assert 1 <= len(homework[0].item_version_ids) <= 3
    assert after[0].assignment_id == homework[0].id


def test_the_referent_books_for_the_pairing_and_reads_the_confidential_note(app, make, pair):
    referent = app.test_client()
    login(referent, "claire")
    day = date.today() + timedelta(days=4)
    booked = referent.post(
        f"/apprenants/{pair['profile']}/seances",
        data={"day": day.isoformat(), "at": "09:30", "minutes": "60", "where": "video",
              "video_url": "https://visio.example/salle"},
    )  # fmt: skip
    assert booked.status_code == 302
    [session] = _sessions(make)
    assert (session.tutor_id, session.place_id, session.video_url) == (
        pair["tutor"], None, "https://visio.example/salle")  # fmt: skip

    def held_yesterday():
        row = db.session.get(TutoringSession, session.id)
        row.starts_at = utcnow() - timedelta(days=1)
        row.ends_at = row.starts_at + timedelta(hours=1)

    make.run(held_yesterday)
    pair["client"].post(f"/tuteur/seances/{session.id}/compte-rendu",
                        data={f"attendance-{session.id}": "present", "minutes": "50",
                              "note_for_referent": "Fatiguée cette semaine."})  # fmt: skip
    page = referent.get(f"/apprenants/{pair['profile']}").get_data(as_text=True)
    assert "Fatiguée cette semaine." in page
    assert "présent·e, 50 min" in page
    # a referent of another structure reaches nothing
    make.user("ref-b", Role.REFERENT, structure="Autre")
    other = app.test_client()
    login(other, "ref-b")
    assert other.post(f"/apprenants/{pair['profile']}/seances", data={}).status_code == 404
