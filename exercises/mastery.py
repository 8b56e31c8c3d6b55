"""Mastery of a unit's can-do statement: m right answers among the last n."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WINDOW = 5  # the last n answers on the unit's items
NEEDED = 4  # how many of them must be right
RIGHT = 0.8  # a score counted as a right answer


@dataclass(frozen=True)
class Mastery:
    right: int
    answered: int

    @property
    def mastered(self) -> bool:
        return self.right >= NEEDED


def mastery(scores: Sequence[float]) -> Mastery:
    """Judge the unit from its scores, oldest first (tutor-marked ones included)."""
    last = list(scores)[-WINDOW:]
    return Mastery(right=sum(1 for s in last if s >= RIGHT), answered=len(last))
