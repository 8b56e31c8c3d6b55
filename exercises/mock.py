"""Mock French exam in the TCF IRN format: sections, timing, item draw."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from exercises.estimate import LEVEL_ORDER
from exercises.model import REVIEWED_TYPES, Item


@dataclass(frozen=True)
class Section:
    skill: str
    minutes: int
    # items drawn per level, easiest first, as the TCF rises in difficulty
    per_level: tuple[tuple[str, int], ...]
    types: tuple[str, ...] | None = None  # None: any automatically marked type


SECTIONS = (
    Section("CO", 20, (("A1", 5), ("A2", 7), ("B1", 7), ("B2", 6))),
    Section("CE", 35, (("A1", 5), ("A2", 7), ("B1", 7), ("B2", 6))),
    Section("EE", 30, (("A2", 1), ("B1", 1), ("B2", 1)), ("short_writing",)),
    Section("EO", 10, (("A2", 1), ("B1", 1), ("B2", 1)), ("oral_production",)),
)


def _eligible(item: Item, section: Section) -> bool:
    if item.skill != section.skill:
        return False
    if section.types is not None:
        return item.type in section.types
    return item.type not in REVIEWED_TYPES


def draw_section(
    items: Sequence[Item], section: Section, rng: random.Random, avoid: frozenset[str]
) -> list[Item]:
    """Draw a section's items level by level (a nearby level stands in when one is
    short), preferring items the learner has not answered yet; easiest first."""
    chosen: list[Item] = []
    taken: set[str] = set()
    for level, count in section.per_level:
        index = LEVEL_ORDER.index(level)
        nearby = sorted(
            LEVEL_ORDER, key=lambda lvl: abs(LEVEL_ORDER.index(lvl) - index)
        )
        wanted = count
        for candidate in nearby:
            if not wanted:
                break
            pool = [
                i for i in items
                if i.level == candidate and _eligible(i, section) and i.id not in taken
            ]  # fmt: skip
            fresh = [i for i in pool if i.id not in avoid]
            stale = [i for i in pool if i.id in avoid]
            rng.shuffle(fresh)
            rng.shuffle(stale)
            for item in (fresh + stale)[:wanted]:
                chosen.append(item)
                taken.add(item.id)
                wanted -= 1
    order = {level: n for n, level in enumerate(LEVEL_ORDER)}
    return sorted(chosen, key=lambda i: order[i.level])
