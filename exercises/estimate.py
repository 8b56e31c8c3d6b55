"""The learner model: a per-skill ability on a logit scale, turned into a CEFR level.

A Rasch-style (one-parameter logistic) model: the chance that a learner of ability
theta answers an item of difficulty b correctly is 1 / (1 + exp(b - theta)). Item
difficulties start from the item's level; each answer moves the learner's ability
(Elo update with a step that shrinks as evidence accumulates) and, much more slowly,
the item's difficulty. Pure functions: the caller stores the numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LEVEL_ORDER = ("A1.1", "A1", "A2", "B1", "B2")
# Centre of each level on the ability scale; boundaries sit half-way between.
LEVEL_CENTRE = {"A1.1": -2.0, "A1": -1.0, "A2": 0.0, "B1": 1.0, "B2": 2.0}
START_ABILITY = -1.5  # between A1.1 and A1: nobody is assumed to read at the start
MIN_ATTEMPTS = 8  # below this, the estimate is shown as "not enough exercises yet"
TARGET_SUCCESS = (0.70, 0.85)


def probability(ability: float, difficulty: float) -> float:
    """Return the modelled chance of a right answer."""
    return 1.0 / (1.0 + math.exp(difficulty - ability))


# A learner in the middle of a level succeeds about three times in four on its items:
# that is what "being A2" means. So an item of level L starts at centre(L) - 1.1.
ITEM_OFFSET = -1.1


def item_difficulty(level: str, adjustment: float = 0.0) -> float:
    """Return the starting difficulty of an item of `level`, plus a learned adjustment."""
    return LEVEL_CENTRE[level] + ITEM_OFFSET + adjustment


def best_level(value: float) -> str:
    """The item level whose success chance is nearest the middle of TARGET_SUCCESS."""
    middle = sum(TARGET_SUCCESS) / 2
    return min(
        LEVEL_ORDER,
        key=lambda lvl: abs(probability(value, item_difficulty(lvl)) - middle),
    )


GRID = [x / 10 for x in range(-45, 46)]  # ability values considered, -4.5 … 4.5
EXP_MINUS_GRID = [math.exp(-x) for x in GRID]
PRIOR_SD = 1.5
DECAY = 0.985  # older answers weigh a little less: learners progress


@dataclass(frozen=True)
class Estimate:
    """One skill's ability: posterior mean, its standard error, and the evidence."""

    value: float = START_ABILITY
    standard_error: float = PRIOR_SD
    attempts: int = 0

    @property
    def enough(self) -> bool:
        return self.attempts >= MIN_ATTEMPTS

    @property
    def likely_levels(self) -> tuple[str, str]:
        """The levels one standard error below and above the estimate: where the
        learner most probably stands, said in words when the two differ."""
        return (
            level_of(self.value - self.standard_error),
            level_of(self.value + self.standard_error),
        )


def estimate(
    answers: list[tuple[float, float]], prior: float = START_ABILITY
) -> Estimate:
    """Return the expected a posteriori ability after `answers`, oldest first.

    Each answer is (item difficulty, score between 0 and 1); a partial score counts
    as that share of a right answer.
    """
    if not answers:
        return Estimate(prior, PRIOR_SD, 0)
    log_post = [-0.5 * ((x - prior) / PRIOR_SD) ** 2 for x in GRID]
    weight = 1.0
    # With z = exp(difficulty - x): log p = -log(1 + z) and log(1 - p) = log z -
    # log(1 + z) = (difficulty - x) - log(1 + z); exp(difficulty - x) is
    # exp(difficulty) * exp(-x), the latter computed once (EXP_MINUS_GRID).
    log1p = math.log1p
    for difficulty, score in reversed(answers):
        scale = math.exp(difficulty)
        wrong = weight * (1.0 - score)
        if wrong:
            log_post = [
                v - weight * log1p(scale * e) + wrong * (difficulty - x)
                for v, e, x in zip(log_post, EXP_MINUS_GRID, GRID, strict=True)
            ]
        else:
            log_post = [
                v - weight * log1p(scale * e)
                for v, e in zip(log_post, EXP_MINUS_GRID, strict=True)
            ]
        weight *= DECAY
    top = max(log_post)
    post = [math.exp(v - top) for v in log_post]
    total = sum(post)
    mean = sum(x * w for x, w in zip(GRID, post, strict=True)) / total
    var = sum((x - mean) ** 2 * w for x, w in zip(GRID, post, strict=True)) / total
    return Estimate(mean, math.sqrt(var), len(answers))


def update_difficulty(
    difficulty: float, ability: float, score: float, answered: int
) -> float:
    """Move an item's difficulty a little after an answer (many learners refine it)."""
    p = probability(ability, difficulty)
    step = 0.3 / (1.0 + answered / 20.0)
    return difficulty + step * (p - score)


def level_of(value: float) -> str:
    """Return the CEFR level whose band contains the ability."""
    index = round(value - LEVEL_CENTRE["A1.1"])
    return LEVEL_ORDER[max(0, min(len(LEVEL_ORDER) - 1, index))]


def sublevel_of(value: float) -> tuple[str, int]:
    """Return the level and a third within it: -1 (début), 0 (milieu), +1 (fin)."""
    level = level_of(value)
    offset = value - LEVEL_CENTRE[level]
    third = -1 if offset < -1 / 6 else 1 if offset > 1 / 6 else 0
    return level, third


def sublevel_index(value: float) -> int:
    """Position on the 15-step scale A1.1 début (0) … B2 fin (14)."""
    level, third = sublevel_of(value)
    return LEVEL_ORDER.index(level) * 3 + third + 1


def reaches(value: float, target: str) -> bool:
    """Whether the ability is at or above the lower boundary of `target`."""
    return value >= LEVEL_CENTRE[target] - 0.5


def progress_towards(value: float, target: str) -> float:
    """Share of the way from the bottom of the scale to the target level, 0 to 1."""
    low = LEVEL_CENTRE["A1.1"] - 0.5
    high = LEVEL_CENTRE[target] - 0.5
    return max(0.0, min(1.0, (value - low) / (high - low)))


def comfortable_difficulty(value: float) -> tuple[float, float]:
    """The difficulty range where the modelled success lies in TARGET_SUCCESS."""
    low_p, high_p = TARGET_SUCCESS
    return value - math.log(high_p / (1 - high_p)), value - math.log(
        low_p / (1 - low_p)
    )
