"""Tutoring sessions: booking without double booking, cancelling, reports, calendars."""

from __future__ import annotations

import fcntl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from icalendar import Calendar, Event
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from tutoring.extensions import db
from tutoring.models import (
    Attendance,
    LearnerProfile,
    Pairing,
    PairingStatus,
    SessionStatus,
    TutoringSession,
    User,
)
from tutoring.models.base import utcnow
from tutoring.services.tutoring import TutoringError

PARIS = ZoneInfo("Europe/Paris")


def to_utc(day: date, at: time) -> datetime:
    """Turn a wall-clock time in Millau into UTC; refuse a time skipped by the
    spring change, and take the first of the two autumn 2 a.m.–3 a.m. hours."""
    local = datetime.combine(day, at).replace(tzinfo=PARIS, fold=0)
    utc = local.astimezone(ZoneInfo("UTC"))
    if utc.astimezone(PARIS).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TutoringError("no_such_time")
    return utc


def local(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


@contextmanager
def booking_lock() -> Iterator[None]:
    """Serialise bookings on databases without an exclusion constraint (SQLite)."""
    if db.engine.dialect.name == "postgresql":
        yield  # the exclusion constraints decide
        return
    path = Path(current_app.config["UPLOAD_FOLDER"]).parent / "booking.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _overlapping(pairing: Pairing, starts: datetime, ends: datetime) -> bool:
    clash = db.session.scalar(
        select(TutoringSession.id).where(
            TutoringSession.status == SessionStatus.SCHEDULED,
            or_(
                TutoringSession.tutor_id == pairing.tutor_id,
                TutoringSession.learner_id == pairing.learner_id,
            ),
            TutoringSession.starts_at < ends,
            TutoringSession.ends_at > starts,
        )
    )
    return clash is not None


def book_session(
    tutor: User, pairing: Pairing, *, day: date, at: time, minutes: int, place: str
) -> TutoringSession:
    """Book a session and commit it: the overlap check and the insert are one step.

    (This service commits, unlike the others: a check made outside the commit could
    be overtaken by a concurrent booking.)
    """
    if pairing.tutor_id != tutor.id or pairing.status != PairingStatus.ACTIVE:
        raise TutoringError("not_paired")
    if not 15 <= minutes <= 240:
        raise TutoringError("duration")
    place = place.strip()[:120]
    if not place:
        raise TutoringError("place")
    starts = to_utc(day, at)
    if starts <= utcnow():
        raise TutoringError("past")
    ends = starts + timedelta(minutes=minutes)
    with booking_lock():
        if _overlapping(pairing, starts, ends):
            db.session.rollback()
            raise TutoringError("overlap")
        session = TutoringSession(
            uid=f"{uuid.uuid4()}@francais-millau", pairing_id=pairing.id,
            tutor_id=pairing.tutor_id, learner_id=pairing.learner_id,
            starts_at=starts, ends_at=ends, place=place,
        )  # fmt: skip
        db.session.add(session)
        try:
            db.session.commit()
        except IntegrityError as exc:  # PostgreSQL's exclusion constraint
            db.session.rollback()
            raise TutoringError("overlap") from exc
    return session


def cancel(session: TutoringSession, by: User, reason: str, *, learner: bool) -> None:
    """Cancel with who and why; a learner cannot cancel online within the guard time."""
    if session.status != SessionStatus.SCHEDULED:
        raise TutoringError("not_scheduled")
    guard = timedelta(hours=current_app.config["CANCEL_GUARD_HOURS"])
    if learner and session.starts_at - utcnow() < guard:
        raise TutoringError("guard")
    session.status = SessionStatus.CANCELLED
    session.cancelled_by_id = by.id
    session.cancel_reason = reason.strip()[:300] or None
    session.sequence += 1


def record_report(
    session: TutoringSession,
    *,
    attendance: Attendance,
    minutes: int,
    note_for_learner: str,
    note_for_referent: str,
) -> None:
    """After the session: who came, how long, notes (one for the learner, one private)."""
    if session.status == SessionStatus.CANCELLED or session.starts_at > utcnow():
        raise TutoringError("not_yet")
    if not 0 <= minutes <= 480:
        raise TutoringError("duration")
    session.status = SessionStatus.HELD
    session.attendance = attendance
    session.minutes = minutes if attendance == Attendance.PRESENT else 0
    session.note_for_learner = note_for_learner.strip()[:3000] or None
    session.note_for_referent = note_for_referent.strip()[:3000] or None
    session.sequence += 1


def upcoming_for_learner(profile: LearnerProfile) -> list[TutoringSession]:
    return list(
        db.session.scalars(
            select(TutoringSession)
            .where(
                TutoringSession.learner_id == profile.id,
                TutoringSession.ends_at >= utcnow(),
                TutoringSession.status == SessionStatus.SCHEDULED,
            )
            .order_by(TutoringSession.starts_at)
        )
    )


def sessions_of_pairing(pairing_ids: set[int]) -> list[TutoringSession]:
    if not pairing_ids:
        return []
    return list(
        db.session.scalars(
            select(TutoringSession)
            .where(TutoringSession.pairing_id.in_(pairing_ids))
            .order_by(TutoringSession.starts_at.desc())
        )
    )


def tutoring_minutes(profile: LearnerProfile) -> int:
    return sum(
        s.minutes or 0
        for s in db.session.scalars(
            select(TutoringSession).where(
                TutoringSession.learner_id == profile.id,
                TutoringSession.status == SessionStatus.HELD,
            )
        )
    )


def ics(session: TutoringSession, summary: str, description: str) -> bytes:
    """The session as an iCalendar file: stable UID, sequence, cancelled when it is."""
    calendar = Calendar()
    calendar.add("prodid", "-//Association Myriade//Francais a Millau//FR")
    calendar.add("version", "2.0")
    cancelled = session.status == SessionStatus.CANCELLED
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", session.uid)
    event.add("sequence", session.sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", session.place)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    calendar.add_component(event)
    return bytes(calendar.to_ical())
