"""Where a learner stands: per-skill estimates, reviews due, activity, help flags."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.learning.progress import (
    activity,
    due_reviews,
    external_levels,
    skill_estimates,
    target_level,
    unit_mastery,
)


def dashboard(profile: LearnerProfile) -> dict[str, Any]:
    """Everything the learner's and referent's progress views show."""
    from exercises.estimate import progress_towards, reaches, sublevel_of

    target = target_level(profile)
    # Without answers, an outside level or a chosen level, there is nothing to show yet.
    informed_start = bool(profile.practice_level or external_levels(profile))
    skills = {}
    for skill, est in skill_estimates(profile).items():
        level, third = sublevel_of(est.value)
        skills[skill] = {
            "estimate": est,
            "level": level,
            "third": third,
            "progress": progress_towards(est.value, target)
            if est.attempts or informed_start
            else 0.0,
            "reached": est.enough and reaches(est.value, target),
        }
    from tutoring.exams.models import CivicExam

    exams = db.session.scalars(
        select(CivicExam)
        .where(CivicExam.learner_id == profile.id, CivicExam.submitted_at.is_not(None))
        .order_by(CivicExam.id.desc())
        .limit(5)
    ).all()
    from tutoring.exams.language import language_exams_of
    from tutoring.sessions.agenda import tutoring_minutes

    french = [e for e in language_exams_of(profile) if e.finished_at is not None][:3]
    return {
        "target": target,
        "skills": skills,
        "civic_exams": exams,
        "french_exams": french,
        "tutoring_minutes": tutoring_minutes(profile),
        "reviews_due": len(due_reviews(profile)),
        "units": unit_mastery(profile),
        "activity": activity(profile),
    }
