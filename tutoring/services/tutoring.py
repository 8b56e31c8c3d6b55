"""Pairing learners with volunteer tutors, and tutors' reviews of productions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sqlalchemy import select

from tutoring.extensions import db
from tutoring.models import (
    Attempt,
    LearnerProfile,
    Pairing,
    PairingStatus,
    Review,
    Role,
    Submission,
    SubmissionStatus,
    TutorProfile,
    TutorStatus,
    User,
)
from tutoring.models.base import utcnow

OPEN = (PairingStatus.PROPOSED, PairingStatus.ACTIVE)
RUBRIC_WRITING = ("task", "coherence", "vocabulary", "grammar")
RUBRIC_SPEAKING = (*RUBRIC_WRITING, "pronunciation")
RUBRIC_MAX = 3  # 0 not yet, 1 partly, 2 well, 3 very well


class TutoringError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


# --- Pairing --------------------------------------------------------------------------


def open_pairing(profile: LearnerProfile) -> Pairing | None:
    return db.session.scalar(
        select(Pairing).where(
            Pairing.learner_id == profile.id, Pairing.status.in_(OPEN)
        )
    )


def load_of(tutor: User) -> int:
    return len(
        db.session.scalars(
            select(Pairing.id).where(
                Pairing.tutor_id == tutor.id, Pairing.status.in_(OPEN)
            )
        ).all()
    )


def tutors_of(structure_id: int | None) -> list[User]:
    """Approved, active volunteers of a structure."""
    return list(
        db.session.scalars(
            select(User)
            .join(TutorProfile, TutorProfile.user_id == User.id)
            .where(
                TutorProfile.status == TutorStatus.APPROVED,
                TutorProfile.structure_id == structure_id,
                User.active,
            )
            .order_by(User.first_name)
        )
    )


@dataclass
class Suggestion:
    tutor: User
    score: float
    shared_languages: list[str] = field(default_factory=list)
    capacity_left: int = 0
    level_fit: bool = True


def fit(profile: LearnerProfile, tutor: User, load: int) -> Suggestion:
    """Score a tutor for a learner, with the reasons in words the page can show."""
    tutor_profile = tutor.tutor_profile
    assert tutor_profile is not None
    spoken = set(profile.languages or []) - {"fr"}
    shared = sorted(spoken & set(tutor_profile.languages or []))
    left = max(0, tutor_profile.max_learners - load)
    score = (3.0 if shared else 0.0) + min(left, 3) * 0.5
    if left == 0:
        score = -100.0  # full: never proposed
    return Suggestion(
        tutor=tutor, score=score, shared_languages=shared, capacity_left=left
    )


def suggestions(profile: LearnerProfile) -> list[Suggestion]:
    """Approved tutors of the learner's structure, best fit first."""
    ranked = [
        fit(profile, tutor, load_of(tutor)) for tutor in tutors_of(profile.structure_id)
    ]
    return sorted((s for s in ranked if s.capacity_left > 0), key=lambda s: -s.score)


def waiting_learners(structure_id: int | None) -> list[LearnerProfile]:
    """Learners with no open pairing: the level's deadline first, then waiting time."""
    paired = select(Pairing.learner_id).where(Pairing.status.in_(OPEN))
    rows = db.session.scalars(
        select(LearnerProfile).where(
            LearnerProfile.structure_id == structure_id,
            LearnerProfile.user_id.is_not(None),
            LearnerProfile.id.not_in(paired),
        )
    ).all()
    return sorted(
        rows,
        key=lambda p: (
            p.target_date is None,
            p.target_date or p.enrolled_at.date(),
            p.enrolled_at,
        ),
    )


def optimal_proposal(structure_id: int | None) -> list[Suggestion | None]:
    """Assign waiting learners to tutors maximising the total fit under capacities.

    Each tutor appears once per free place; scipy's Hungarian algorithm picks the
    assignment. Returns, per waiting learner (same order), the chosen tutor or None.
    """
    learners = waiting_learners(structure_id)
    slots: list[User] = []
    loads = {}
    for tutor in tutors_of(structure_id):
        loads[tutor.id] = load_of(tutor)
        assert tutor.tutor_profile is not None
        slots += [tutor] * max(0, tutor.tutor_profile.max_learners - loads[tutor.id])
    if not learners or not slots:
        return [None] * len(learners)
    scores = np.array(
        [[fit(p, t, loads[t.id]).score for t in slots] for p in learners], dtype=float
    )
    rows, cols = linear_sum_assignment(scores, maximize=True)
    result: list[Suggestion | None] = [None] * len(learners)
    for row, col in zip(rows, cols, strict=True):
        result[row] = fit(learners[row], slots[col], loads[slots[col].id])
    return result


def propose(referent: User, profile: LearnerProfile, tutor: User) -> Pairing:
    """Propose a tutor to a learner; the tutor accepts or declines."""
    if open_pairing(profile) is not None:
        raise TutoringError("already_paired")
    if tutor not in tutors_of(profile.structure_id):
        raise TutoringError("not_a_tutor")
    assert tutor.tutor_profile is not None
    if load_of(tutor) >= tutor.tutor_profile.max_learners:
        raise TutoringError("full")
    pairing = Pairing(
        learner_id=profile.id, tutor_id=tutor.id, proposed_by_id=referent.id
    )
    db.session.add(pairing)
    db.session.flush()
    return pairing


def respond(tutor: User, pairing: Pairing, *, accept: bool, reason: str = "") -> None:
    if pairing.tutor_id != tutor.id or pairing.status != PairingStatus.PROPOSED:
        raise TutoringError("not_pending")
    pairing.status = PairingStatus.ACTIVE if accept else PairingStatus.DECLINED
    pairing.responded_at = utcnow()
    if not accept:
        pairing.reason = reason.strip()[:300] or None


def end(pairing: Pairing, reason: str) -> None:
    if pairing.status not in OPEN:
        raise TutoringError("not_open")
    pairing.status = PairingStatus.ENDED
    pairing.ended_at = utcnow()
    pairing.reason = reason.strip()[:300] or None


def tutor_learner_ids(tutor: User) -> set[int]:
    return set(
        db.session.scalars(
            select(Pairing.learner_id).where(
                Pairing.tutor_id == tutor.id, Pairing.status == PairingStatus.ACTIVE
            )
        )
    )


# --- Reviews --------------------------------------------------------------------------


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
    mark = round(sum(criteria.values()) / (RUBRIC_MAX * len(expected)), 4)
    review = Review(
        submission_id=submission.id, reviewer_id=reviewer.id, criteria=criteria,
        mark=mark, comment=comment.strip()[:3000],
    )  # fmt: skip
    db.session.add(review)
    submission.status = SubmissionStatus.REVIEWED
    submission.attempt.score = mark
    db.session.flush()
    return review


def reviews_for_learner(
    profile: LearnerProfile, limit: int = 5
) -> list[tuple[Review, Any]]:
    rows = db.session.execute(
        select(Review, Attempt)
        .join(Submission, Review.submission_id == Submission.id)
        .join(Attempt, Submission.attempt_id == Attempt.id)
        .where(Attempt.learner_id == profile.id)
        .order_by(Review.id.desc())
        .limit(limit)
    ).all()
    return [(review, attempt) for review, attempt in rows]
