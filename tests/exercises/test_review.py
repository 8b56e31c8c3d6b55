"""The record of a unit's second reading (`review`) and its `sources`."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from exercises import loading
from exercises.loading import REVIEW_CHECKLIST, UNREVIEWED_UNITS, load_bank

ITEM = """items:
  - id: a1-1-sante-x-01
    version: 1
    skill: CO
    type: single_choice
    instruction: listen_choose
    audio: Le quinze.
    choices: ["15", "17"]
    answer: "15"
    explanation: On entend « quinze ».
"""
HEAD = """unit: a1-1-sante-x
level: A1.1
theme: sante
title: X
can_do: Je peux.
"""
REVIEW = "review:\n  reader: Awa\n  date: 2026-01-05\n  checklist:\n" + "".join(
    f"    {key}: true\n" for key in REVIEW_CHECKLIST
)


def _bank(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "a1-1"
    folder.mkdir()
    (folder / "sante-x.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def _problems(tmp_path: Path, text: str, **options: bool) -> list[str]:
    root = _bank(tmp_path, text)
    return [str(p) for p in load_bank(root, check_audio=False, **options)[1]]


def test_a_new_unit_without_its_second_reading_is_refused(tmp_path):
    problems = _problems(tmp_path, HEAD + ITEM, require_review=True)
    assert problems == [
        "a1-1/sante-x.yaml:review: seconde lecture absente :"
        " ajoutez « review » (voir FORMAT.md)"
    ]


def test_a_unit_with_its_second_reading_and_sources_is_accepted(tmp_path):
    sources = (
        "sources:\n  - title: Service-Public.fr\n"
        "    url: https://www.service-public.fr/particuliers/vosdroits/F33954\n"
        "    checked: 2026-01-05\n"
    )
    text = HEAD + REVIEW + "  notes: Rien à corriger.\n" + sources + ITEM
    assert _problems(tmp_path, text, require_review=True) == []


def test_units_published_before_the_rule_are_listed_and_still_accepted():
    assert "a1-1-courses-marche" in UNREVIEWED_UNITS
    items, problems = load_bank(check_audio=False)
    assert problems == []
    assert any(i.unit == "a1-1-courses-marche" for i in items)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda t: t.replace("facts_checked: true", "facts_checked: false"), "checklist"),
        (lambda t: t.replace("    level_fit: true\n", ""), "checklist"),
        (lambda t: t.replace("reader: Awa", "reader: ''"), "reader"),
        (lambda t: t.replace("2026-01-05", "2999-01-01"), "date"),
        (lambda t: t.replace("2026-01-05", "hier"), "date"),
        (lambda t: t.replace("  reader: Awa\n", ""), "reader"),
        (lambda t: t.replace("review:\n", "review:\n  colour: red\n"), "colour"),
        (lambda t: t.replace("review:\n  reader: Awa\n  date: 2026-01-05\n  checklist:\n", "review: [oui]\nx:\n  checklist:\n"), "review"),
    ],
)  # fmt: skip
def test_a_malformed_review_is_refused_even_outside_the_bank(tmp_path, change, field):
    problems = _problems(tmp_path, change(HEAD + REVIEW + ITEM), require_review=False)
    assert problems, field
    assert all("review" in p or "clé inconnue" in p for p in problems), problems
    assert any(field in p for p in problems), problems


@pytest.mark.parametrize(
    "sources",
    [
        "sources: []\n",
        "sources: une page\n",
        "sources:\n  - title: Page\n    url: http://example.org\n    checked: 2026-01-05\n",
        "sources:\n  - title: Page\n    url: https://example.org\n",
        f"sources:\n  - title: Page\n    url: https://example.org\n    checked: {datetime.date.today() + datetime.timedelta(days=2)}\n",
    ],
)  # fmt: skip
def test_malformed_sources_are_refused(tmp_path, sources):
    problems = _problems(tmp_path, HEAD + REVIEW + sources + ITEM, require_review=False)
    assert [p.split(": ")[0] for p in problems] == ["a1-1/sante-x.yaml:sources"]


def test_flask_exercises_check_refuses_a_new_unit_without_review(
    runner, tmp_path, monkeypatch
):
    root = _bank(tmp_path, HEAD + ITEM)
    monkeypatch.setattr(loading, "BANK", root)
    monkeypatch.setattr("tutoring.content.cli.BANK", root)
    result = runner.invoke(args=["exercises", "check"])
    assert result.exit_code == 1
    assert "a1-1/sante-x.yaml:-:review: seconde lecture absente" in result.output
