"""Results obtained outside the platform, recorded by referents for the indicators."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.indicators.models import LearnerOutcome, OutcomeKind


class OutcomeError(ValueError):
    """The outcome cannot be recorded; `code` says why."""


def record_outcome(
    profile: LearnerProfile,
    referent: User,
    *,
    kind: str,
    obtained_on: date,
    level: str | None = None,
    today: date | None = None,
) -> LearnerOutcome:
    """Record a certification, civic exam or residence card obtained by a learner."""
    if obtained_on > (today or date.today()):
        raise OutcomeError("future")
    outcome_kind = OutcomeKind(kind)
    if outcome_kind is OutcomeKind.CERTIFICATION and not level:
        raise OutcomeError("level")
    outcome = LearnerOutcome(
        learner_id=profile.id,
        kind=outcome_kind,
        level=level if outcome_kind is OutcomeKind.CERTIFICATION else None,
        obtained_on=obtained_on,
        recorded_by_id=referent.id,
    )
    db.session.add(outcome)
    db.session.flush()
    return outcome


def outcomes_of(profile: LearnerProfile) -> list[LearnerOutcome]:
    return list(
        db.session.scalars(
            select(LearnerOutcome)
            .where(LearnerOutcome.learner_id == profile.id)
            .order_by(LearnerOutcome.obtained_on.desc(), LearnerOutcome.id.desc())
        )
    )
