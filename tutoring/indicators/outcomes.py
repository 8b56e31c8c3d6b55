"""Results obtained outside the platform, recorded by referents for the indicators."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

from flask import current_app
from sqlalchemy import select

from tutoring.accounts.models import Role, User
from tutoring.accounts.outbox import queue
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.core.messages import Message, deferred_gettext
from tutoring.indicators.models import LearnerOutcome, OutcomeKind

CERTIFICATES = ("test", "diploma")


class OutcomeError(ValueError):
    """The outcome cannot be recorded; `code` says why."""


def record_outcome(
    profile: LearnerProfile,
    referent: User,
    *,
    kind: str,
    obtained_on: date,
    level: str | None = None,
    certificate: str | None = None,
    today: date | None = None,
) -> LearnerOutcome:
    """Record a certification, civic exam or residence card obtained by a learner."""
    if obtained_on > (today or date.today()):
        raise OutcomeError("future")
    outcome_kind = OutcomeKind(kind)
    if outcome_kind is OutcomeKind.CERTIFICATION and not level:
        raise OutcomeError("level")
    if outcome_kind is OutcomeKind.CERTIFICATION and certificate not in CERTIFICATES:
        raise OutcomeError("certificate")
    outcome = LearnerOutcome(
        learner_id=profile.id,
        kind=outcome_kind,
        level=level if outcome_kind is OutcomeKind.CERTIFICATION else None,
        certificate=certificate
        if outcome_kind is OutcomeKind.CERTIFICATION
        else None,
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


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def valid_until(outcome: LearnerOutcome) -> date | None:
    """The last day a result counts for a residence application; None when it does
    not end (a diploma, a residence card) or when the end is unknown (see
    `validity_unknown`). A test certification without a kind counts as a test."""
    config = current_app.config
    if outcome.kind is OutcomeKind.CERTIFICATION and outcome.certificate != "diploma":
        return add_years(outcome.obtained_on, int(config["TEST_VALID_YEARS"])) - (
            timedelta(days=1)
        )
    if outcome.kind is OutcomeKind.CIVIC_EXAM and config["CIVIC_VALID_YEARS"]:
        return add_years(outcome.obtained_on, int(config["CIVIC_VALID_YEARS"])) - (
            timedelta(days=1)
        )
    return None


def validity_unknown(outcome: LearnerOutcome) -> bool:
    """A civic exam's validity is not confirmed (domain brief): « à vérifier »."""
    return (
        outcome.kind is OutcomeKind.CIVIC_EXAM
        and not current_app.config["CIVIC_VALID_YEARS"]
    )


def outcomes_with_validity(
    profile: LearnerProfile, today: date | None = None
) -> list[dict[str, Any]]:
    """Each recorded outcome with the day it stops counting and whether it still does."""
    today = today or date.today()
    rows = []
    for outcome in outcomes_of(profile):
        until = valid_until(outcome)
        rows.append(
            {
                "outcome": outcome, "until": until,
                "expired": until is not None and until < today,
                "unknown": validity_unknown(outcome),
            }
        )  # fmt: skip
    return rows


def referents_of(profile: LearnerProfile) -> list[User]:
    """The active referents of the learner's structure."""
    return [
        user
        for user in db.session.scalars(
            select(User).where(
                User.structure_id == profile.structure_id, User.active.is_(True)
            )
        )
        if user.has_role(Role.REFERENT)
    ]


def queue_expiry_notices(today: date | None = None) -> int:
    """Tell the learner and their referents, once, that a result stops counting
    within `EXPIRY_NOTICE_DAYS` (a notice on the home page and an e-mail or a text).
    Returns how many messages were queued."""
    today = today or date.today()
    horizon = today + timedelta(days=int(current_app.config["EXPIRY_NOTICE_DAYS"]))
    # the earliest obtained_on that can still end within the horizon
    years = max(int(current_app.config["TEST_VALID_YEARS"]),
                int(current_app.config["CIVIC_VALID_YEARS"]))  # fmt: skip
    oldest = add_years(today, -years) - timedelta(days=1)
    rows = db.session.scalars(
        select(LearnerOutcome).where(
            LearnerOutcome.kind.in_([OutcomeKind.CERTIFICATION, OutcomeKind.CIVIC_EXAM]),
            LearnerOutcome.obtained_on >= oldest,
        )
    ).all()
    queued = 0
    for outcome in rows:
        until = valid_until(outcome)
        if until is None or not today <= until <= horizon:
            continue
        profile = db.session.get(LearnerProfile, outcome.learner_id)
        if profile is None or profile.erased_at is not None:
            continue
        key = f"expiry:{outcome.id}:{until.isoformat()}"
        learner = profile.user
        if learner is not None and learner.active:
            queued += queue(learner, key, partial(_learner_text, outcome, until))
        for referent in referents_of(profile):
            name = learner.display_name if learner else profile.pseudonym
            queued += queue(
                referent, key, partial(_referent_text, outcome, until, name)
            )
    db.session.commit()
    return queued


def _what(outcome: LearnerOutcome) -> Message:
    if outcome.kind is OutcomeKind.CIVIC_EXAM:
        return deferred_gettext("votre examen civique")
    return deferred_gettext("votre certification de français %(level)s",
                            level=outcome.level or "")  # fmt: skip


def _learner_text(outcome: LearnerOutcome, until: date) -> tuple[Message, Message]:
    return (
        deferred_gettext("Un résultat arrive bientôt à sa fin"),
        deferred_gettext(
            "Bonjour, %(what)s compte pour une demande de titre de séjour jusqu’au "
            "%(date)s. Si vous n’avez pas encore déposé votre demande, parlez-en avec "
            "votre référent ou référente.",
            what=_what(outcome), date=until,
        ),
    )  # fmt: skip


def _referent_text(
    outcome: LearnerOutcome, until: date, name: str
) -> tuple[Message, Message]:
    what = (
        deferred_gettext("Examen civique")
        if outcome.kind is OutcomeKind.CIVIC_EXAM
        else deferred_gettext("Certification de français %(level)s",
                              level=outcome.level or "")
    )  # fmt: skip
    return (
        deferred_gettext("Résultat d’un apprenant bientôt à sa fin"),
        deferred_gettext(
            "%(what)s de %(name)s : compte jusqu’au %(date)s.",
            what=what, name=name, date=until,
        ),
    )  # fmt: skip
