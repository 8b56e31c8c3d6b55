"""Choose the items of a practice set. Deterministic given its random generator."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Sequence

from exercises.model import REVIEWED_TYPES, SKILLS, Item

SET_SIZE = 10
MAX_REVIEWED = 2  # productions a tutor must mark, per set
# What a learner who cannot type yet is given: pictures, choices and recordings.
KEYBOARD_FREE_TYPES = frozenset(
    {
        "image_choice",
        "single_choice",
        "multiple_choice",
        "true_false",
        "oral_production",
    }
)


def keyboard_free(items: Sequence[Item]) -> list[Item]:
    """The items answered without typing (for a learner who cannot type yet)."""
    return [i for i in items if i.type in KEYBOARD_FREE_TYPES]


def select_set(
    items: Sequence[Item],
    rng: random.Random,
    *,
    level: str,
    theme: str | None = None,
    recent: frozenset[str] = frozenset(),
    size: int = SET_SIZE,
    typing: bool = True,
) -> list[Item]:
    """Return up to `size` items of `level` (and `theme`), mixing the four skills.

    Items answered recently are used only when nothing else is left. At most
    MAX_REVIEWED items need a tutor's marking, so feedback stays mostly immediate.
    Without `typing`, only items answered without a keyboard.
    """
    pool = [
        i
        for i in (items if typing else keyboard_free(items))
        if i.level == level and (theme is None or i.theme == theme)
    ]
    skills = list(SKILLS)
    rng.shuffle(skills)
    chosen: list[Item] = []
    reviewed = [0]
    for group in _fresh_then_recent(pool, recent, rng):
        _round_robin(group, skills, chosen, reviewed, size)
    rng.shuffle(chosen)
    return chosen


def _fresh_then_recent(
    pool: list[Item], recent: frozenset[str], rng: random.Random
) -> tuple[list[Item], list[Item]]:
    """Split a pool, shuffled: items not answered recently, then the recent ones
    (used only when nothing else is left)."""
    fresh = [i for i in pool if i.id not in recent]
    stale = [i for i in pool if i.id in recent]
    rng.shuffle(fresh)
    rng.shuffle(stale)
    return fresh, stale


def _round_robin(
    group: list[Item],
    skills: list[str],
    chosen: list[Item],
    reviewed: list[int],
    size: int,
) -> None:
    """Take items from `group` one skill at a time until `chosen` holds `size`."""
    by_skill: dict[str, list[Item]] = defaultdict(list)
    for item in group:
        by_skill[item.skill].append(item)
    while len(chosen) < size and any(by_skill.values()):
        for skill in skills:
            queue = by_skill[skill]
            while queue:
                item = queue.pop(0)
                if item.type in REVIEWED_TYPES:
                    if reviewed[0] >= MAX_REVIEWED:
                        continue
                    reviewed[0] += 1
                chosen.append(item)
                break
            if len(chosen) >= size:
                return


def adaptive_set(
    items: Sequence[Item],
    rng: random.Random,
    *,
    levels: dict[str, str],
    weakest: str,
    reviews: Sequence[Item] = (),
    recent: frozenset[str] = frozenset(),
    size: int = SET_SIZE,
    max_reviews: int = 3,
    typing: bool = True,
) -> list[Item]:
    """Build a "practise my level" set.

    Up to `max_reviews` due reviews first; then half of the set from the weakest skill
    and the rest from the other skills, each skill at its own comfortable level
    (`levels`, chosen so that success is likely about three times in four).
    Without `typing`, only items answered without a keyboard (reviews included).
    """
    if not typing:
        items = keyboard_free(items)
        reviews = keyboard_free(reviews)
    chosen: list[Item] = list(reviews[:max_reviews])
    taken = {i.id for i in chosen}
    remaining = size - len(chosen)
    focus = (remaining + 1) // 2

    def pool(skill: str) -> list[Item]:
        return [
            i
            for i in items
            if i.skill == skill and i.level == levels[skill] and i.id not in taken
        ]

    weak_fresh, weak_stale = _fresh_then_recent(pool(weakest), recent, rng)
    reviewed = [sum(1 for i in chosen if i.type in REVIEWED_TYPES)]
    for item in weak_fresh + weak_stale:
        if len(chosen) - len(reviews[:max_reviews]) >= focus:
            break
        if item.type in REVIEWED_TYPES:
            if reviewed[0] >= MAX_REVIEWED:
                continue
            reviewed[0] += 1
        chosen.append(item)
        taken.add(item.id)
    others = [s for s in SKILLS if s != weakest]
    rest = [i for s in others for i in pool(s)]
    skills = list(others)
    rng.shuffle(skills)
    for group in _fresh_then_recent(rest, recent, rng):
        _round_robin(group, skills, chosen, reviewed, size)
    head, tail = (
        chosen[: len(reviews[:max_reviews])],
        chosen[len(reviews[:max_reviews]) :],
    )
    rng.shuffle(tail)
    return head + tail
