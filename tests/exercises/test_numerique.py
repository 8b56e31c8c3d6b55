"""The « Numérique » track's unit keys, types and document kind: validation and scoring."""

from __future__ import annotations

from pathlib import Path

import pytest

from exercises.loading import load_bank
from exercises.model import INSTRUCTIONS, PHONE_INSTRUCTIONS, Item
from exercises.scoring import InvalidResponse, grade

TRACK_BANK = Path(__file__).parents[1] / "data" / "track"

HEAD = """unit: a2-numerique-ecran-x
level: A2
theme: numerique
track: numerique
track_order: 4
title: X
can_do: Je peux.
items:
"""


def _problems(
    tmp_path: Path, text: str, name: str = "numerique-ecran-x.yaml"
) -> list[str]:
    folder = tmp_path / "a2"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return [str(p) for p in load_bank(tmp_path, check_audio=False)[1]]


def _item(body: str) -> str:
    return HEAD + "  - id: a2-numerique-ecran-x-01\n    version: 1\n" + body


@pytest.fixture(scope="module")
def items() -> dict[str, Item]:
    loaded, problems = load_bank(TRACK_BANK, check_audio=False)
    assert problems == []
    return {i.id.rsplit("-", 1)[1]: i for i in loaded}


def test_the_test_unit_loads_with_its_track(items):
    assert {i.type for i in items.values()} >= {
        "pointer", "typing", "tab_form", "timed_choice",
    }  # fmt: skip
    first = items["01"]
    assert (first.track, first.track_order) == ("numerique", 1)
    assert first.payload()["track"] == "numerique"
    assert Item.from_payload(first.payload()) == first
    assert items["08"].document_kind == "ecran"


def test_an_item_outside_a_track_keeps_its_stored_payload(items):
    """Adding the track keys must not change the content hash of the bank's items."""
    other = Item.from_payload(
        {**items["01"].payload(), "track": None, "track_order": None}
    )
    assert "track" not in other.payload()


def test_new_instructions_exist_with_a_phone_wording():
    for key in ("click", "double_click", "scroll", "drag", "type_copy", "tab_form",
                "timed_choose", "read_screen"):  # fmt: skip
        assert key in INSTRUCTIONS
    assert set(PHONE_INSTRUCTIONS) <= set(INSTRUCTIONS)
    assert INSTRUCTIONS["click"] == "Cliquez sur le bon bouton."


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "    skill: CE\n    type: pointer\n    action: hover\n    instruction: click\n"
            "    prompt: P\n    explanation: E.\n",
            ":action: action inconnue",
        ),
        (
            "    skill: CE\n    type: pointer\n    action: click\n    instruction: click\n"
            "    prompt: P\n    targets: [A]\n    answer: A\n    explanation: E.\n",
            ":targets: de 2 à 6 éléments, tous différents",
        ),
        (
            "    skill: CE\n    type: pointer\n    action: click\n    instruction: click\n"
            "    prompt: P\n    targets: [A, B]\n    answer: C\n    explanation: E.\n",
            ":answer: la réponse n’est pas parmi les éléments",
        ),
        (
            "    skill: CE\n    type: pointer\n    action: scroll\n    instruction: scroll\n"
            "    prompt: P\n    targets: [a, b, c, d, e, f, g, h]\n    answer: b\n"
            "    explanation: E.\n",
            ":answer: la bonne réponse doit être vers la fin de la liste",
        ),
        (
            "    skill: CE\n    type: pointer\n    action: scroll\n    instruction: scroll\n"
            "    prompt: P\n    targets: [a, b, c]\n    answer: c\n    explanation: E.\n",
            ":targets: de 8 à 30 éléments",
        ),
        (
            "    skill: CE\n    type: pointer\n    action: drag\n    instruction: drag\n"
            "    prompt: P\n    pairs: [[a, X], [b, X]]\n    explanation: E.\n",
            ":pairs: les éléments et les cases doivent être tous différents",
        ),
        (
            "    skill: CE\n    type: pointer\n    action: drag\n    instruction: drag\n"
            "    prompt: P\n    pairs: [[a, X], [b, Y]]\n    answer: a\n    explanation: E.\n",
            ":answer: clé inutile pour « drag »",
        ),
        (
            "    skill: EE\n    type: pointer\n    action: click\n    instruction: click\n"
            "    prompt: P\n    targets: [A, B]\n    answer: A\n    explanation: E.\n",
            ":skill: ce type a la compétence CE",
        ),
        (
            "    skill: EE\n    type: typing\n    instruction: type_copy\n    prompt: P\n"
            "    answer: 'Bonjour, Madame !'\n    explanation: E.\n",
            ":answer: seulement des lettres (avec accents), des chiffres",
        ),
        (
            "    skill: EE\n    type: typing\n    instruction: type_copy\n    prompt: P\n"
            f"    answer: {'a' * 61}\n    explanation: E.\n",
            ":answer: le texte à recopier a de 1 à 60 caractères",
        ),
        (
            "    skill: EE\n    type: tab_form\n    instruction: tab_form\n"
            "    fields: [{label: Nom, answers: [A]}]\n    explanation: E.\n",
            ":fields: de 2 à 6 champs",
        ),
        (
            "    skill: CE\n    type: timed_choice\n    instruction: timed_choose\n"
            "    prompt: P\n    choices: [a, b]\n    answer: a\n    seconds: 5\n"
            "    explanation: E.\n",
            ":seconds: de 10 à 60 secondes",
        ),
        (
            "    skill: CE\n    type: timed_choice\n    instruction: timed_choose\n"
            "    prompt: P\n    choices: [a, b, c, d, e]\n    answer: a\n    seconds: 20\n"
            "    explanation: E.\n",
            ":choices: de 2 à 4 choix, tous différents",
        ),
    ],
)
def test_track_types_are_validated(tmp_path, body, expected):
    problems = _problems(tmp_path, _item(body))
    assert any(expected in p for p in problems), problems


def test_valid_track_items_pass(tmp_path):
    body = (
        "    skill: EE\n    type: typing\n    instruction: type_copy\n    prompt: P\n"
        "    answer: Jean-Pierre d’Aubrac 12 rue Droite\n    explanation: E.\n"
    )
    assert _problems(tmp_path, _item(body)) == []


def test_track_types_only_in_track_units(tmp_path):
    text = _item(
        "    skill: EE\n    type: typing\n    instruction: type_copy\n    prompt: P\n"
        "    answer: Millau\n    explanation: E.\n"
    ).replace("track: numerique\ntrack_order: 4\n", "")
    problems = _problems(tmp_path, text)
    assert any("type réservé aux unités d’un parcours" in p for p in problems)


def test_track_unit_keys_are_checked(tmp_path):
    ok_item = (
        "    skill: CE\n    type: single_choice\n    instruction: choose_answer\n"
        "    choices: [a, b]\n    answer: a\n    explanation: E.\n"
    )
    problems = _problems(
        tmp_path,
        _item(ok_item)
        .replace("track: numerique", "track: cuisine")
        .replace("theme: numerique", "theme: sante"),
    )
    assert "a2/numerique-ecran-x.yaml:track: parcours inconnu (numerique)" in problems


def test_track_places_theme_level_and_file_name(tmp_path):
    ok_item = (
        "    skill: CE\n    type: single_choice\n    instruction: choose_answer\n"
        "    choices: [a, b]\n    answer: a\n    explanation: E.\n"
    )
    _problems(tmp_path, _item(ok_item))
    second = (
        _item(ok_item)
        .replace("ecran-x", "ecran-y")
        .replace("theme: numerique", "theme: sante")
    )
    problems = _problems(tmp_path, second, name="ecran-y.yaml")
    assert (
        "a2/numerique-ecran-x.yaml:track_order: place déjà prise dans le parcours "
        "par a2/ecran-y.yaml" in problems
    )
    assert (
        "a2/ecran-y.yaml:theme: une unité du parcours a le thème numerique" in problems
    )
    assert any(
        "a2/ecran-y.yaml: le fichier d’une unité du parcours" in p for p in problems
    )
    zero = _item(ok_item).replace("track_order: 4", "track_order: 0")
    assert any(
        "track_order: la place dans le parcours doit être un entier positif" in p
        for p in _problems(tmp_path / "z", zero)
    )


def test_a1_1_track_items_need_audio(tmp_path):
    text = (
        _item(
            "    skill: CE\n    type: pointer\n    action: click\n    instruction: click\n"
            "    prompt: P\n    targets: [A, B]\n    answer: A\n    explanation: E.\n"
        )
        .replace("a2-numerique", "a1-1-numerique")
        .replace("level: A2", "level: A1.1")
    )
    folder = tmp_path / "a1-1"
    folder.mkdir()
    (folder / "numerique-ecran-x.yaml").write_text(text, encoding="utf-8")
    problems = [str(p) for p in load_bank(tmp_path, check_audio=False)[1]]
    assert any(
        "au niveau A1.1, chaque exercice du parcours a un audio" in p for p in problems
    )


@pytest.mark.parametrize(
    ("n", "response", "score"),
    [
        ("01", {"targets": ["1"]}, 1.0),
        ("01", {"targets": ["0"]}, 0.0),
        ("02", {"targets": ["1"]}, 1.0),
        ("03", {"targets": ["6"]}, 1.0),
        ("03", {"targets": ["5"]}, 0.0),
        ("04", {"targets": ["0", "1"]}, 1.0),
        ("04", {"targets": ["1", "0"]}, 0.0),
        ("04", {"targets": ["0", ""]}, 0.5),
        ("05", {"text": "amina.haddad@exemple.fr"}, 1.0),
        ("05", {"text": "  amina.haddad@exemple.fr "}, 1.0),
        ("05", {"text": "Amina.Haddad@exemple.fr"}, 0.5),
        ("05", {"text": "amina.hadad@exemple.fr"}, 0.0),
        ("06", {"fields": ["Haddad", "Millau"]}, 1.0),
        ("06", {"fields": ["Haddad", ""]}, 0.5),
        ("07", {"choice": "0"}, 1.0),
        ("07", {"choice": "1"}, 0.0),
        ("07", {"choice": ""}, 0.0),
    ],
)
def test_track_types_are_scored(items, n, response, score):
    assert grade(items[n], response).score == pytest.approx(score, abs=1e-3)


def test_typing_tells_accents_from_capitals(items):
    model = Item.from_payload(
        {**items["05"].payload(), "data": {"prompt": "P", "answer": "Élève à Millau"}}
    )
    accents = grade(model, {"text": "Eleve a Millau"})
    assert (accents.score, accents.parts, accents.accents) == (0.5, ["accents"], True)
    capitals = grade(model, {"text": "élève à millau"})
    assert (capitals.score, capitals.parts, capitals.accents) == (0.5, ["case"], True)
    assert grade(model, {"text": "Élève à Millau."}).score == 0.0
    assert grade(model, {"text": "Élève à Millau"}).score == 1.0


def test_time_over_is_an_empty_answer(items):
    result = grade(items["07"], {"choice": ""})
    assert result.checks == {"timed_out": True}
    assert result.correct is False


@pytest.mark.parametrize(
    ("n", "response"),
    [
        ("01", {"targets": []}),
        ("01", {"targets": ["0", "1"]}),
        ("01", {"targets": ["9"]}),
        ("01", {"targets": "1"}),
        ("04", {"targets": ["0"]}),
        ("04", {"targets": ["0", "7"]}),
        ("05", {"text": ["x"]}),
        ("06", {"fields": ["x"]}),
        ("07", {"choice": "8"}),
    ],
)
def test_malformed_track_responses_are_refused(items, n, response):
    with pytest.raises(InvalidResponse):
        grade(items[n], response)
