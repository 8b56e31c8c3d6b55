"""Where a learner stands: per-skill estimates, reviews due, activity, help flags."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from fsrs import Card, Rating, Scheduler
from sqlalchemy import select

from exercises.estimate import (
    LEVEL_CENTRE,
    START_ABILITY,
    Estimate,
    estimate,
    item_difficulty,
    update_difficulty,
)
from exercises.model import SKILLS
from tutoring.accounts.profiles import FrenchGoal, LearnerProfile
from tutoring.content.models import ItemVersion
from tutoring.core.database import added_once, utcnow
from tutoring.core.extensions import db
from tutoring.learning.models import (
    Attempt,
    ExternalLevel,
    ItemStat,
    LevelSource,
    ReviewCard,
)

if TYPE_CHECKING:
    from fsrs.card import CardDict

scheduler = Scheduler(enable_fuzzing=False)


HISTORY = 150  # latest answers per skill taken into the estimate


GOAL_LEVEL = {FrenchGoal.A2: "A2", FrenchGoal.B1: "B1", FrenchGoal.B2: "B2"}


def target_level(profile: LearnerProfile) -> str:
    """The level the learner's residence goal needs (A2 when not decided yet)."""
    return GOAL_LEVEL.get(profile.goal, "A2")


def difficulty_of(
    version: ItemVersion, stats: dict[str, ItemStat] | None = None
) -> float:
    stat = (stats or {}).get(version.item_id) or db.session.get(
        ItemStat, version.item_id
    )
    return item_difficulty(version.level, stat.adjustment if stat else 0.0)


def priors(profile: LearnerProfile) -> dict[str, float]:
    """Starting abilities: a level measured outside when one was recorded, else the
    level chosen for practice (by the learner, the referent or the placement test)."""
    start = (
        LEVEL_CENTRE[profile.practice_level]
        if profile.practice_level
        else START_ABILITY
    )
    result = dict.fromkeys(SKILLS, start)
    rows = db.session.scalars(
        select(ExternalLevel)
        .where(ExternalLevel.learner_id == profile.id)
        .order_by(ExternalLevel.taken_on, ExternalLevel.id)
    )
    for row in rows:
        if row.level not in LEVEL_CENTRE:  # a level off the scale informs nothing
            continue
        for skill in [row.skill] if row.skill else SKILLS:
            result[skill] = LEVEL_CENTRE[row.level]
    return result


def skill_estimate(profile: LearnerProfile, skill: str) -> Estimate:
    """Return the ability estimate of one skill."""
    return skill_estimates(profile, only=skill)[skill]


def skill_estimates(
    profile: LearnerProfile, only: str | None = None
) -> dict[str, Estimate]:
    """Return the ability estimate of each of the four skills (or of `only`). Answers
    to track items (the « Numérique » track trains the computer, not French) do not
    count."""
    skills = [only] if only else list(SKILLS)
    # Only the latest HISTORY answers of a skill count: the database keeps the rest.
    # The item's learned adjustment comes in the same query, as a plain column.
    answers: dict[str, list[tuple[float, float]]] = {}
    for skill in skills:
        latest = db.session.execute(
            select(ItemVersion.level, ItemStat.adjustment, Attempt.score)
            .join(Attempt, Attempt.item_version_id == ItemVersion.id)
            .outerjoin(ItemStat, ItemStat.item_id == ItemVersion.item_id)
            .where(
                Attempt.learner_id == profile.id,
                Attempt.score.is_not(None),
                ItemVersion.skill == skill,
                ItemVersion.track.is_(None),
            )
            .order_by(Attempt.id.desc())
            .limit(HISTORY)
        ).all()
        answers[skill] = []
        for level, adjustment, score in reversed(latest):  # oldest first
            assert score is not None  # the query keeps scored attempts only
            answers[skill].append((item_difficulty(level, adjustment or 0.0), score))
    start = priors(profile)
    return {skill: estimate(answers[skill], start[skill]) for skill in skills}


def after_attempt(profile: LearnerProfile, attempt: Attempt, ability: float) -> None:
    """Refine the item's difficulty and schedule the item for review when missed."""
    if attempt.score is None:
        return
    version = attempt.item_version
    stat = db.session.get(ItemStat, version.item_id)
    if stat is None:
        stat = ItemStat(item_id=version.item_id, adjustment=0.0, answers=0)
        if not added_once(stat):  # another learner's first answer, at the same moment
            stat = db.session.get_one(ItemStat, version.item_id)
    difficulty = item_difficulty(version.level, stat.adjustment)
    new = update_difficulty(difficulty, ability, attempt.score, stat.answers)
    stat.adjustment = max(-1.5, min(1.5, stat.adjustment + (new - difficulty)))
    stat.answers += 1
    schedule_review(
        profile, version.item_id, attempt.score, attempt.created_at or utcnow()
    )


def rating_for(score: float) -> Rating:
    if score >= 0.999:
        return Rating.Good
    if score >= 0.5:
        return Rating.Hard
    return Rating.Again


def schedule_review(
    profile: LearnerProfile, item_id: str, score: float, when: datetime
) -> None:
    """Start a review card for a missed item; move an existing card on each answer."""
    row = db.session.scalar(
        select(ReviewCard).where(
            ReviewCard.learner_id == profile.id, ReviewCard.item_id == item_id
        )
    )
    if row is None:
        if score >= 0.999:
            return  # nothing to review
        card = Card()
        row = ReviewCard(learner_id=profile.id, item_id=item_id, reviews=0)
        db.session.add(row)
    else:
        card = Card.from_dict(cast("CardDict", row.card))  # what to_dict() stored
    card, _log = scheduler.review_card(card, rating_for(score), review_datetime=when)
    row.card = cast("dict[str, Any]", card.to_dict())
    row.due = card.due
    row.reviews = (row.reviews or 0) + 1


def due_reviews(profile: LearnerProfile, now: datetime | None = None) -> list[str]:
    """Return the item ids whose review is due, soonest first."""
    now = now or utcnow()
    return list(
        db.session.scalars(
            select(ReviewCard.item_id)
            .where(ReviewCard.learner_id == profile.id, ReviewCard.due <= now)
            .order_by(ReviewCard.due)
        )
    )


@dataclass
class Activity:
    days_active: int = 0
    minutes: int = 0
    attempts: int = 0
    last_active: datetime | None = None
    weak_themes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)


def weakest_skills(board: dict[str, Any], count: int = 2) -> list[str]:
    """The skills furthest from the target, once something is known of them."""
    known = {
        skill: info["progress"]
        for skill, info in board["skills"].items()
        if info["estimate"].attempts or info["progress"]
    }
    return sorted(known, key=lambda skill: known[skill])[:count]


def record_external_level(
    profile: LearnerProfile, referent: Any, *, source: str, skill: str | None, level: str,
    taken_on: Any,
) -> ExternalLevel:  # fmt: skip
    """Keep a level measured outside (it becomes the starting point of the estimate)."""
    row = ExternalLevel(
        learner_id=profile.id, skill=skill, level=level, source=LevelSource(source),
        taken_on=taken_on, recorded_by_id=referent.id,
    )  # fmt: skip
    db.session.add(row)
    db.session.flush()
    return row


def external_levels(profile: LearnerProfile) -> list[ExternalLevel]:
    return list(
        db.session.scalars(
            select(ExternalLevel)
            .where(ExternalLevel.learner_id == profile.id)
            .order_by(ExternalLevel.taken_on.desc())
        )
    )


def recent_attempts(
    profile: LearnerProfile, limit: int = 20
) -> list[tuple[Attempt, ItemVersion]]:
    return [
        (attempt, version)
        for attempt, version in db.session.execute(
            select(Attempt, ItemVersion)
            .join(ItemVersion, Attempt.item_version_id == ItemVersion.id)
            .where(Attempt.learner_id == profile.id)
            .order_by(Attempt.id.desc())
            .limit(limit)
        ).all()
    ]


@dataclass
class UnitProgress:
    unit: str
    title: str
    can_do: str
    level: str
    right: int
    answered: int
    mastered: bool
