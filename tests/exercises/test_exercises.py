"""The exercise domain on its own: validation messages, scoring of every type, selection."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from exercises.loading import load_bank
from exercises.scoring import InvalidResponse, fold, grade, normalise
from exercises.selection import select_set
from tests.conftest import FIXTURE_BANK

ITEMS = {i.id: i for i in load_bank(FIXTURE_BANK, check_audio=False)[0]}


def item(n: int):
    return ITEMS[f"a2-sante-test-{n:02d}"]


def _write(tmp_path: Path, text: str) -> list[str]:
    folder = tmp_path / "a2"
    folder.mkdir()
    (folder / "sante-x.yaml").write_text(text, encoding="utf-8")
    return [str(p) for p in load_bank(tmp_path, Path("static"), check_audio=False)[1]]


HEAD = """unit: a2-sante-x
level: A2
theme: sante
title: X
can_do: Je peux.
items:
"""


def test_problems_name_file_item_and_field(tmp_path):
    problems = _write(
        tmp_path,
        HEAD
        + """  - id: a2-sante-x-01
    version: 1
    skill: CE
    type: single_choice
    instruction: read_choose
    choices: [a, b]
    answer: c
    explanation: E.
  - id: a2-sante-x-01
    version: 0
    skill: ZZ
    type: single_choice
    instruction: nope
    choices: [a, b]
    answer: a
    explanation: E.
    colour: red
  - id: a2-sante-x-03
    version: 1
    skill: CO
    type: matching
    instruction: match
    pairs: [[a, b]]
    explanation: E.
  - id: a2-sante-x-04
    version: 1
    skill: CE
    type: teleport
    instruction: match
    explanation: E.
""",
    )
    assert (
        "a2/sante-x.yaml:a2-sante-x-01:answer: la réponse n’est pas parmi les choix"
        in problems
    )
    assert "a2/sante-x.yaml:a2-sante-x-01:id: identifiant en double" in problems
    assert (
        "a2/sante-x.yaml:a2-sante-x-01:version: la version doit être un entier positif"
        in problems
    )
    assert "a2/sante-x.yaml:a2-sante-x-01:skill: compétence inconnue" in problems
    assert "a2/sante-x.yaml:a2-sante-x-01:instruction: consigne inconnue" in problems
    assert "a2/sante-x.yaml:a2-sante-x-01:colour: clé inconnue" in problems
    assert any("a2-sante-x-03:audio" in p for p in problems)
    assert any("a2-sante-x-03:pairs" in p for p in problems)
    assert "a2/sante-x.yaml:a2-sante-x-04:type: type inconnu" in problems


def test_broken_yaml_and_wrong_folder_are_reported(tmp_path):
    assert any("YAML illisible" in p for p in _write(tmp_path, "unit: [unclosed"))
    folder = tmp_path / "b1"
    folder.mkdir()
    (folder / "sante-y.yaml").write_text(
        HEAD.replace("a2-sante-x", "a2-sante-y"), encoding="utf-8"
    )
    problems = [str(p) for p in load_bank(tmp_path, check_audio=False)[1]]
    assert "b1/sante-y.yaml:level: le niveau ne correspond pas au dossier" in problems


def test_missing_image_and_audio_are_reported(tmp_path):
    problems = _write(
        tmp_path,
        HEAD
        + """  - id: a2-sante-x-01
    version: 1
    skill: CO
    type: image_choice
    instruction: listen_image
    audio: le pain
    choices: [{image: pain, label: le pain}, {image: licorne-rose, label: une licorne}]
    answer: pain
    explanation: E.
""",
    )
    assert any("image absente" in p and "licorne-rose.svg" in p for p in problems)
    with_audio = [str(p) for p in load_bank(tmp_path, Path("static"))[1]]
    assert any("fichier audio absent" in p for p in with_audio)


def test_normalisation_and_folding():
    assert normalise("  Je  suis   là. ") == "Je suis là"
    assert normalise("l’école") == "l'école"
    assert fold("Élève") == "eleve"


@pytest.mark.parametrize(
    ("n", "response", "score"),
    [
        (1, {"choice": "1"}, 1.0),
        (1, {"choice": "0"}, 0.0),
        (2, {"choices": ["0", "1", "3"]}, 1.0),
        (2, {"choices": ["0", "1"]}, 0.6667),
        (2, {"choices": ["0", "1", "2", "3"]}, 0.6667),
        (3, {"answer": "false"}, 1.0),
        (3, {"answer": "true"}, 0.0),
        (4, {"gaps": ["suis"]}, 1.0),
        (4, {"gaps": ["Suis."]}, 0.5),
        (4, {"gaps": ["ai"]}, 0.0),
        (5, {"gaps": ["0"]}, 1.0),
        (5, {"gaps": ["1"]}, 0.0),
        (6, {"pairs": ["0", "1", "2"]}, 1.0),
        (6, {"pairs": ["1", "0", "2"]}, 0.3333),
        (7, {"order": ["0", "1", "2"]}, 1.0),
        (7, {"order": ["1", "0", "2"]}, 0.3333),
        (8, {"choice": "pharmacie"}, 1.0),
        (8, {"choice": "bus"}, 0.0),
        (9, {"text": "Le cabinet est fermé le samedi."}, 1.0),
        (10, {"fields": ["Haddad", "Millau"]}, 1.0),
        (10, {"fields": ["haddad", ""]}, 0.25),
    ],
)
def test_each_type_is_scored(n, response, score):
    assert grade(item(n), response).score == pytest.approx(score, abs=1e-3)


def test_wrong_accents_get_half_and_a_note():
    result = grade(item(9), {"text": "Le cabinet est ferme le samedi"})
    assert 0.8 < result.score < 1.0
    assert result.accents is True


def test_productions_wait_for_a_tutor_with_honest_checks():
    result = grade(
        item(11),
        {"text": "Bonjour docteur, je dois annuler mon rendez-vous de mardi. Merci."},
    )
    assert result.score is None
    assert result.checks["words"] == 10  # « rendez-vous » is one word
    assert result.checks["elements"] == {
        "une salutation": True,
        "le mot « annuler »": True,
    }
    assert grade(item(12), {"seconds": 12.5}).checks == {"seconds": 12.5}


@pytest.mark.parametrize(
    ("n", "response"),
    [
        (1, {"choice": "7"}),
        (1, {"choice": "-1"}),
        (1, {"choice": ["0"]}),
        (2, {"choices": "0"}),
        (3, {"answer": "peut-être"}),
        (4, {"gaps": ["a", "b"]}),
        (4, {"gaps": ["x" * 6000]}),
        (6, {"pairs": ["0"]}),
        (8, {"choice": "licorne"}),
        (9, {"text": 42}),
        (12, {"seconds": "long"}),
    ],
)
def test_malformed_responses_are_refused(n, response):
    with pytest.raises(InvalidResponse):
        grade(item(n), response)


def test_selection_mixes_skills_and_avoids_recent_items():
    items = list(ITEMS.values())
    chosen = select_set(items, random.Random(1), level="A2")
    assert len(chosen) == 10
    assert {i.skill for i in chosen} == {"CO", "CE", "EE", "EO"}
    assert sum(i.reviewed for i in chosen) <= 2
    recent = frozenset(i.id for i in chosen[:8])
    again = select_set(items, random.Random(2), level="A2", recent=recent, size=4)
    assert not {i.id for i in again} & recent
    assert select_set(items, random.Random(1), level="B2") == []
    same = select_set(items, random.Random(1), level="A2")
    assert [i.id for i in same] == [i.id for i in chosen]  # deterministic
