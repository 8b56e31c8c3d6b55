"""Marking of written and spoken productions: who may mark what, the queue, the rubric,
the mark recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, Select, bindparam, select

from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import added_once, built_once
from tutoring.core.extensions import db
from tutoring.exams.language import record_outcome_after_review
from tutoring.learning.models import Attempt, Review, Submission, SubmissionStatus
from tutoring.pairing.pairings import TutoringError, tutor_learner_ids

RUBRIC_WRITING = ("task", "coherence", "vocabulary", "grammar")


RUBRIC_SPEAKING = (*RUBRIC_WRITING, "pronunciation")


RUBRIC_MAX = 3  # 0 not yet, 1 partly, 2 well, 3 very well


def reviewable_learner_ids(user: User) -> set[int]:
    """Whose productions this person may read: a referent's structure, a tutor's pairs."""
    ids: set[int] = set()
    if user.has_role(Role.REFERENT):
        ids |= set(
            db.session.scalars(
                select(LearnerProfile.id).where(
                    LearnerProfile.structure_id == user.structure_id,
                    LearnerProfile.user_id.is_not(None),
                )
            )
        )
    if user.is_approved_tutor:
        ids |= tutor_learner_ids(user)
    return ids


def review_queue(user: User) -> list[Submission]:
    ids = reviewable_learner_ids(user)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Submission)
            .join(Attempt, Submission.attempt_id == Attempt.id)
            .where(
                Attempt.learner_id.in_(ids),
                Submission.status == SubmissionStatus.PENDING,
            )
            .order_by(Submission.created_at)
        )
    )


def submission_for(user: User, submission_id: int) -> Submission | None:
    submission = db.session.get(Submission, submission_id)
    if (
        submission is None
        or submission.attempt.learner_id not in reviewable_learner_ids(user)
    ):
        return None
    return submission


def rubric_for(kind: str) -> tuple[str, ...]:
    return RUBRIC_SPEAKING if kind == "oral_production" else RUBRIC_WRITING


def record_review(
    submission: Submission, reviewer: User, criteria: dict[str, int], comment: str
) -> Review:
    """Mark a production; the mark becomes the attempt's score (the learner model and
    mock exam results use it)."""
    kind = submission.attempt.item_version.type
    expected = rubric_for(kind)
    if set(criteria) != set(expected) or not all(
        0 <= v <= RUBRIC_MAX for v in criteria.values()
    ):
        raise TutoringError("rubric")
    if submission.review is not None:
        raise TutoringError("reviewed")
    mark = round(sum(criteria.values()) / (RUBRIC_MAX * len(expected)), 4)
    review = Review(
        submission_id=submission.id, reviewer_id=reviewer.id, criteria=criteria,
        mark=mark, comment=comment.strip()[:3000],
    )  # fmt: skip
    if not added_once(review):  # marked meanwhile by someone else (or a double tap)
        raise TutoringError("reviewed")
    submission.status = SubmissionStatus.REVIEWED
    submission.attempt.score = mark
    db.session.flush()

    record_outcome_after_review(submission.attempt.set_id)
    return review


def reviews_for_learner(
    profile: LearnerProfile, limit: int = 5
) -> Sequence[Row[datetime, float, int | None, int | None]]:
    """The learner's latest marked productions, newest first: when, the mark, and
    the set and position that link to the correction (nothing else is read, not the
    answers themselves)."""
    return db.session.execute(_reviews(limit), {"learner_id": profile.id}).all()


@built_once  # one statement per limit (the home page's 3)
def _reviews(limit: int) -> Select[datetime, float, int | None, int | None]:
    return (
        select(Review.created_at, Review.mark, Attempt.set_id, Attempt.position)
        .join(Submission, Review.submission_id == Submission.id)
        .join(Attempt, Submission.attempt_id == Attempt.id)
        .where(Attempt.learner_id == bindparam("learner_id"))
        .order_by(Review.id.desc())
        .limit(limit)
    )
