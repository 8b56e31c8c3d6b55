"""Classical item analysis (classical test theory) from learners' answers.

Per item version: the share of right answers (difficulty index p), overall and by
the learner's level band; the discrimination (point-biserial correlation between
the item's score and the learner's mean score on the other items: the corrected
item-rest correlation, since learners answer different items); how often each
option of a choice item is picked; the median answer time; the number of answers.
Only a learner's first answer to a version counts (later ones follow feedback).

Pure functions over plain rows: the database query lives in
`tutoring.learning.analysis`."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

# Thresholds, written on the referents' page and in the command's output.
MIN_ANSWERS = 30  # fewer answers: no flag (too little to judge)
MIN_BAND_ANSWERS = 15  # fewer answers at the item's own level: use everyone's
TOO_EASY = 0.95  # share right among learners of the item's level above this
TOO_HARD = 0.30  # share right among learners of the item's level below this
UNUSED_SHARE = 0.02  # an option picked by fewer than 2 % of the learners
NEGATIVE_DISCRIMINATION = 0.0  # item-rest correlation below this

CHOICE_TYPES = ("single_choice", "image_choice", "multiple_choice")

FLAGS = ("too_easy", "too_hard", "attractive_distractor", "unused_option", "negative")


@dataclass(frozen=True)
class Answer:
    """One learner's first answer to one item version."""

    learner: int
    version: int
    score: float
    band: str | None = None  # the learner's level (A1.1, A1, A2, B1, B2)
    picked: tuple[str, ...] = ()  # option keys chosen (choice items)
    time_ms: int | None = None


@dataclass(frozen=True)
class ItemInfo:
    version: int
    item_id: str
    level: str
    type: str
    options: tuple[str, ...] = ()  # option keys in the item's order
    right: frozenset[str] = frozenset()  # keys of the right options
    labels: tuple[str, ...] = ()  # what each option says


@dataclass
class OptionStat:
    key: str
    label: str
    right: bool
    count: int
    share: float


@dataclass
class ItemAnalysis:
    version: int
    item_id: str
    level: str
    type: str
    answers: int
    p: float
    p_by_band: dict[str, tuple[float, int]]
    p_at_level: float | None
    discrimination: float | None
    options: list[OptionStat]
    median_time_ms: float | None
    flags: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "version_id": self.version, "item_id": self.item_id, "level": self.level,
            "type": self.type, "answers": self.answers, "p": round(self.p, 3),
            "p_by_band": {b: {"p": round(p, 3), "answers": n}
                          for b, (p, n) in sorted(self.p_by_band.items())},
            "p_at_level": None if self.p_at_level is None else round(self.p_at_level, 3),
            "discrimination": None if self.discrimination is None
            else round(self.discrimination, 3),
            "options": [{"key": o.key, "label": o.label, "right": o.right,
                         "count": o.count, "share": round(o.share, 3)}
                        for o in self.options],
            "median_time_ms": self.median_time_ms, "flags": self.flags,
        }  # fmt: skip


def options_of(item_type: str, data: dict[str, Any]) -> tuple[
    tuple[str, ...], frozenset[str], tuple[str, ...]
]:  # fmt: skip
    """Option keys (as stored in responses), the right ones and their labels."""
    choices = data.get("choices") or []
    if item_type == "single_choice":
        keys = tuple(str(i) for i in range(len(choices)))
        right = frozenset(str(i) for i, c in enumerate(choices) if c == data["answer"])
        return keys, right, tuple(str(c) for c in choices)
    if item_type == "multiple_choice":
        keys = tuple(str(i) for i in range(len(choices)))
        answers = data.get("answers") or []
        right = frozenset(str(i) for i, c in enumerate(choices) if c in answers)
        return keys, right, tuple(str(c) for c in choices)
    if item_type == "image_choice":
        keys = tuple(str(c["image"]) for c in choices)
        labels = tuple(str(c.get("label") or c["image"]) for c in choices)
        return keys, frozenset({str(data["answer"])}), labels
    return (), frozenset(), ()


def picked_of(item_type: str, response: dict[str, Any]) -> tuple[str, ...]:
    """The option keys a stored response chose."""
    if item_type in ("single_choice", "image_choice"):
        value = response.get("choice")
        return (str(value),) if value is not None else ()
    if item_type == "multiple_choice":
        values = response.get("choices") or []
        return tuple(str(v) for v in values) if isinstance(values, list) else ()
    return ()


def first_answers(answers: Iterable[Answer]) -> list[Answer]:
    """Keep each learner's first answer to each version (answers in time order)."""
    seen: set[tuple[int, int]] = set()
    kept = []
    for answer in answers:
        key = (answer.learner, answer.version)
        if key not in seen:
            seen.add(key)
            kept.append(answer)
    return kept


def analyse(
    items: dict[int, ItemInfo],
    answers: Iterable[Answer],
    *,
    min_answers: int = MIN_ANSWERS,
) -> list[ItemAnalysis]:
    """Analyse every item version that has answers; flags need `min_answers`."""
    kept = [a for a in first_answers(answers) if a.version in items]
    totals: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    by_item: dict[int, list[Answer]] = defaultdict(list)
    for answer in kept:
        totals[answer.learner][0] += answer.score
        totals[answer.learner][1] += 1
        by_item[answer.version].append(answer)
    result = []
    for version, rows in sorted(by_item.items()):
        result.append(_one(items[version], rows, totals, min_answers))
    return result


def _one(
    info: ItemInfo,
    rows: list[Answer],
    totals: dict[int, list[float]],
    min_answers: int,
) -> ItemAnalysis:
    scores = [float(a.score) for a in rows]
    p = statistics.fmean(scores)
    bands: dict[str, list[float]] = defaultdict(list)
    for a in rows:
        if a.band:
            bands[a.band].append(a.score)
    p_by_band = {b: (statistics.fmean(s), len(s)) for b, s in bands.items()}
    at_level = p_by_band.get(info.level)
    p_at_level = at_level[0] if at_level and at_level[1] >= MIN_BAND_ANSWERS else None
    discrimination = _discrimination(rows, scores, totals)
    options = _options(info, rows)
    times = [a.time_ms for a in rows if a.time_ms is not None and a.time_ms >= 0]
    median = float(statistics.median(times)) if times else None
    analysis = ItemAnalysis(
        info.version, info.item_id, info.level, info.type, len(rows), p, p_by_band,
        p_at_level, discrimination, options, median,
    )  # fmt: skip
    if len(rows) >= min_answers:
        analysis.flags = _flags(analysis)
    return analysis


def _discrimination(
    rows: list[Answer], scores: list[float], totals: dict[int, list[float]]
) -> float | None:
    """Point-biserial (Pearson) correlation of the item's score with the learner's
    mean score on their other items; None when it cannot be computed."""
    rest = []
    keep = []
    for n, a in enumerate(rows):
        total, count = totals[a.learner]
        if count > 1:
            rest.append((total - a.score) / (count - 1))
            keep.append(n)
    if len(keep) < 3:
        return None
    x = [scores[n] for n in keep]
    y = [float(r) for r in rest]
    if max(x) == min(x) or max(y) == min(y):
        return None
    # The standard library's Pearson correlation: numpy and scipy are not loaded in
    # every web worker for this one figure (about 60 MB each).
    return statistics.correlation(x, y)


def _options(info: ItemInfo, rows: list[Answer]) -> list[OptionStat]:
    if not info.options:
        return []
    counts = dict.fromkeys(info.options, 0)
    for a in rows:
        for key in set(a.picked):
            if key in counts:
                counts[key] += 1
    total = len(rows) or 1
    labels = dict(zip(info.options, info.labels or info.options, strict=False))
    return [
        OptionStat(k, labels.get(k, k), k in info.right, counts[k], counts[k] / total)
        for k in info.options
    ]


def _flags(a: ItemAnalysis) -> list[str]:
    flags = []
    p = a.p_at_level if a.p_at_level is not None else a.p
    if p > TOO_EASY:
        flags.append("too_easy")
    if p < TOO_HARD:
        flags.append("too_hard")
    right = [o.count for o in a.options if o.right]
    if right and a.type != "multiple_choice":
        best_right = max(right)
        if any(o.count > best_right for o in a.options if not o.right):
            flags.append("attractive_distractor")
    if any(o.share < UNUSED_SHARE for o in a.options):
        flags.append("unused_option")
    if a.discrimination is not None and a.discrimination < NEGATIVE_DISCRIMINATION:
        flags.append("negative")
    return flags
