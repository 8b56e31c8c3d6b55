"""Calendars: a session as an .ics file, and each person's private calendar feed."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import or_, select

from tutoring.accounts.models import User
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.sessions.models import SessionStatus, TutoringSession

if TYPE_CHECKING:  # imported when a calendar is made: a few MB a worker rarely needs
    from icalendar import Calendar, Event


def _event(session: TutoringSession, summary: str, description: str) -> Event:
    """One session as an event: the slot is the UID (stable across changes), the
    sequence grows with each change, a cancelled session is sent as cancelled."""
    from icalendar import Event

    cancelled = session.status == SessionStatus.CANCELLED
    event = Event()
    event.add("uid", session.slot)
    event.add("sequence", session.sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", session.video_url or session.place)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def _calendar(method: str) -> Calendar:
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", "-//Association Myriade//Francais a Millau//FR")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    return calendar


def ics(session: TutoringSession, summary: str, description: str) -> bytes:
    """One session as an iCalendar file."""
    cancelled = session.status == SessionStatus.CANCELLED
    calendar = _calendar("CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(_event(session, summary, description))
    return bytes(calendar.to_ical())


FEED_PAST_DAYS = 60


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(user: User) -> str:
    """Give the person a new secret feed address (the old one stops working)."""
    token = secrets.token_urlsafe(24)
    user.calendar_token_hash = _hash(token)
    return token


def revoke_feed(user: User) -> None:
    user.calendar_token_hash = None


def user_for_feed(token: str) -> User | None:
    if not 20 <= len(token) <= 64:
        return None
    user = db.session.scalar(
        select(User).where(User.calendar_token_hash == _hash(token))
    )
    return user if user is not None and user.is_active else None


def feed_sessions(user: User) -> list[TutoringSession]:
    """The person's sessions from two months ago on: their own places as a learner,
    one per session as a tutor (a workshop once)."""
    since = utcnow() - timedelta(days=FEED_PAST_DAYS)
    who = [TutoringSession.tutor_id == user.id]
    if user.learner_profile is not None:
        who.append(TutoringSession.learner_id == user.learner_profile.id)
    rows = db.session.scalars(
        select(TutoringSession)
        .where(or_(*who), TutoringSession.ends_at >= since)
        .order_by(TutoringSession.starts_at, TutoringSession.id)
    ).all()
    by_slot: dict[str, TutoringSession] = {}
    for row in rows:
        kept = by_slot.get(row.slot)
        # a workshop stays on as long as one learner's place does
        if kept is None or (
            kept.status == SessionStatus.CANCELLED
            and row.status != SessionStatus.CANCELLED
        ):
            by_slot[row.slot] = row
    return list(by_slot.values())


def feed(user: User, describe: Callable[[TutoringSession], tuple[str, str]]) -> bytes:
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", "Français à Millau")
    for session in feed_sessions(user):
        summary, description = describe(session)
        calendar.add_component(_event(session, summary, description))
    return bytes(calendar.to_ical())
