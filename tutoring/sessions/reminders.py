"""Reminders of tomorrow's sessions, queued in the outbox once per session and time."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import select

from tutoring.accounts.models import User
from tutoring.accounts.outbox import queue
from tutoring.core.clock import local
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.core.messages import Message, deferred_gettext, verbatim
from tutoring.sessions.booking import to_utc
from tutoring.sessions.models import SessionStatus, TutoringSession


def queue_reminders(now: datetime | None = None) -> int:
    """Queue a reminder for each session of the next day (Millau), for the learner
    (e-mail, or a text without e-mail) and the tutor. Returns how many were new."""
    now = now or utcnow()
    tomorrow = local(now).date() + timedelta(days=1)
    start = to_utc(tomorrow, datetime.min.time())
    end = to_utc(tomorrow + timedelta(days=1), datetime.min.time())
    rows = db.session.scalars(
        select(TutoringSession).where(
            TutoringSession.status == SessionStatus.SCHEDULED,
            TutoringSession.starts_at >= start,
            TutoringSession.starts_at < end,
        )
    ).all()
    queued = 0
    for row in rows:
        moment = row.starts_at.isoformat()
        learner = row.learner.user
        if learner is not None and learner.active:
            queued += queue(
                learner, f"reminder:{row.id}:{moment}",
                partial(_reminder_text, row, learner),
                notice=False,
            )  # fmt: skip
        tutor = row.tutor
        if tutor.active:
            # one reminder per session for the tutor, also for a workshop
            queued += queue(
                tutor, f"reminder:{row.slot}:{moment}",
                partial(_reminder_text, row, tutor),
                notice=False,
            )  # fmt: skip
    db.session.commit()
    return queued


def _reminder_text(row: TutoringSession, user: User) -> tuple[Message, list[Message]]:
    """Kept as keys: written in the person's language when it is sent."""
    place = deferred_gettext("en visio") if row.place_id is None else row.place
    subject = deferred_gettext("Rappel : séance de français demain")
    body = [
        deferred_gettext(
            "Bonjour, vous avez une séance de français %(when)s (heure de Millau), "
            "%(place)s. En cas d’empêchement, prévenez l’association.",
            when=row.starts_at,
            place=place,
        )
    ]
    if row.video_url:
        body.append(verbatim(row.video_url))
    return subject, body
