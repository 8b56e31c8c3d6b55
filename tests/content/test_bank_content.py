"""The real exercise bank: valid, large enough, spelled right, self-consistent."""

from __future__ import annotations

from collections import defaultdict

from exercises.loading import BANK, LEVEL_FOLDERS, load_bank
from exercises.model import REVIEWED_TYPES, SKILLS, THEMES, TRACK_TYPES, TYPES
from exercises.scoring import grade
from tests.spelling import allow_list, unknown_words
from tutoring import PROJECT_ROOT

STATIC = PROJECT_ROOT / "static"
ITEMS, PROBLEMS = load_bank(BANK, STATIC)
MINIMUM = {"A1.1": 40, "A1": 120, "A2": 120, "B1": 100, "B2": 40}
VOLUMES = {"A1.1": 150, "A1": 280, "A2": 320, "B1": 280, "B2": 170}


def test_bank_has_no_problem_and_every_audio_exists():
    assert [str(p) for p in PROBLEMS] == []


def test_flask_exercises_check_and_stats(runner):
    result = runner.invoke(args=["exercises", "check"])
    assert result.exit_code == 0, result.output
    stats = runner.invoke(args=["exercises", "stats", "--json"])
    import json

    counts = json.loads(stats.output)
    for level, minimum in MINIMUM.items():
        assert counts["level"][level] >= minimum
    # Issue #16: a bank deep enough for months, and mock exams in the TCF format.
    assert counts["total"]["items"] >= 1200
    for level, minimum in VOLUMES.items():
        assert counts["level"][level] >= minimum, level
    for level in ("A1", "A2", "B1", "B2"):
        for skill in SKILLS:
            assert counts["level_skill"].get(f"{level} {skill}", 0) > 0, (level, skill)
        for theme in THEMES:
            assert counts["level_theme"].get(f"{level} {theme}", 0) >= 12, (
                level,
                theme,
            )
        for skill in ("CO", "CE"):
            assert counts["four_option"].get(f"{level} {skill}", 0) >= 40, (
                level,
                skill,
            )


def test_volumes_and_coverage_per_level():
    by_level = defaultdict(list)
    for item in ITEMS:
        by_level[item.level].append(item)
    assert sum(MINIMUM.values()) <= len(ITEMS)
    for level, minimum in MINIMUM.items():
        items = by_level[level]
        assert len(items) >= minimum, level
        assert {i.skill for i in items} == set(SKILLS), level
        assert len({i.theme for i in items}) >= 6, level
    # every ordinary type in the bank; the track's own types only in track units
    assert {i.type for i in ITEMS if i.track is None} == set(TYPES) - set(TRACK_TYPES)


def key_response(item) -> dict:
    """The response a learner who knows the key would send."""
    data = item.data
    kind = item.type
    if kind == "single_choice":
        return {"choice": str(data["choices"].index(data["answer"]))}
    if kind == "multiple_choice":
        return {
            "choices": [
                str(i) for i, c in enumerate(data["choices"]) if c in data["answers"]
            ]
        }
    if kind == "true_false":
        return {"answer": "true" if data["answer"] else "false"}
    if kind == "gap_typed":
        return {"gaps": [a[0] for a in data["answers"]]}
    if kind == "gap_list":
        return {"gaps": [str(data["options"].index(a)) for a in data["answers"]]}
    if kind == "matching":
        return {"pairs": [str(i) for i in range(len(data["pairs"]))]}
    if kind == "ordering":
        return {"order": [str(i) for i in range(len(data["sequence"]))]}
    if kind == "image_choice":
        return {"choice": data["answer"]}
    if kind == "dictation":
        return {"text": item.audio}
    if kind == "pointer":  # the « Numérique » track
        if data["action"] == "drag":
            return {"targets": [str(i) for i in range(len(data["pairs"]))]}
        return {"targets": [str(data["targets"].index(data["answer"]))]}
    if kind == "typing":
        return {"text": data["answer"]}
    if kind == "timed_choice":
        return {"choice": str(data["choices"].index(data["answer"]))}
    return {"fields": [f["answers"][0] for f in data["fields"]]}


def test_every_key_scores_full_marks():
    """Answering with the item's own key must score 1: catches keys that disagree."""
    for item in ITEMS:
        if item.type not in REVIEWED_TYPES:
            assert grade(item, key_response(item)).score == 1.0, item.id


def test_short_items_have_light_audio():
    for item in ITEMS:
        if item.audio and len(item.audio.split()) <= 25:
            from exercises.loading import audio_name

            size = (
                (
                    STATIC
                    / "audio"
                    / "items"
                    / audio_name(item.id, item.audio, item.level)
                )
                .stat()
                .st_size
            )
            assert size < 100_000, item.id


def _french_strings(item) -> list[str]:
    texts = [
        item.unit_title,
        item.can_do,
        item.explanation,
        item.document,
        item.audio,
        item.prompt,
    ]

    def walk(value):
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, dict):
            for key, v in value.items():
                # not French: a picture's file name, a pointer item's gesture
                if key not in ("image", "action"):
                    walk(v)

    data = dict(item.data)
    if item.type == "image_choice":
        data.pop("answer")  # an image file name, not French
    if item.type in ("gap_typed", "gap_list"):  # spell the text with its gaps filled
        fills = [a if isinstance(a, str) else a[0] for a in data["answers"]]
        pieces = data.pop("text").split("___")
        texts.append(
            "".join(
                p + (fills[n] if n < len(fills) else "") for n, p in enumerate(pieces)
            )
        )
    walk(data)
    return [t for t in texts if t]


def test_every_french_word_passes_the_spell_check(tmp_path):
    allowed = allow_list(
        [BANK / folder / "allowlist.txt" for folder in LEVEL_FOLDERS.values()]
    )
    texts = {item.id: "\n".join(_french_strings(item)) for item in ITEMS}
    unknown = unknown_words("\n".join(texts.values()), allowed, tmp_path)
    where = {w: next((i for i, t in texts.items() if w in t), "?") for w in unknown}
    assert not unknown, where


def test_bank_loads_into_the_database_once(app):
    from tutoring.content.bank import sync_bank
    from tutoring.core.extensions import db

    with app.app_context():
        first = sync_bank(ITEMS)
        second = sync_bank(ITEMS)
        db.session.rollback()
    assert first.added == len(ITEMS)
    assert (second.added, second.unchanged) == (0, len(ITEMS))
