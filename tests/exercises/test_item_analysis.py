"""Item analysis on simulated answers with known properties: each flag is raised on
the item built to deserve it, and on no well-behaved item."""

from __future__ import annotations

import math

import numpy as np
import pytest

from exercises.analysis import Answer, ItemInfo, analyse, options_of, picked_of

LEARNERS = 1500
OPTIONS = ("0", "1", "2", "3")  # option 0 is right


def simulate(
    items: dict[str, tuple[float, float, tuple[float, float, float]]], seed: int = 7
) -> tuple[dict[int, ItemInfo], list[Answer], dict[str, int]]:
    """Two-parameter logistic answers: item -> (discrimination a, difficulty b, how
    the wrong answers split between options 1, 2 and 3)."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0.0, 1.0, LEARNERS)
    infos: dict[int, ItemInfo] = {}
    ids: dict[str, int] = {}
    answers: list[Answer] = []
    for version, name in enumerate(items, start=1):
        ids[name] = version
        infos[version] = ItemInfo(
            version, name, "A2", "single_choice", OPTIONS, frozenset({"0"}),
            ("juste", "faux 1", "faux 2", "faux 3"),
        )  # fmt: skip
    for learner, theta in enumerate(ability):
        band = "A2" if theta > -0.3 else "A1"
        for name, (a, b, split) in items.items():
            right = rng.random() < 1.0 / (1.0 + math.exp(-a * (theta - b)))
            picked = "0" if right else str(1 + rng.choice(3, p=split))
            answers.append(
                Answer(learner, ids[name], 1.0 if right else 0.0, band, (picked,),
                       int(rng.normal(20_000, 4_000)))
            )  # fmt: skip
    return infos, answers, ids


EVEN = (1 / 3, 1 / 3, 1 / 3)


@pytest.fixture(scope="module")
def results() -> dict[str, list[str]]:
    items = {f"good-{n}": (1.6, -0.6 + 0.1 * n, EVEN) for n in range(12)}
    items.update({
        "too-easy": (1.5, -4.5, EVEN),
        "too-hard": (1.5, 3.0, EVEN),
        "attractive": (1.5, 0.3, (0.86, 0.07, 0.07)),
        "unused": (1.5, -0.3, (0.5, 0.5, 0.0)),
        "negative": (-1.2, 0.0, EVEN),
    })  # fmt: skip
    infos, answers, ids = simulate(items)
    analysed = {a.item_id: a for a in analyse(infos, answers)}
    return {name: analysed[name].flags for name in items} | {
        "_analyses": analysed  # type: ignore[dict-item]
    }


def test_well_behaved_items_are_not_flagged(results: dict[str, list[str]]) -> None:
    for n in range(12):
        assert results[f"good-{n}"] == [], n


def test_each_flag_is_raised_on_its_item(results: dict[str, list[str]]) -> None:
    assert "too_easy" in results["too-easy"]
    assert "too_hard" in results["too-hard"]
    assert results["attractive"] == ["attractive_distractor"]
    assert results["unused"] == ["unused_option"]
    assert results["negative"] == ["negative"]


def test_statistics_match_the_simulation(results: dict[str, object]) -> None:
    analyses = results["_analyses"]
    good = analyses["good-5"]  # type: ignore[index]
    assert 0.35 < good.p < 0.65
    assert good.discrimination > 0.3  # discriminating items correlate with the rest
    assert analyses["negative"].discrimination < -0.2  # type: ignore[index]
    assert abs(good.median_time_ms - 20_000) < 600
    assert good.answers == LEARNERS
    # strong learners (A2) do better than weak ones (A1)
    assert good.p_by_band["A2"][0] > good.p_by_band["A1"][0]
    shares = {o.key: o.share for o in analyses["attractive"].options}  # type: ignore[index]
    assert shares["1"] > shares["0"] > shares["2"]
    assert sum(o.count for o in analyses["unused"].options) == LEARNERS  # type: ignore[index]


def test_too_few_answers_raise_no_flag() -> None:
    infos, answers, ids = simulate({"too-easy": (1.5, -4.5, EVEN)})
    few = [a for a in answers if a.learner < 20]
    (analysis,) = analyse(infos, few, min_answers=30)
    assert analysis.flags == []
    assert analysis.answers == 20


def test_only_the_first_answer_of_a_learner_counts() -> None:
    info = ItemInfo(1, "x", "A1", "single_choice", OPTIONS, frozenset({"0"}))
    answers = [Answer(1, 1, 0.0, "A1", ("2",)), Answer(1, 1, 1.0, "A1", ("0",))]
    (analysis,) = analyse({1: info}, answers)
    assert analysis.answers == 1
    assert analysis.p == 0.0


def test_options_and_responses_of_each_choice_type() -> None:
    keys, right, labels = options_of(
        "single_choice", {"choices": ["a", "b", "c"], "answer": "b"}
    )
    assert keys == ("0", "1", "2")
    assert right == {"1"}
    assert labels == ("a", "b", "c")
    keys, right, _labels = options_of(
        "multiple_choice", {"choices": ["a", "b", "c"], "answers": ["a", "c"]}
    )
    assert right == {"0", "2"}
    keys, right, labels = options_of(
        "image_choice",
        {"choices": [{"image": "pain", "label": "du pain"}, {"image": "lait",
                     "label": "du lait"}], "answer": "lait"},
    )  # fmt: skip
    assert keys == ("pain", "lait")
    assert right == {"lait"}
    assert labels[0] == "du pain"
    assert picked_of("single_choice", {"choice": "2"}) == ("2",)
    assert picked_of("multiple_choice", {"choices": ["0", "2"]}) == ("0", "2")
    assert picked_of("gap_fill", {"answer": "x"}) == ()
    assert options_of("gap_fill", {}) == ((), frozenset(), ())
