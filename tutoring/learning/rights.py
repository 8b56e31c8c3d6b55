"""The learner's rights over their practice data: export and erasure of productions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update

from tutoring.accounts.profiles import LearnerProfile
from tutoring.accounts.signals import collect_user_data, erasing_learner
from tutoring.content.models import ItemVersion
from tutoring.content.recordings import audio_path
from tutoring.core.extensions import db
from tutoring.learning.models import Assignment, Attempt


@collect_user_data.connect
def practice_data(profile: LearnerProfile) -> dict[str, Any]:
    """The learner's answers, for the export of their data."""
    rows = db.session.execute(
        select(Attempt, ItemVersion.item_id)
        .join(ItemVersion, Attempt.item_version_id == ItemVersion.id)
        .where(Attempt.learner_id == profile.id)
        .order_by(Attempt.id)
    ).all()
    return {
        "practice": [
            {
                "item": item_id,
                "answered_at": attempt.created_at.isoformat(),
                "score": attempt.score,
                "text": attempt.submission.text if attempt.submission else None,
                "recording": bool(attempt.submission and attempt.submission.audio_file),
            }
            for attempt, item_id in rows
        ]
    }


@erasing_learner.connect
def erase_homework_titles(profile: LearnerProfile) -> None:
    """A homework's title is typed by a tutor and may name the learner."""
    db.session.execute(
        update(Assignment)
        .where(Assignment.learner_id == profile.id)
        .values(title="")
        .execution_options(synchronize_session="fetch")
    )


@erasing_learner.connect
def erase_productions(profile: LearnerProfile) -> None:
    """Delete written texts and recordings: they are personal, unlike scores."""
    attempts = db.session.scalars(
        select(Attempt).where(Attempt.learner_id == profile.id)
    ).all()
    for attempt in attempts:
        submission = attempt.submission
        if submission is not None:
            if submission.audio_file:
                audio_path(submission.audio_file).unlink(missing_ok=True)
            db.session.delete(submission)
        if "text" in attempt.response:
            attempt.response = {
                k: v for k, v in attempt.response.items() if k != "text"
            }
