"""The learner's dashboard: the learning board plus mock exams and tutoring time."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.exams.language import language_exams_of
from tutoring.exams.models import CivicExam
from tutoring.learning.progress import skill_board
from tutoring.sessions.agenda import tutoring_minutes


def dashboard(profile: LearnerProfile) -> dict[str, Any]:
    """Everything the learner's and referent's progress views show."""
    civic = db.session.scalars(
        select(CivicExam)
        .where(CivicExam.learner_id == profile.id, CivicExam.submitted_at.is_not(None))
        .order_by(CivicExam.id.desc())
        .limit(5)
    ).all()
    french = [e for e in language_exams_of(profile) if e.finished_at is not None][:3]
    return {
        **skill_board(profile),
        "civic_exams": civic,
        "french_exams": french,
        "tutoring_minutes": tutoring_minutes(profile),
    }
