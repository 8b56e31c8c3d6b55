"""Booking tutoring sessions without double booking: one-to-one and workshops, moving,
cancelling, confirming, reports, homework given in a session."""

from __future__ import annotations

import fcntl
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import func, or_, select, text
from sqlalchemy.exc import IntegrityError

from tutoring.accounts.models import User
from tutoring.content.models import ItemVersion
from tutoring.core.clock import ZONE, local
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.learning.models import Assignment
from tutoring.learning.practice import DEFAULT_LEVEL, assign_homework
from tutoring.pairing.models import Pairing, PairingStatus, Place
from tutoring.pairing.pairings import TutoringError
from tutoring.sessions import slots
from tutoring.sessions.models import Attendance, SessionStatus, TutoringSession

LOCK_KEY = 0x7475746F  # the bookings' advisory lock on PostgreSQL ("tuto")


MAX_SERIES = 26  # weekly sessions booked at once: half a year


_VIDEO = "visio"


def to_utc(day: date, at: time) -> datetime:
    """Turn a wall-clock time in Millau into UTC; refuse a time skipped by the
    spring change, and take the first of the two autumn 2 a.m.–3 a.m. hours."""
    wall = datetime.combine(day, at).replace(tzinfo=ZONE, fold=0)
    utc = wall.astimezone(UTC)
    if utc.astimezone(ZONE).replace(tzinfo=None) != wall.replace(tzinfo=None):
        raise TutoringError("no_such_time")
    return utc


@contextmanager
def booking_lock() -> Iterator[None]:
    """Serialise bookings: a check made then overtaken by another booking is what
    double booking is made of.

    On PostgreSQL a transaction-level advisory lock (released by the commit or the
    rollback that ends the booking); the exclusion constraints stay the guarantee,
    but two concurrent inserts that each wait for the other's row would deadlock on
    them, so bookings queue here first. On SQLite a file lock around check and insert.
    """
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY}
        )
        yield
        return
    path = Path(current_app.config["UPLOAD_FOLDER"]).parent / "booking.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@dataclass
class Booking:
    """What to book: one tutor, one or more learners, once or weekly, a room or video."""

    tutor_id: int
    learners: list[tuple[int, int | None]]  # learner profile id, pairing id
    day: date
    at: time
    minutes: int
    place: Place | None = None
    video_url: str | None = None
    workshop: str | None = None
    weekly_until: date | None = None
    # A single session of the last REPORT_DAYS days, recorded to report it.
    past_ok: bool = False


def _occurrences(booking: Booking) -> list[tuple[datetime, datetime]]:
    days = [booking.day]
    if booking.weekly_until is not None:
        if booking.weekly_until < booking.day:
            raise TutoringError("series_end")
        while days[-1] + timedelta(days=7) <= booking.weekly_until:
            days.append(days[-1] + timedelta(days=7))
        if len(days) > MAX_SERIES:
            raise TutoringError("series_long")
    out = []
    for day in days:
        starts = to_utc(day, booking.at)
        out.append((starts, starts + timedelta(minutes=booking.minutes)))
    return out


def _clashes(
    tutor_id: int,
    learner_ids: list[int],
    place_id: int | None,
    starts: datetime,
    ends: datetime,
    *,
    slot: str | None = None,
) -> bool:
    """Is the tutor, a learner or the room already booked (outside `slot`)?"""
    who = [
        TutoringSession.tutor_id == tutor_id,
        TutoringSession.learner_id.in_(learner_ids),
    ]
    if place_id is not None:
        who.append(TutoringSession.place_id == place_id)
    stmt = select(TutoringSession.id).where(
        TutoringSession.status == SessionStatus.SCHEDULED,
        or_(*who),
        TutoringSession.starts_at < ends,
        TutoringSession.ends_at > starts,
    )
    if slot is not None:
        stmt = stmt.where(TutoringSession.slot != slot)
    return db.session.scalar(stmt.limit(1)) is not None


def taken(
    tutor_id: int,
    learner_id: int,
    place: Place | None,
    starts: datetime,
    ends: datetime,
) -> bool:
    """Is the tutor, the learner or the place already booked then?"""
    return _clashes(tutor_id, [learner_id], place.id if place else None, starts, ends)


def _check(booking: Booking) -> None:
    if not 15 <= booking.minutes <= 240:
        raise TutoringError("duration")
    if not booking.learners:
        raise TutoringError("no_learner")
    if booking.place is None and not booking.video_url:
        raise TutoringError("place")
    if booking.place is not None and len(booking.learners) + 1 > booking.place.capacity:
        raise TutoringError("capacity")
    if booking.video_url and not booking.video_url.startswith("https://"):
        raise TutoringError("video_url")


def book(booking: Booking) -> list[TutoringSession]:
    """Book once or weekly and commit: all occurrences or none.

    The overlap check and the inserts are one step (the service commits, unlike the
    others: a check made outside the commit could be overtaken by a concurrent
    booking). Raises TutoringError("overlap") with the clashing dates.
    """
    _check(booking)
    occurrences = _occurrences(booking)
    now = utcnow()
    if occurrences[0][0] <= now and not (
        booking.past_ok
        and len(occurrences) == 1
        and occurrences[0][0] >= now - timedelta(days=slots.REPORT_DAYS)
    ):
        raise TutoringError("past")
    if booking.place is not None and (
        closed := slots.closed_dates(booking.place, occurrences)
    ):
        raise TutoringError("closed", closed)
    tutor = db.session.get(User, booking.tutor_id)
    profile = tutor.tutor_profile if tutor else None
    if profile and profile.away_from and profile.away_until:
        for starts, _ends in occurrences:
            if profile.away_from <= local(starts).date() <= profile.away_until:
                raise TutoringError("away")
    learner_ids = [learner_id for learner_id, _p in booking.learners]
    place_id = booking.place.id if booking.place else None
    place_text = booking.place.name if booking.place else _VIDEO
    series = str(uuid.uuid4()) if len(occurrences) > 1 else None
    created: list[TutoringSession] = []
    with booking_lock():
        clashes = [
            local(starts)
            for starts, ends in occurrences
            if _clashes(booking.tutor_id, learner_ids, place_id, starts, ends)
        ]
        if clashes:
            db.session.rollback()
            raise TutoringError("overlap", clashes)
        for starts, ends in occurrences:
            slot = f"{uuid.uuid4()}@francais-millau"
            for learner_id, pairing_id in booking.learners:
                created.append(
                    TutoringSession(
                        uid=slot if len(booking.learners) == 1
                        else f"{uuid.uuid4()}@francais-millau",
                        slot=slot, series=series, workshop=booking.workshop,
                        pairing_id=pairing_id, tutor_id=booking.tutor_id,
                        learner_id=learner_id, starts_at=starts, ends_at=ends,
                        place=place_text, place_id=place_id,
                        video_url=booking.video_url,
                    )
                )  # fmt: skip
        db.session.add_all(created)
        try:
            db.session.commit()
        except IntegrityError as exc:  # PostgreSQL's exclusion constraints
            db.session.rollback()
            raise TutoringError("overlap") from exc
    return created


def book_session(
    tutor: User,
    pairing: Pairing,
    *,
    day: date,
    at: time,
    minutes: int,
    place: Place | None = None,
    video_url: str | None = None,
    weekly_until: date | None = None,
    past_ok: bool = False,
) -> list[TutoringSession]:
    """Book a one-to-one session (or a weekly series) for an active pairing; with
    `past_ok`, a single session of the last 30 days, to report it."""
    if pairing.tutor_id != tutor.id or pairing.status != PairingStatus.ACTIVE:
        raise TutoringError("not_paired")
    return book(
        Booking(
            tutor_id=tutor.id, learners=[(pairing.learner_id, pairing.id)], day=day,
            at=at, minutes=minutes, place=place, video_url=video_url,
            weekly_until=weekly_until, past_ok=past_ok,
        )
    )  # fmt: skip


def slot_rows(session: TutoringSession) -> list[TutoringSession]:
    """Every learner's row of the same session (one row unless it is a workshop)."""
    return list(
        db.session.scalars(
            select(TutoringSession)
            .where(TutoringSession.slot == session.slot)
            .order_by(TutoringSession.id)
        )
    )


def reschedule(
    session: TutoringSession, by: User, *, day: date, at: time, minutes: int,
    reason: str,
) -> list[TutoringSession]:  # fmt: skip
    """Move a session (every learner of a workshop) in one step: same UID, the next
    sequence number, confirmation asked again. Commits, like booking."""
    if session.status != SessionStatus.SCHEDULED:
        raise TutoringError("not_scheduled")
    if not 15 <= minutes <= 240:
        raise TutoringError("duration")
    starts = to_utc(day, at)
    if starts <= utcnow():
        raise TutoringError("past")
    ends = starts + timedelta(minutes=minutes)
    if session.room is not None and not slots.is_open(session.room, starts, ends):
        raise TutoringError("closed", [local(starts)])
    rows = [r for r in slot_rows(session) if r.status == SessionStatus.SCHEDULED]
    with booking_lock():
        if _clashes(
            session.tutor_id, [r.learner_id for r in rows], session.place_id,
            starts, ends, slot=session.slot,
        ):  # fmt: skip
            db.session.rollback()
            raise TutoringError("overlap", [local(starts)])
        for row in rows:
            row.starts_at, row.ends_at = starts, ends
            row.sequence += 1
            row.confirmed_at = None
            row.change_request = row.change_requested_at = None
            row.changed_by_id = by.id
            row.change_reason = reason.strip()[:300] or None
        try:
            db.session.commit()
        except IntegrityError as exc:
            db.session.rollback()
            raise TutoringError("overlap", [local(starts)]) from exc
    return rows


def cancel(session: TutoringSession, by: User, reason: str, *, learner: bool) -> None:
    """Cancel with who and why; a learner cannot cancel online within the guard time.

    A learner cancels their own place; a tutor or a referent cancels the session
    (every learner of a workshop)."""
    if session.status != SessionStatus.SCHEDULED:
        raise TutoringError("not_scheduled")
    guard = timedelta(hours=current_app.config["CANCEL_GUARD_HOURS"])
    if learner and session.starts_at - utcnow() < guard:
        raise TutoringError("guard")
    rows = [session] if learner else slot_rows(session)
    for row in rows:
        if row.status != SessionStatus.SCHEDULED:
            continue
        row.status = SessionStatus.CANCELLED
        row.cancelled_by_id = by.id
        row.cancel_reason = reason.strip()[:300] or None
        row.sequence += 1


def confirm(session: TutoringSession) -> None:
    if session.status != SessionStatus.SCHEDULED or session.ends_at < utcnow():
        raise TutoringError("not_scheduled")
    session.confirmed_at = utcnow()
    session.change_request = session.change_requested_at = None


def ask_change(session: TutoringSession, message: str) -> None:
    """The learner asks for another time; the tutor sees it and reschedules."""
    if session.status != SessionStatus.SCHEDULED or session.ends_at < utcnow():
        raise TutoringError("not_scheduled")
    message = message.strip()[:300]
    if not message:
        raise TutoringError("message")
    session.change_request = message
    session.change_requested_at = utcnow()
    session.confirmed_at = None


def record_report(
    session: TutoringSession,
    *,
    attendance: Attendance | dict[int, Attendance],
    minutes: int,
    note_for_learner: str,
    note_for_referent: str,
    skills: list[str] | None = None,
    themes: list[str] | None = None,
) -> list[TutoringSession]:
    """After the session: who came (per learner of a workshop), how long, what was
    worked on, a note for the learners and one for the referent only."""
    if session.status == SessionStatus.CANCELLED or session.starts_at > utcnow():
        raise TutoringError("not_yet")
    if not 0 <= minutes <= 480:
        raise TutoringError("duration")
    rows = [r for r in slot_rows(session) if r.status != SessionStatus.CANCELLED]
    for row in rows:
        came = attendance.get(row.id) if isinstance(attendance, dict) else attendance
        if came is None:
            raise TutoringError("attendance")
        row.status = SessionStatus.HELD
        row.attendance = came
        row.minutes = minutes if came == Attendance.PRESENT else 0
        row.note_for_learner = note_for_learner.strip()[:3000] or None
        row.note_for_referent = note_for_referent.strip()[:3000] or None
        row.skills = sorted(set(skills or []))
        row.themes = sorted(set(themes or []))
        row.sequence += 1
    return rows


def report_rows(session: TutoringSession) -> list[TutoringSession]:
    """The rows a report covers: every learner of the session still expected."""
    return [r for r in slot_rows(session) if r.status != SessionStatus.CANCELLED]


@dataclass
class Homework:
    """Exercises of a theme from the bank, given with a report."""

    theme: str
    count: int
    title: str


def report(
    session: TutoringSession,
    tutor: User,
    *,
    attendance: dict[int, Attendance],
    minutes: int,
    note_for_learner: str,
    note_for_referent: str,
    skills: list[str],
    themes: list[str],
    homework: Homework | None,
) -> list[TutoringSession]:
    """Record the report and give the homework, if any; TutoringError("no_items")
    when the bank has no exercise for anyone present."""
    rows = record_report(
        session, attendance=attendance, minutes=minutes,
        note_for_learner=note_for_learner, note_for_referent=note_for_referent,
        skills=skills, themes=themes,
    )  # fmt: skip
    if homework is not None and not give_homework(
        tutor, rows, theme=homework.theme, count=homework.count, title=homework.title
    ):
        raise TutoringError("no_items")
    return rows


def give_homework(
    tutor: User, rows: list[TutoringSession], *, theme: str, count: int, title: str
) -> list[Assignment]:
    """Homework from the bank for each learner present: `count` exercises of the
    theme at the learner's practice level, due in a week."""
    given = []
    for row in rows:
        if row.attendance != Attendance.PRESENT:
            continue
        level = row.learner.practice_level or DEFAULT_LEVEL
        ids = list(
            db.session.scalars(
                select(ItemVersion.id)
                .where(
                    ItemVersion.active,
                    ItemVersion.theme == theme,
                    ItemVersion.level == level,
                )
                .order_by(func.random())
                .limit(count)
            )
        )
        if not ids:
            continue
        assignment = assign_homework(
            tutor, row.learner, title=title[:120], item_version_ids=ids,
            due_on=local(utcnow()).date() + timedelta(days=7),
        )  # fmt: skip
        row.assignment_id = assignment.id
        given.append(assignment)
    return given
