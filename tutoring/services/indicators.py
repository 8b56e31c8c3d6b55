"""Aggregated figures for the coordinator, protected against small cells."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from tutoring.extensions import db
from tutoring.models import LearnerProfile, PublicCategory, TutorProfile, TutorStatus


@dataclass(frozen=True)
class Cell:
    """A count of people; `value` is None when it is hidden (shown as '< k')."""

    key: str
    value: int | None


def protect(counts: dict[str, int], k: int) -> tuple[list[Cell], int | None]:
    """Hide counts from 1 to k-1, then enough others that the total reveals none.

    Primary suppression hides each small cell. Secondary suppression: when exactly
    one cell is hidden, the total minus the shown cells would give it away, so the
    smallest other non-zero cell is hidden too. The total itself is shown unless
    it is small.
    """
    hidden = {key for key, n in counts.items() if 0 < n < k}
    if len(hidden) == 1:
        others = sorted(
            (n, key) for key, n in counts.items() if key not in hidden and n > 0
        )
        if others:
            hidden.add(others[0][1])
    total = sum(counts.values())
    shown_total = None if 0 < total < k else total
    cells = [Cell(key, None if key in hidden else n) for key, n in counts.items()]
    return cells, shown_total


def enrolments_by_category() -> dict[str, int]:
    """Return the number of learners ever enrolled, by public category."""
    rows = db.session.execute(
        select(LearnerProfile.public_category, func.count()).group_by(
            LearnerProfile.public_category
        )
    ).all()
    counts = {c.value: 0 for c in PublicCategory}
    for category, n in rows:
        counts[category.value] = int(n)
    return counts


def approved_tutors() -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(TutorProfile)
            .where(TutorProfile.status == TutorStatus.APPROVED)
        )
        or 0
    )
