"""Tutoring, the rest of the way: places and rooms, group workshops, weekly series,
rescheduling and the learner's answer, private calendar feeds, reminders (outbox,
local SMTP server, texts), pairing notices, homework from a report, and the pairing
fit read from availability and places."""

from __future__ import annotations

import io
import socket
from datetime import date, time, timedelta

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar
from sqlalchemy import func, select

from tests.conftest import card_login, login
from tests.sessions.test_sessions import _book, _sessions
from tutoring.accounts import outbox as notify
from tutoring.accounts.models import Role, User
from tutoring.accounts.outbox import Channel, OutboxMessage
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.clock import local, to_utc
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.learning.models import Assignment
from tutoring.pairing import fit, pairings
from tutoring.pairing.availability import save
from tutoring.pairing.models import Pairing, PairingStatus, Place
from tutoring.pairing.pairings import TutoringError
from tutoring.sessions.booking import Booking, book
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


def test_the_default_text_sender_writes_to_the_log(app, monkeypatch):
    logged = []
    monkeypatch.setattr(app.logger, "info", lambda *args: logged.append(args[0] % args[1:]))
    with app.app_context():
        notify.sms_sender()("0600000000", "Bonjour")
    assert logged == ["SMS (not sent, no provider) to=0600000000 text=Bonjour"]


def test_a_failing_sender_is_retried_later_and_never_sends_twice(app, make, pair):
    calls = []

    def flaky(number, text):
        calls.append(number)
        if len(calls) == 1:
            raise OSError("provider down")

    def queue_text():
        user = db.session.get(User, pair["learner_user"])
        user.phone = "0600000000"
        notify.queue(user, "test:1", lambda: ("Objet", "Texte"), notice=False)
        db.session.commit()

    make.run(queue_text)
    app.config["SMS_SENDER"] = f"{__name__}:_FLAKY"
    globals()["_FLAKY"] = flaky
    try:
        assert make.run(notify.send_pending) == (0, 1)
        assert make.run(notify.send_pending) == (1, 0)
        assert make.run(notify.send_pending) == (0, 0)
    finally:
        app.config["SMS_SENDER"] = "tutoring.accounts.outbox:log_sms"
    assert calls == ["0600000000", "0600000000"]
    message = make.run(lambda: db.session.scalar(select(OutboxMessage)))
    assert (message.failures, message.last_error) == (1, "provider down")


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


def test_places_are_managed_by_referents_with_clear_errors(app, make, pair):
    referent = app.test_client()
    login(referent, "claire")
    bad = referent.post("/apprenants/lieux", data={"name": "", "capacity": "4"})
    assert bad.status_code == 400
    assert "nom du lieu" in bad.get_data(as_text=True)
    assert referent.post("/apprenants/lieux", data={"name": "x", "capacity": "9999"}).status_code == 400
    ok = referent.post("/apprenants/lieux", data={"name": "Médiathèque", "capacity": "6",
                       "step_free": "1", "opening_hours": "mar.–sam. 10 h–18 h"})  # fmt: skip
    assert ok.status_code == 302
    places = make.run(lambda: db.session.scalars(select(Place).order_by(Place.id)).all())
    assert [(p.name, p.step_free) for p in places] == [
        ("Espace numérique MESA", False), ("Médiathèque", True)]  # fmt: skip
    make.user("ref-b", Role.REFERENT, structure="Autre")
    stranger = app.test_client()
    login(stranger, "ref-b")
    assert stranger.get(f"/apprenants/lieux/{places[0].id}").status_code == 404


def test_pairing_fit_reads_availability_places_reading_and_wishes(app, make):
    referent = make.user("claire", Role.REFERENT)
    profile_id, _u = make.learner(referent, first_name="Amina", languages=["ar"])
    near = make.user("marc", Role.TUTOR)
    far = make.user("lena", Role.TUTOR)

    def setup():
        structure_id = db.session.get(User, referent).structure_id
        room = Place(structure_id=structure_id, name="Locaux de Myriade", capacity=4)
        db.session.add(room)
        db.session.flush()
        profile = db.session.get(LearnerProfile, profile_id)
        profile.place_ids = [room.id]
        profile.reads_latin = False
        save(profile, {(1, "morning"), (3, "morning")})
        for tutor_id, slots, places, non_readers in (
            (near, {(1, "morning"), (3, "morning")}, [room.id], True),
            (far, {(5, "evening")}, [], False),
        ):
            tutor = db.session.get(User, tutor_id)
            tutor.tutor_profile.languages = ["ar"]
            tutor.tutor_profile.place_ids = places
            tutor.tutor_profile.non_readers = non_readers
            save(tutor, slots)
        db.session.commit()
        ranked = fit.suggestions(profile)
        return [(s.tutor.id, s.overlap_minutes, s.places, s.reading_fit) for s in ranked]

    ranked = make.run(setup)
    assert ranked[0] == (near, 360, ["Locaux de Myriade"], True)
    assert ranked[1] == (far, 0, [], False)
    referent_client = app.test_client()
    login(referent_client, "claire")
    page = referent_client.get(f"/apprenants/{profile_id}").get_data(as_text=True)
    assert "6 h en commun par semaine" in page or "6.0 h en commun par semaine" in page


def test_needs_form_saves_availability_and_refuses_forged_values(app, make):
    referent = make.user("claire", Role.REFERENT)
    profile_id, _u = make.learner(referent, first_name="Amina")
    client = app.test_client()
    login(client, "claire")
    forged = client.post(f"/apprenants/{profile_id}/besoins", data={"availability": "9:night"})
    assert forged.status_code == 400
    saved = client.post(f"/apprenants/{profile_id}/besoins",
                        data={"availability": ["0:morning", "4:evening"], "same_sex_tutor": "1"})  # fmt: skip
    assert saved.status_code == 302
    profile = make.run(lambda: db.session.get(LearnerProfile, profile_id))
    assert profile.same_sex_tutor is True
    page = client.get(f"/apprenants/{profile_id}/besoins").get_data(as_text=True)
    assert page.count("checked") >= 3


def test_tutor_profile_saves_availability_places_and_absence(app, make, pair):
    response = pair["client"].post(
        "/tuteur/profil",
        data={"max_learners": "3", "availability": ["2:afternoon"], "places": [str(pair["place"])],
              "video_ok": "1", "levels": ["A1", "A2"], "away_from": "2027-07-01",
              "away_until": "2027-06-01"},
    )  # fmt: skip
    assert response.status_code == 400  # the absence ends before it starts
    ok = pair["client"].post(
        "/tuteur/profil",
        data={"max_learners": "3", "availability": ["2:afternoon"], "places": [str(pair["place"])],
              "video_ok": "1", "levels": ["A1", "A2"], "away_from": "2027-07-01",
              "away_until": "2027-07-31"},
    )  # fmt: skip
    assert ok.status_code == 302
    tutor = make.run(lambda: db.session.get(User, pair["tutor"]).tutor_profile)
    assert (tutor.place_ids, tutor.video_ok, tutor.levels) == ([pair["place"]], True, ["A1", "A2"])
    away = pair["client"].post(
        f"/tuteur/apprenants/{pair['profile']}/seances",
        data={"day": "2027-07-14", "at": "10:00", "minutes": "60", "where": str(pair["place"])},
    )  # fmt: skip
    assert away.status_code == 302
    assert _sessions(make) == []


def _listening_item(bank, make):
    from tutoring.content.models import ItemVersion

    def find():
        for version_id in bank.values():
            version = db.session.get(ItemVersion, version_id)
            if version.payload.get("audio"):
                return version_id, version.item_id
        raise AssertionError("no listening item in the test bank")

    return make.run(find)


def test_a_volunteer_voice_replaces_the_synthetic_one_once_approved(app, make, pair, bank):
    from tutoring.content.models import VoiceRecording, VoiceStatus

    version_id, item_id = _listening_item(bank, make)
    url = f"/banque/exercice/{version_id}/voix"
    wrong = pair["client"].post(url, data={"voice": (io.BytesIO(b"not audio"), "a.ogg", "audio/ogg")},
                                content_type="multipart/form-data")  # fmt: skip
    assert wrong.status_code == 302
    assert "pas un enregistrement accepté" in pair["client"].get(wrong.location).get_data(as_text=True)
    def too_heavy():
        from tutoring.content import voices
        from tutoring.content.bank import ContentError

        with pytest.raises(ContentError) as refused:
            voices.record(db.session.get(User, pair["tutor"]), item_id,
                          b"OggS" + b"\0" * (5 * 1024 * 1024 + 10), "audio/ogg")  # fmt: skip
        db.session.rollback()
        return refused.value.code

    assert make.run(too_heavy) == "audio_size"
    assert make.run(lambda: db.session.scalars(select(VoiceRecording)).all()) == []
    ok = pair["client"].post(url, data={"voice": (io.BytesIO(b"OggS" + b"\1" * 200), "a.ogg", "audio/ogg")},
                             content_type="multipart/form-data")  # fmt: skip
    assert ok.status_code == 302
    [recording] = make.run(lambda: db.session.scalars(select(VoiceRecording)).all())
    assert recording.item_id == item_id
    assert app.test_client().get(f"/banque/audio/{recording.id}").status_code == 404  # not yet
    with pair["client"].get(f"/banque/voix/{recording.id}/ecouter") as listened:
        assert listened.status_code == 200

    referent = app.test_client()
    login(referent, "claire")
    assert item_id in referent.get("/banque/voix").get_data(as_text=True)
    assert referent.post(f"/banque/voix/{recording.id}", data={"answer": "approve"}).status_code == 302
    assert make.run(lambda: db.session.get(VoiceRecording, recording.id).status) == VoiceStatus.APPROVED
    with app.test_client().get(f"/banque/audio/{recording.id}") as played:
        assert (played.status_code, played.mimetype) == (200, "audio/ogg")
    preview = referent.get(f"/banque/exercice/{version_id}").get_data(as_text=True)
    assert f"/banque/audio/{recording.id}" in preview
    # another tutor cannot listen to someone else's pending recording
    make.user("lena", Role.TUTOR)
    other = app.test_client()
    login(other, "lena")
    second = pair["client"].post(url, data={"voice": (io.BytesIO(b"OggS" + b"\2" * 50), "b.ogg", "audio/ogg")},
                                 content_type="multipart/form-data")  # fmt: skip
    assert second.status_code == 302
    pending = make.run(lambda: db.session.scalar(select(VoiceRecording.id).where(
        VoiceRecording.status == VoiceStatus.PENDING)))  # fmt: skip
    assert other.get(f"/banque/voix/{pending}/ecouter").status_code == 404


def test_the_fast_fit_matrix_scores_exactly_like_the_worded_fit(app, make):
    """The proposal for everyone uses numpy; it must weigh exactly what the referent
    reads in words for one learner."""
    import random

    import numpy as np

    from tutoring.accounts.profiles import Sex
    from tutoring.pairing.availability import PERIODS

    rng = random.Random(3)
    referent = make.user("claire", Role.REFERENT)
    learner_ids = [make.learner(referent, first_name=f"P{i}")[0] for i in range(12)]
    tutor_ids = [make.user(f"tuteur{i}", Role.TUTOR) for i in range(6)]
    half_days = [(d, p) for d in range(7) for p in PERIODS]

    def run():
        structure_id = db.session.get(User, referent).structure_id
        rooms = [Place(structure_id=structure_id, name=f"Salle {i}") for i in range(3)]
        db.session.add_all(rooms)
        db.session.flush()
        for pid in learner_ids:
            p = db.session.get(LearnerProfile, pid)
            p.languages = rng.sample(["ar", "uk", "ps", "fa", "fr"], 2)
            p.place_ids = [r.id for r in rng.sample(rooms, rng.randint(0, 2))]
            p.video_ok = rng.random() < 0.5
            p.reads_latin = rng.random() < 0.7
            p.same_sex_tutor = rng.random() < 0.3
            p.sex = rng.choice([None, Sex.FEMALE, Sex.MALE])
            p.practice_level = rng.choice([None, "A1.1", "A1", "A2", "B1"])
            save(p, set(rng.sample(half_days, rng.randint(0, 5))))
        for tid in tutor_ids:
            t = db.session.get(User, tid).tutor_profile
            t.languages = rng.sample(["ar", "uk", "ps", "fa"], 2)
            t.place_ids = [r.id for r in rng.sample(rooms, rng.randint(0, 2))]
            t.video_ok = rng.random() < 0.5
            t.non_readers = rng.random() < 0.5
            t.sex = rng.choice([None, Sex.FEMALE, Sex.MALE])
            t.levels = rng.sample(["A1.1", "A1", "A2", "B1"], rng.randint(0, 2))
            t.max_learners = rng.randint(1, 3)
            if rng.random() < 0.2:
                t.away_from, t.away_until = date.today(), date.today() + timedelta(days=9)
            save(db.session.get(User, tid), set(rng.sample(half_days, rng.randint(0, 5))))
        db.session.commit()
        profiles = [db.session.get(LearnerProfile, pid) for pid in learner_ids]
        needs = fit._needs(profiles)
        offers = fit._offers(structure_id)
        names = fit.place_names(structure_id)
        worded = np.array([[fit.fit(n, o, names, date.today()).score for o in offers]
                           for n in needs])  # fmt: skip
        return worded, fit.fit_matrix(needs, offers, date.today())

    worded, fast = make.run(run)
    assert worded.shape == (12, 6)
    assert np.allclose(worded, fast)
    assert len(set(worded.flatten().round(2))) > 10  # the scenario varies enough


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


def test_a_volunteer_gives_homework_from_the_bank_to_their_own_learner_only(app, make, pair, bank):
    from tutoring.learning.models import Assignment

    items = [str(bank["a2-sante-test-01"]), str(bank["a2-sante-test-02"])]
    due = (date.today() + timedelta(days=7)).isoformat()
    page = pair["client"].get("/banque/").get_data(as_text=True)
    assert "Amina" in page
    given = pair["client"].post("/banque/devoir", data={
        "learner_id": str(pair["profile"]), "title": "Chez le médecin", "items": items,
        "due_on": due})  # fmt: skip
    assert given.status_code == 302
    assert make.run(lambda: db.session.scalar(select(Assignment)).learner_id) == pair["profile"]
    stranger, _u = make.learner(pair["referent"], first_name="Yasmin")
    refused = pair["client"].post("/banque/devoir", data={
        "learner_id": str(stranger), "title": "x", "items": items, "due_on": due})  # fmt: skip
    assert refused.status_code == 302
    assert make.run(lambda: db.session.scalar(select(func.count()).select_from(Assignment))) == 1


def test_the_referent_reads_which_skills_to_work_on_first(app, make, learner, bank):
    from tutoring.home.dashboard import dashboard
    from tutoring.learning.progress import weakest_skills

    def board_of():
        profile = db.session.get(LearnerProfile, learner.profile_id)
        board = dashboard(profile)
        board["skills"]["EE"]["progress"] = 0.1
        board["skills"]["EO"]["progress"] = 0.2
        board["skills"]["CO"]["progress"] = 0.6
        board["skills"]["CE"]["progress"] = 0.9
        return weakest_skills(board)

    assert make.run(board_of) == ["EE", "EO"]
    referent = app.test_client()
    login(referent, "claire")
    shown = referent.get(f"/apprenants/{learner.profile_id}").get_data(as_text=True)
    assert "À travailler en priorité avec un bénévole" in shown
