"""Mock French exam in the TCF IRN format: sections, timing, item draw."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from exercises.estimate import LEVEL_ORDER
from exercises.model import N_, REVIEWED_TYPES, Item


@dataclass(frozen=True)
class Section:
    skill: str
    minutes: int
    # items drawn per level, easiest first, as the TCF rises in difficulty
    per_level: tuple[tuple[str, int], ...]
    types: tuple[str, ...] | None = (
        None  # None: four-option single choice (the TCF MCQ)
    )


# In the TCF IRN every listening and reading question has four options and one right
# answer (domain.md, « TCF IRN »): the mock draws only such items for CO and CE.
MCQ_OPTIONS = 4

SECTIONS = (
    Section("CO", 20, (("A1", 5), ("A2", 7), ("B1", 7), ("B2", 6))),
    Section("CE", 35, (("A1", 5), ("A2", 7), ("B1", 7), ("B2", 6))),
    Section("EE", 30, (("A2", 1), ("B1", 1), ("B2", 1)), ("short_writing",)),
    Section("EO", 10, (("A2", 1), ("B1", 1), ("B2", 1)), ("oral_production",)),
)


@dataclass(frozen=True)
class Task:
    """One task of the writing or speaking test, as the candidate is told it."""

    number: int
    name: str  # msgid
    description: str  # msgid
    min_words: int | None = None
    max_words: int | None = None
    seconds: int | None = None  # speaking time with the examiner
    preparation_seconds: int = 0


# The three writing and the three speaking tasks. domain.md marks the exact content of
# the IRN tasks as unconfirmed; these follow France Éducation International's
# description of the TCF written and spoken tests as we know it (our best knowledge,
# not a checked source): writing, a short message of 60–120 words, an article or a
# letter of 120–150 words, a comparison of two points of view of 120–180 words;
# speaking, an « entretien dirigé » (about 2 min, no preparation), an « exercice en
# interaction » (about 5 min 30, preparation included) and the « expression d'un point
# de vue » (about 4 min 30). The section times stay those domain.md gives.
WRITING_TASKS = (
    Task(1, N_("Tâche 1 : un message court"),
         N_("Écrivez un message à une ou plusieurs personnes pour décrire, raconter "
            "ou expliquer quelque chose."), min_words=60, max_words=120),
    Task(2, N_("Tâche 2 : un article ou une lettre"),
         N_("Écrivez un article, un courrier ou une note pour raconter une expérience "
            "et donner votre avis."), min_words=120, max_words=150),
    Task(3, N_("Tâche 3 : comparer deux points de vue"),
         N_("Lisez deux avis opposés, présentez-les, puis donnez votre opinion."),
         min_words=120, max_words=180),
)  # fmt: skip
SPEAKING_TASKS = (
    Task(1, N_("Tâche 1 : entretien dirigé"),
         N_("L’examinateur pose des questions sur vous : votre vie, votre famille, "
            "vos études, votre travail, vos projets."), seconds=120),
    Task(2, N_("Tâche 2 : exercice en interaction"),
         N_("Après une préparation, vous jouez une situation de la vie quotidienne "
            "avec l’examinateur et vous lui posez des questions."),
         seconds=210, preparation_seconds=120),
    Task(3, N_("Tâche 3 : expression d’un point de vue"),
         N_("Vous donnez votre avis sur un sujet et vous le justifiez avec des "
            "exemples."), seconds=270),
)  # fmt: skip
TASKS = {"EE": WRITING_TASKS, "EO": SPEAKING_TASKS}


def task_at(skill: str, position: int) -> Task | None:
    """The writing or speaking task of a section's position (None elsewhere)."""
    tasks = TASKS.get(skill, ())
    return tasks[position] if 0 <= position < len(tasks) else None


def _eligible(item: Item, section: Section) -> bool:
    if item.skill != section.skill:
        return False
    if section.types is not None:
        return item.type in section.types
    return is_four_option_mcq(item)


def is_four_option_mcq(item: Item) -> bool:
    """A single-choice item with exactly four options, as the TCF asks."""
    return (
        item.type == "single_choice"
        and item.type not in REVIEWED_TYPES
        and len(item.data.get("choices") or ()) == MCQ_OPTIONS
    )


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
        pools: dict[tuple[str, bool], list[Item]] = {}
        for candidate in nearby:
            pool = [
                i for i in items
                if i.level == candidate and _eligible(i, section) and i.id not in taken
            ]  # fmt: skip
            fresh = [i for i in pool if i.id not in avoid]
            stale = [i for i in pool if i.id in avoid]
            rng.shuffle(fresh)
            rng.shuffle(stale)
            pools[candidate, True] = fresh
            pools[candidate, False] = stale
        # Unseen items of the level, then unseen items of a neighbouring level, then
        # seen items of the level, then whatever is nearest.
        order = [(level, True)]
        order += [
            (c, True) for c in nearby[1:] if abs(LEVEL_ORDER.index(c) - index) == 1
        ]
        order += [(level, False)]
        order += [(c, f) for c in nearby for f in (True, False) if (c, f) not in order]
        wanted = count
        for key in order:
            for item in pools[key]:
                if not wanted:
                    break
                if item.id in taken:
                    continue
                chosen.append(item)
                taken.add(item.id)
                wanted -= 1
    rank = {level: n for n, level in enumerate(LEVEL_ORDER)}
    return sorted(chosen, key=lambda i: rank[i.level])


# The TCF scales (domain.md, « Scoring »): CO and CE from 100 to 699 points, EE and EO
# out of 20, with these bands per level (C1 and C2 are beyond what the bank measures).
# The A2 band of EE/EO is unconfirmed (2–5 or 4–5 by source): 4–5 is used here.
SCORE_BANDS: dict[str, dict[str, tuple[int, int]]] = {
    "CO": {"A1": (100, 199), "A2": (200, 299), "B1": (300, 399), "B2": (400, 499)},
    "CE": {"A1": (100, 199), "A2": (200, 299), "B1": (300, 399), "B2": (400, 499)},
    "EE": {"A1": (0, 3), "A2": (4, 5), "B1": (6, 9), "B2": (10, 13)},
    "EO": {"A1": (0, 3), "A2": (4, 5), "B1": (6, 9), "B2": (10, 13)},
}
SCALE_MAX = {"CO": 699, "CE": 699, "EE": 20, "EO": 20}
# The ability interval of each TCF band (level centres ± 0.5; A1.1 joins A1, as the
# TCF's lowest band starts at 100 points).
BAND_ABILITY = {
    "A1": (-2.5, -0.5),
    "A2": (-0.5, 0.5),
    "B1": (0.5, 1.5),
    "B2": (1.5, 2.5),
}


def indicative_score(skill: str, ability: float) -> int:
    """An indicative score on the TCF scale of `skill` for an estimated ability: the
    position within the level's ability band, placed within the level's score band."""
    bands = SCORE_BANDS[skill]
    for level, (low, high) in BAND_ABILITY.items():
        if ability < high or level == "B2":
            low_score, high_score = bands[level]
            share = min(max((ability - low) / (high - low), 0.0), 0.999)
            return low_score + int(share * (high_score - low_score + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def threshold(skill: str, level: str) -> int:
    """The lowest score of `level` on the skill's scale (A1.1 counts as A1)."""
    return SCORE_BANDS[skill]["A1" if level == "A1.1" else level][0]
