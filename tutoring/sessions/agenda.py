"""Who sees which sessions: a learner's, a volunteer's, a pairing's; tutoring time."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Row, ScalarSelect, Select, bindparam, func, select

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import LearnerKey, built_once, utcnow
from tutoring.core.extensions import db
from tutoring.sessions.models import SessionStatus, TutoringSession


def next_session_of(profile: LearnerProfile) -> Row[datetime, str] | None:
    """The learner's next session not yet over: when it starts and where (the home
    page shows nothing else, so nothing else is read)."""
    return db.session.execute(
        _next_session(), {"learner_id": profile.id, "now": utcnow()}
    ).first()


@built_once
def _next_session() -> Select[datetime, str]:
    return (
        select(TutoringSession.starts_at, TutoringSession.place)
        .where(
            TutoringSession.learner_id == bindparam("learner_id"),
            TutoringSession.ends_at >= bindparam("now"),
            TutoringSession.status == SessionStatus.SCHEDULED,
        )
        .order_by(TutoringSession.starts_at)
        .limit(1)
    )


def tutor_agenda(tutor: User) -> list[TutoringSession]:
    """The tutor's sessions still to come or still to report (a workshop once)."""
    since = utcnow() - timedelta(days=30)
    rows = db.session.scalars(
        select(TutoringSession)
        .where(
            TutoringSession.tutor_id == tutor.id,
            TutoringSession.status == SessionStatus.SCHEDULED,
            TutoringSession.starts_at >= since,
        )
        .order_by(TutoringSession.starts_at, TutoringSession.id)
    ).all()
    seen: dict[str, TutoringSession] = {}
    for row in rows:
        seen.setdefault(row.slot, row)
    return list(seen.values())[:20]


def sessions_of_learner(profile: LearnerProfile) -> list[TutoringSession]:
    """A learner's sessions, latest first (for their referent)."""
    return list(
        db.session.scalars(
            select(TutoringSession)
            .where(TutoringSession.learner_id == profile.id)
            .order_by(TutoringSession.starts_at.desc())
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


def minutes_question(learner: LearnerKey) -> ScalarSelect[int]:
    """Minutes of tutoring the learner attended, as SQL (to be asked in one query
    with a page's other questions)."""
    return (
        select(func.coalesce(func.sum(TutoringSession.minutes), 0))
        .where(
            TutoringSession.learner_id == learner,
            TutoringSession.status == SessionStatus.HELD,
        )
        .scalar_subquery()
    )


def tutoring_minutes(profile: LearnerProfile) -> int:
    """Minutes of tutoring the learner attended (summed by the database)."""
    return int(db.session.scalar(select(minutes_question(profile.id))) or 0)
