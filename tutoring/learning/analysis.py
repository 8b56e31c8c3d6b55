"""Item analysis from the learners' answers: the rows `exercises.analysis` needs.

Only aggregates leave this module: no learner's name, id or answer."""

from __future__ import annotations

from sqlalchemy import select

from exercises.analysis import (
    Answer,
    ItemAnalysis,
    ItemInfo,
    analyse,
    options_of,
    picked_of,
)
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.models import ItemVersion
from tutoring.core.extensions import db
from tutoring.learning.models import Attempt


def item_analyses(min_answers: int) -> list[ItemAnalysis]:
    """Every answered item version's statistics, the flags needing `min_answers`."""
    rows = db.session.execute(
        select(
            Attempt.learner_id, Attempt.item_version_id, Attempt.score,
            Attempt.response, Attempt.time_ms, LearnerProfile.practice_level,
            ItemVersion.type,
        )
        .join(LearnerProfile, LearnerProfile.id == Attempt.learner_id)
        .join(ItemVersion, ItemVersion.id == Attempt.item_version_id)
        .where(Attempt.score.is_not(None))
        .order_by(Attempt.id)
    ).all()  # fmt: skip
    answers = [
        Answer(
            learner=learner, version=version, score=float(score or 0.0), band=band,
            picked=picked_of(kind, response if isinstance(response, dict) else {}),
            time_ms=time_ms,
        )
        for learner, version, score, response, time_ms, band, kind in rows
    ]  # fmt: skip
    versions = {a.version for a in answers}
    items: dict[int, ItemInfo] = {}
    for version in db.session.scalars(
        select(ItemVersion).where(ItemVersion.id.in_(versions))
    ):
        data = version.payload.get("data") or {}
        keys, right, labels = options_of(version.type, data)
        items[version.id] = ItemInfo(
            version.id, version.item_id, version.level, version.type, keys, right,
            labels,
        )  # fmt: skip
    return analyse(items, answers, min_answers=min_answers)


def items_to_look_at(min_answers: int) -> list[ItemAnalysis]:
    """The flagged items, the most flagged first, then the most answered."""
    flagged = [a for a in item_analyses(min_answers) if a.flags]
    return sorted(flagged, key=lambda a: (-len(a.flags), -a.answers, a.item_id))
