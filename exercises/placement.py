"""The placement test: an adaptive sequence that finds each skill's level quickly."""

from __future__ import annotations

import random
from collections.abc import Sequence

from exercises.estimate import LEVEL_ORDER, item_difficulty
from exercises.model import REVIEWED_TYPES, Item
from exercises.selection import keyboard_free

LENGTH = 20
LENGTH_STARTING_TO_READ = 10
# Skills in turn; speaking is marked by a tutor, so the placement leaves it out.
ROTATION = ("CE", "CO", "EE")
# For learners who do not read yet: pictures and sound only.
PICTURE_TYPES = ("image_choice", "true_false", "single_choice")


def next_item(
    items: Sequence[Item],
    rng: random.Random,
    *,
    answered: int,
    abilities: dict[str, float],
    seen: frozenset[str],
    reads: bool = True,
    typing: bool = True,
) -> Item | None:
    """Choose the next placement item: the next skill in turn, at the level whose
    items the learner has an even chance on (where an answer tells the most).
    Without `typing`, only items answered without a keyboard."""
    if not typing:
        items = keyboard_free(items)
    if not reads:
        pool = [
            i for i in items
            if i.level == "A1.1" and i.id not in seen and i.type in PICTURE_TYPES
            and (i.skill == "CO" or i.type == "image_choice")
        ]  # fmt: skip
        return rng.choice(pool) if pool else None
    # Without a keyboard, writing is left to a tutor as speaking is.
    rotation = ROTATION if typing else tuple(s for s in ROTATION if s != "EE")
    skill = rotation[answered % len(rotation)]
    ability = abilities[skill]
    by_distance = sorted(
        LEVEL_ORDER, key=lambda lvl: abs(item_difficulty(lvl) - ability)
    )
    for level in by_distance:
        pool = [
            i for i in items
            if i.level == level and i.skill == skill and i.id not in seen
            and i.type not in REVIEWED_TYPES
        ]  # fmt: skip
        if pool:
            return rng.choice(pool)
    return None
