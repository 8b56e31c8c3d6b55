"""Progress records (attestations de suivi) with a code anyone can check."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import func, select

from exercises.estimate import sublevel_of
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.codes import CARD_ALPHABET
from tutoring.core.extensions import db
from tutoring.exams.language import language_exams_of, language_results
from tutoring.exams.models import CivicExam
from tutoring.home.models import Attestation
from tutoring.learning.models import Attempt
from tutoring.learning.progress import target_level
from tutoring.learning.state import estimates as skill_estimates
from tutoring.sessions.agenda import tutoring_minutes


def new_code() -> str:
    raw = "".join(secrets.choice(CARD_ALPHABET) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def issue(profile: LearnerProfile) -> Attestation:
    """Freeze the learner's record today and give it a verification code."""
    user = profile.user
    assert user is not None
    exercises = db.session.scalar(
        select(func.count())
        .select_from(Attempt)
        .where(Attempt.learner_id == profile.id)
    )
    minutes = round(
        (
            db.session.scalar(
                select(func.coalesce(func.sum(Attempt.time_ms), 0)).where(
                    Attempt.learner_id == profile.id, Attempt.time_ms < 15 * 60_000
                )
            )
            or 0
        )
        / 60_000
    )
    levels: dict[str, Any] = {}
    for skill, est in skill_estimates(profile).items():
        level, third = sublevel_of(est.value)
        levels[skill] = {"level": level, "third": third, "enough": est.enough}
    exams = db.session.scalars(
        select(CivicExam)
        .where(CivicExam.learner_id == profile.id, CivicExam.submitted_at.is_not(None))
        .order_by(CivicExam.id)
    ).all()

    french = [
        {
            "date": e.finished_at.date().isoformat(),
            "levels": {r["skill"]: r["level"] for r in language_results(e)},
        }
        for e in language_exams_of(profile)
        if e.finished_at is not None
    ]
    content = {
        "name": user.display_name,
        "tutoring_minutes": tutoring_minutes(profile),
        "french_exams": french,
        "structure": profile.structure.name,
        "since": profile.enrolled_at.date().isoformat(),
        "target": target_level(profile),
        "exercises": int(exercises or 0),
        "minutes": minutes,
        "levels": levels,
        "civic_exams": [
            {
                "date": e.submitted_at.date().isoformat(),
                "score": e.score,
                "mention": e.mention,
            }
            for e in exams
            if e.submitted_at is not None
        ],
    }
    attestation = Attestation(code=new_code(), learner_id=profile.id, content=content)
    db.session.add(attestation)
    db.session.flush()
    return attestation


def find(code: str) -> Attestation | None:
    cleaned = "".join(c for c in code.upper() if c.isalnum())
    if len(cleaned) != 12:
        return None
    formatted = "-".join(cleaned[i : i + 4] for i in range(0, 12, 4))
    return db.session.scalar(select(Attestation).where(Attestation.code == formatted))
