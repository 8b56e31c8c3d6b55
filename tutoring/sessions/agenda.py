"""Who sees which sessions: a learner's, a volunteer's, a pairing's; tutoring time."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import ScalarSelect, Select, bindparam, func, select

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import LearnerKey, built_once, utcnow
from tutoring.core.extensions import db
from tutoring.sessions.models import SessionStatus, TutoringSession


def upcoming_for_learner(
    profile: LearnerProfile, limit: int | None = None
) -> list[TutoringSession]:
    """The learner's sessions not yet over, soonest first (the first `limit`)."""
    return list(
        db.session.scalars(
            _upcoming(limit), {"learner_id": profile.id, "now": utcnow()}
        )
    )


@built_once  # one statement per limit (the home page's 1, or none)
def _upcoming(limit: int | None) -> Select[TutoringSession]:
    return (
        select(TutoringSession)
        .where(
            TutoringSession.learner_id == bindparam("learner_id"),
            TutoringSession.ends_at >= bindparam("now"),
            TutoringSession.status == SessionStatus.SCHEDULED,
        )
        .order_by(TutoringSession.starts_at)
        .limit(limit)
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
