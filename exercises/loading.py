"""Read the bank's YAML files and validate them, reporting every problem precisely."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from exercises.model import (
    DOCUMENT_KINDS,
    GAP,
    INSTRUCTIONS,
    LEVELS,
    POINTER_ACTIONS,
    SKILLS,
    SUBSKILLS,
    THEMES,
    TRACK_LEVELS,
    TRACK_TYPE_SKILLS,
    TRACK_TYPES,
    TRACKS,
    TYPES,
    Item,
)
from exercises.voicing import audio_name

BANK = Path(__file__).resolve().parent / "bank"
LEVEL_FOLDERS = {"A1.1": "a1-1", "A1": "a1", "A2": "a2", "B1": "b1", "B2": "b2"}
ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
IMAGE_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

COMMON_KEYS = {
    "id", "version", "skill", "subskill", "type", "instruction", "document",
    "document_kind", "audio", "prompt", "explanation",
}  # fmt: skip
TYPE_KEYS: dict[str, tuple[set[str], set[str]]] = {
    # type: (required keys, optional keys)
    "single_choice": ({"choices", "answer"}, set()),
    "multiple_choice": ({"choices", "answers"}, set()),
    "true_false": ({"prompt", "answer"}, set()),
    "gap_typed": ({"text", "answers"}, set()),
    "gap_list": ({"text", "options", "answers"}, set()),
    "matching": ({"pairs"}, set()),
    "ordering": ({"sequence"}, set()),
    "image_choice": ({"choices", "answer"}, set()),
    "dictation": ({"audio"}, set()),
    "form_filling": ({"fields"}, set()),
    "short_writing": ({"prompt", "min_words", "max_words"}, {"required"}),
    "oral_production": ({"prompt"}, {"min_seconds", "max_seconds"}),
    # The « Numérique » track's types (track units only)
    "pointer": ({"action", "prompt"}, {"targets", "answer", "pairs"}),
    "typing": ({"prompt", "answer"}, set()),
    "tab_form": ({"fields"}, set()),
    "timed_choice": ({"prompt", "choices", "answer", "seconds"}, set()),
}
UNIT_KEYS = {"unit", "level", "theme", "title", "can_do", "items"}
OPTIONAL_UNIT_KEYS = {"review", "sources", "track", "track_order"}
# What a learner copies in a `typing` item: letters (with accents), digits, « @ »,
# « . », « - », apostrophes and spaces.
TYPING_TEXT = re.compile(r"^(?:[^\W\d_]|[0-9@.\-’' ])+$")
TRACK_FILE = "numerique-ecran-"
# The second reading of a unit, against this written checklist (see FORMAT.md).
REVIEW_CHECKLIST = (
    "natural_french",  # natural French of France
    "level_fit",  # words and sentences fit the level
    "one_answer",  # one defensible answer per item
    "plausible_distractors",
    "correct_explanation",
    "facts_checked",  # facts checked against an official source (see `sources`)
)
REVIEW_KEYS = {"reader", "date", "checklist"}
SOURCE_KEYS = {"title", "url", "checked"}
# Units published before the second reading was recorded; every other unit needs `review`.
UNREVIEWED_UNITS = frozenset({
    "a1-1-courses-marche",
    "a1-1-demarches-mairie",
    "a1-1-ecole-enfants",
    "a1-1-logement-maison",
    "a1-1-numerique-telephone",
    "a1-1-sante-corps",
    "a1-1-transports-bus",
    "a1-1-travail-horaires",
    "a1-1-vie-quotidienne-bonjour",
    "a1-1-vie-quotidienne-meteo",
    "a1-citoyennete-republique",
    "a1-courses-boulangerie",
    "a1-courses-marche",
    "a1-demarches-formulaire",
    "a1-demarches-mairie",
    "a1-ecole-mot",
    "a1-ecole-rentree",
    "a1-logement-voisins",
    "a1-numerique-mesa",
    "a1-sante-douleur",
    "a1-sante-rendez-vous",
    "a1-transports-bus",
    "a1-transports-gare",
    "a1-travail-horaires",
    "a1-travail-metier",
    "a1-vie-quotidienne-jours-heure",
    "a1-vie-quotidienne-meteo-loisirs",
    "a1-vie-quotidienne-presentation",
    "a2-citoyennete-vie-locale",
    "a2-courses-magasin",
    "a2-courses-marche",
    "a2-demarches-caf-courrier",
    "a2-demarches-prefecture-titre",
    "a2-ecole-carnet",
    "a2-ecole-inscription",
    "a2-logement-annonce",
    "a2-logement-immeuble",
    "a2-numerique-en-ligne",
    "a2-sante-pharmacie",
    "a2-sante-rendez-vous",
    "a2-transports-bus",
    "a2-transports-gare",
    "a2-travail-consignes",
    "a2-travail-offre-emploi",
    "a2-vie-quotidienne-loisirs-meteo",
    "b1-citoyennete-valeurs-republique",
    "b1-courses-droits-consommateur",
    "b1-demarches-carte-resident",
    "b1-demarches-france-travail",
    "b1-ecole-reunion-parents",
    "b1-logement-signaler-probleme",
    "b1-numerique-demarches-en-ligne",
    "b1-transports-se-deplacer",
    "b1-travail-entretien",
    "b1-vie-quotidienne-benevolat",
    "b1-vie-quotidienne-voisinage",
    "b2-demarches-naturalisation",
    "b2-ecole-ecrans-et-education",
    "b2-logement-litige-bailleur",
    "b2-sante-acces-aux-soins",
    "b2-travail-reconnaissance-competences",
})  # fmt: skip


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the bank: where it is and what it is (in French, for editors)."""

    file: str
    item: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = ":".join(p for p in (self.file, self.item, self.field) if p)
        return f"{where}: {self.message}"


class _Reader:
    def __init__(
        self, root: Path, static: Path | None, check_audio: bool, require_review: bool
    ) -> None:
        self.root = root
        self.static = static
        self.check_audio = check_audio
        self.require_review = require_review
        self.problems: list[Problem] = []
        self.items: list[Item] = []
        self.units: set[str] = set()
        self.ids: set[str] = set()
        # (track, track_order) -> file, to refuse two units at the same place
        self.track_places: dict[tuple[str, int], str] = {}

    def problem(
        self, file: str, item: str | None, field: str | None, message: str
    ) -> None:
        self.problems.append(Problem(file, item, field, message))

    def read(self) -> None:
        for path in sorted(self.root.rglob("*.yaml")):
            self.read_file(path)

    def read_file(self, path: Path) -> None:
        name = path.relative_to(self.root).as_posix()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            self.problem(name, None, None, "fichier YAML illisible" + f" ({exc})")
            return
        if not isinstance(data, dict):
            self.problem(name, None, None, "le fichier doit décrire une unité")
            return
        for key in sorted(UNIT_KEYS - data.keys()):
            self.problem(name, None, key, "clé manquante")
        for key in sorted(data.keys() - UNIT_KEYS - OPTIONAL_UNIT_KEYS):
            self.problem(name, None, str(key), "clé inconnue")
        unit = str(data.get("unit", ""))
        if unit and not ID_PATTERN.match(unit):
            self.problem(name, None, "unit", "identifiant invalide")
        if unit in self.units:
            self.problem(name, None, "unit", "unité en double")
        self.units.add(unit)
        level = data.get("level")
        if level not in LEVELS:
            self.problem(name, None, "level", "niveau inconnu")
        elif path.parent.name != LEVEL_FOLDERS[level]:
            self.problem(name, None, "level", "le niveau ne correspond pas au dossier")
        if data.get("theme") not in THEMES:
            self.problem(name, None, "theme", "thème inconnu")
        for key in ("title", "can_do"):
            if key in data and not _text(data[key]):
                self.problem(name, None, key, "texte vide")
        self.read_review(name, unit, data)
        self.read_track(name, path, data)
        items = data.get("items")
        if not isinstance(items, list) or not items:
            self.problem(name, None, "items", "aucun exercice")
            return
        for index, raw in enumerate(items):
            self.read_item(name, data, index, raw)

    def read_track(self, name: str, path: Path, data: dict[str, Any]) -> None:
        """Check the `track` and `track_order` keys of a track unit (see FORMAT.md)."""
        if "track" not in data and "track_order" not in data:
            return
        track, order = data.get("track"), data.get("track_order")
        if track not in TRACKS:
            self.problem(
                name, None, "track", "parcours inconnu (" + ", ".join(TRACKS) + ")"
            )
            return
        if not isinstance(order, int) or isinstance(order, bool) or order < 1:
            self.problem(
                name, None, "track_order",
                "la place dans le parcours doit être un entier positif (1, 2, 3…)",
            )  # fmt: skip
        elif (track, order) in self.track_places:
            self.problem(
                name, None, "track_order",
                "place déjà prise dans le parcours par "
                + self.track_places[(track, order)],
            )  # fmt: skip
        else:
            self.track_places[(track, order)] = name
        if data.get("theme") != track:
            self.problem(
                name, None, "theme", f"une unité du parcours a le thème {track}"
            )
        if data.get("level") not in TRACK_LEVELS:
            self.problem(
                name, None, "level",
                "le parcours a les niveaux " + ", ".join(TRACK_LEVELS),
            )  # fmt: skip
        if not path.name.startswith(TRACK_FILE):
            self.problem(
                name, None, None,
                f"le fichier d’une unité du parcours s’appelle {TRACK_FILE}<nom>.yaml",
            )  # fmt: skip

    def read_review(self, name: str, unit: str, data: dict[str, Any]) -> None:
        """Check the record of the unit's second reading and its sources."""
        review = data.get("review")
        if review is None:
            if self.require_review and unit not in UNREVIEWED_UNITS:
                self.problem(
                    name, None, "review",
                    "seconde lecture absente : ajoutez « review » (voir FORMAT.md)",
                )  # fmt: skip
        elif not isinstance(review, dict):
            self.problem(name, None, "review", "la seconde lecture doit être une table")
        else:
            for key in sorted(REVIEW_KEYS - review.keys()):
                self.problem(name, None, f"review.{key}", "clé manquante")
            for key in sorted(review.keys() - REVIEW_KEYS - {"notes"}):
                self.problem(name, None, f"review.{key}", "clé inconnue")
            for key in ("reader", "notes"):
                if key in review and not _text(review[key]):
                    self.problem(name, None, f"review.{key}", "texte vide")
            if "date" in review and not _past_date(review["date"]):
                self.problem(
                    name, None, "review.date", "date invalide (AAAA-MM-JJ, pas future)"
                )
            checklist = review.get("checklist")
            if "checklist" in review and (
                not isinstance(checklist, dict)
                or set(checklist) != set(REVIEW_CHECKLIST)
                or any(value is not True for value in checklist.values())
            ):
                self.problem(
                    name, None, "review.checklist",
                    "chaque point de la liste doit être vérifié (true) : "
                    + ", ".join(REVIEW_CHECKLIST),
                )  # fmt: skip
        sources = data.get("sources")
        if sources is None:
            return
        if not isinstance(sources, list) or not sources:
            self.problem(name, None, "sources", "une liste de sources")
            return
        for source in sources:
            if (
                not isinstance(source, dict)
                or set(source) != SOURCE_KEYS
                or not _text(source["title"])
                or not str(source["url"]).startswith("https://")
                or not _past_date(source["checked"])
            ):
                self.problem(
                    name, None, "sources",
                    "chaque source a un titre, une adresse https:// "
                    "et la date de vérification (checked)",
                )  # fmt: skip
                return

    def read_item(self, name: str, unit: dict[str, Any], index: int, raw: Any) -> None:
        if not isinstance(raw, dict):
            self.problem(name, f"#{index + 1}", None, "l’exercice doit être une table")
            return
        item_id = str(raw.get("id") or f"#{index + 1}")
        before = len(self.problems)

        def bad(field: str | None, message: str) -> None:
            self.problem(name, item_id, field, message)

        if not ID_PATTERN.match(item_id):
            bad("id", "identifiant invalide")
        elif not item_id.startswith(f"{unit.get('unit')}-"):
            bad("id", "l’identifiant doit commencer par celui de l’unité")
        if item_id in self.ids:
            bad("id", "identifiant en double")
        self.ids.add(item_id)
        kind = raw.get("type")
        if kind not in TYPES:
            bad("type", "type inconnu")
            return
        required, optional = TYPE_KEYS[kind]
        allowed = COMMON_KEYS | required | optional
        for key in sorted(
            {"id", "version", "skill", "type", "instruction", "explanation"} | required
        ):
            if key not in raw:
                bad(key, "clé manquante")
        for key in sorted(set(raw) - allowed):
            bad(str(key), "clé inconnue")
        version = raw.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            bad("version", "la version doit être un entier positif")
        if raw.get("skill") not in SKILLS:
            bad("skill", "compétence inconnue")
        if raw.get("subskill") is not None and raw.get("subskill") not in SUBSKILLS:
            bad("subskill", "sous-compétence inconnue")
        if raw.get("instruction") not in INSTRUCTIONS:
            bad("instruction", "consigne inconnue")
        if (
            raw.get("document_kind") is not None
            and raw.get("document_kind") not in DOCUMENT_KINDS
        ):
            bad("document_kind", "type de document inconnu")
        for key in ("explanation", "document", "audio", "prompt"):
            if key in raw and not _text(raw[key]):
                bad(key, "texte vide")
        if raw.get("skill") == "CO" and not _text(raw.get("audio")):
            bad(
                "audio",
                "un exercice de compréhension orale a besoin d’un enregistrement",
            )
        if kind in TRACK_TYPES:
            if unit.get("track") not in TRACKS:
                bad("type", "type réservé aux unités d’un parcours (track: numerique)")
            if raw.get("skill") in SKILLS and raw["skill"] != TRACK_TYPE_SKILLS[kind]:
                bad("skill", f"ce type a la compétence {TRACK_TYPE_SKILLS[kind]}")
        if (
            unit.get("track") in TRACKS
            and unit.get("level") == "A1.1"
            and not _text(raw.get("audio"))
        ):
            bad(
                "audio",
                "au niveau A1.1, chaque exercice du parcours a un audio "
                "qui lit la consigne ou la question",
            )
        self.check_type(kind, raw, bad)
        if _text(raw.get("audio")) and self.static is not None and self.check_audio:
            audio = (
                self.static
                / "audio"
                / "items"
                / audio_name(item_id, raw["audio"], str(unit.get("level")))
            )
            if not audio.exists():
                bad("audio", "fichier audio absent : lancez « flask exercises audio »")
        if len(self.problems) == before:
            self.items.append(_item(unit, raw))

    def check_type(self, kind: str, raw: dict[str, Any], bad: Any) -> None:
        check = getattr(self, f"check_{kind}")
        check(raw, bad)

    def check_single_choice(self, raw: dict[str, Any], bad: Any) -> None:
        choices = _strings(raw.get("choices"))
        if (
            choices is None
            or not 2 <= len(choices) <= 5
            or len(set(choices)) != len(choices)
        ):
            bad("choices", "de 2 à 5 choix, tous différents")
        elif raw.get("answer") not in choices:
            bad("answer", "la réponse n’est pas parmi les choix")

    def check_multiple_choice(self, raw: dict[str, Any], bad: Any) -> None:
        choices = _strings(raw.get("choices"))
        answers = _strings(raw.get("answers"))
        if (
            choices is None
            or not 3 <= len(choices) <= 6
            or len(set(choices)) != len(choices)
        ):
            bad("choices", "de 3 à 6 choix, tous différents")
        elif not answers or not set(answers) <= set(choices):
            bad("answers", "les réponses doivent être parmi les choix")

    def check_true_false(self, raw: dict[str, Any], bad: Any) -> None:
        if not isinstance(raw.get("answer"), bool):
            bad("answer", "la réponse doit être true ou false")

    def _gaps(self, raw: dict[str, Any], bad: Any) -> int:
        text = raw.get("text")
        if not isinstance(text, str) or not text.strip() or GAP not in text:
            bad("text", "le texte doit contenir au moins un trou ___")
            return 0
        return int(text.count(GAP))

    def check_gap_typed(self, raw: dict[str, Any], bad: Any) -> None:
        gaps = self._gaps(raw, bad)
        answers = raw.get("answers")
        if not gaps:
            return
        if (
            not isinstance(answers, list)
            or len(answers) != gaps
            or not all(_strings(a) for a in answers)
        ):
            bad("answers", "une liste de réponses acceptées par trou")

    def check_gap_list(self, raw: dict[str, Any], bad: Any) -> None:
        gaps = self._gaps(raw, bad)
        options = _strings(raw.get("options"))
        answers = _strings(raw.get("answers"))
        if options is None or len(options) < 2 or len(set(options)) != len(options):
            bad("options", "au moins 2 mots, tous différents")
        elif gaps and (
            answers is None or len(answers) != gaps or not set(answers) <= set(options)
        ):
            bad("answers", "une réponse par trou, prise dans la liste")

    def check_matching(self, raw: dict[str, Any], bad: Any) -> None:
        pairs = raw.get("pairs")
        if (
            not isinstance(pairs, list)
            or not 3 <= len(pairs) <= 6
            or not all(_strings(p) and len(p) == 2 for p in pairs)
        ):
            bad("pairs", "de 3 à 6 paires [gauche, droite]")
        elif len({p[1] for p in pairs}) != len(pairs) or len(
            {p[0] for p in pairs}
        ) != len(pairs):
            bad("pairs", "les éléments doivent être tous différents")

    def check_ordering(self, raw: dict[str, Any], bad: Any) -> None:
        sequence = _strings(raw.get("sequence"))
        if (
            sequence is None
            or not 3 <= len(sequence) <= 8
            or len(set(sequence)) != len(sequence)
        ):
            bad("sequence", "de 3 à 8 éléments, tous différents")

    def check_image_choice(self, raw: dict[str, Any], bad: Any) -> None:
        choices = raw.get("choices")
        if not isinstance(choices, list) or not 2 <= len(choices) <= 4:
            bad("choices", "de 2 à 4 images")
            return
        keys = []
        for choice in choices:
            if not isinstance(choice, dict) or set(choice) != {"image", "label"}:
                bad("choices", "chaque choix a une image et un libellé")
                return
            key = str(choice["image"])
            keys.append(key)
            if not IMAGE_KEY.match(key):
                bad("choices", "nom d’image invalide")
            elif (
                self.static is not None
                and not (self.static / "exercises" / "img" / f"{key}.svg").exists()
            ):
                bad("choices", "image absente :" + f" {key}.svg")
        if len(set(keys)) != len(keys):
            bad("choices", "les images doivent être toutes différentes")
        elif raw.get("answer") not in keys:
            bad("answer", "la réponse n’est pas parmi les images")

    def check_dictation(self, raw: dict[str, Any], bad: Any) -> None:
        if _text(raw.get("audio")) and len(str(raw["audio"]).split()) > 40:
            bad("audio", "dictée trop longue (40 mots au plus)")

    def check_form_filling(self, raw: dict[str, Any], bad: Any) -> None:
        fields = raw.get("fields")
        if not isinstance(fields, list) or not fields:
            bad("fields", "au moins un champ")
            return
        for field in fields:
            if (
                not isinstance(field, dict)
                or set(field) != {"label", "answers"}
                or not _text(field["label"])
                or not _strings(field["answers"])
            ):
                bad("fields", "chaque champ a un libellé et des réponses acceptées")
                return

    def check_pointer(self, raw: dict[str, Any], bad: Any) -> None:
        action = raw.get("action")
        if action not in POINTER_ACTIONS:
            bad("action", "action inconnue (" + ", ".join(POINTER_ACTIONS) + ")")
            return
        if action == "drag":
            for key in ("targets", "answer"):
                if key in raw:
                    bad(key, "clé inutile pour « drag » : utilisez « pairs »")
            pairs = raw.get("pairs")
            if (
                not isinstance(pairs, list)
                or not 2 <= len(pairs) <= 4
                or not all(_strings(p) and len(p) == 2 for p in pairs)
            ):
                bad("pairs", "de 2 à 4 paires [élément, case]")
            elif len({p[1] for p in pairs}) != len(pairs) or len(
                {p[0] for p in pairs}
            ) != len(pairs):
                bad("pairs", "les éléments et les cases doivent être tous différents")
            return
        if "pairs" in raw:
            bad("pairs", "clé réservée à l’action « drag »")
        low, high = (8, 30) if action == "scroll" else (2, 6)
        targets = _strings(raw.get("targets"))
        if (
            targets is None
            or not low <= len(targets) <= high
            or len(set(targets)) != len(targets)
        ):
            bad("targets", f"de {low} à {high} éléments, tous différents")
        elif raw.get("answer") not in targets:
            bad("answer", "la réponse n’est pas parmi les éléments")
        elif action == "scroll" and targets.index(raw["answer"]) < len(targets) // 2:
            bad(
                "answer",
                "la bonne réponse doit être vers la fin de la liste "
                "(il faut faire défiler)",
            )

    def check_typing(self, raw: dict[str, Any], bad: Any) -> None:
        answer = raw.get("answer")
        if not isinstance(answer, str) or not 1 <= len(answer) <= 60:
            bad("answer", "le texte à recopier a de 1 à 60 caractères")
        elif answer != answer.strip() or "  " in answer:
            bad("answer", "pas d’espace au début, à la fin ni deux espaces de suite")
        elif not TYPING_TEXT.match(answer):
            bad(
                "answer",
                "seulement des lettres (avec accents), des chiffres, "
                "@ . - ’ ' et des espaces",
            )

    def check_tab_form(self, raw: dict[str, Any], bad: Any) -> None:
        fields = raw.get("fields")
        if not isinstance(fields, list) or not 2 <= len(fields) <= 6:
            bad("fields", "de 2 à 6 champs")
            return
        self.check_form_filling(raw, bad)
        labels = [f.get("label") for f in fields if isinstance(f, dict)]
        if len(set(map(str, labels))) != len(labels):
            bad("fields", "les libellés doivent être tous différents")

    def check_timed_choice(self, raw: dict[str, Any], bad: Any) -> None:
        choices = _strings(raw.get("choices"))
        if (
            choices is None
            or not 2 <= len(choices) <= 4
            or len(set(choices)) != len(choices)
        ):
            bad("choices", "de 2 à 4 choix, tous différents")
        elif raw.get("answer") not in choices:
            bad("answer", "la réponse n’est pas parmi les choix")
        seconds = raw.get("seconds")
        if (
            not isinstance(seconds, int)
            or isinstance(seconds, bool)
            or not 10 <= seconds <= 60
        ):
            bad("seconds", "de 10 à 60 secondes")

    def check_short_writing(self, raw: dict[str, Any], bad: Any) -> None:
        low, high = raw.get("min_words"), raw.get("max_words")
        if (
            not isinstance(low, int)
            or not isinstance(high, int)
            or not 1 <= low <= high <= 400
        ):
            bad("min_words", "nombres de mots invalides")
        for element in raw.get("required") or []:
            if (
                not isinstance(element, dict)
                or set(element) != {"label", "any"}
                or not _strings(element["any"])
            ):
                bad(
                    "required",
                    "chaque élément attendu a un libellé et une liste « any »",
                )
                return

    def check_oral_production(self, raw: dict[str, Any], bad: Any) -> None:
        low, high = raw.get("min_seconds", 10), raw.get("max_seconds", 120)
        if (
            not isinstance(low, int)
            or not isinstance(high, int)
            or not 1 <= low <= high <= 300
        ):
            bad("min_seconds", "durées invalides")


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _past_date(value: Any) -> bool:
    """A date (YAML reads AAAA-MM-JJ as one) that is not in the future."""
    return (
        isinstance(value, datetime.date)
        and not isinstance(value, datetime.datetime)
        and value <= datetime.date.today()
    )


def _strings(value: Any) -> list[str] | None:
    if not isinstance(value, list) or not value:
        return None
    if not all(isinstance(v, str) and v.strip() for v in value):
        return None
    return value


def _item(unit: dict[str, Any], raw: dict[str, Any]) -> Item:
    data = {k: v for k, v in raw.items() if k not in COMMON_KEYS}
    if raw["type"] == "oral_production":
        data.setdefault("min_seconds", 10)
        data.setdefault("max_seconds", 120)
    if raw["type"] == "true_false":
        data.pop("prompt", None)
    return Item(
        id=raw["id"],
        version=raw["version"],
        unit=unit["unit"],
        unit_title=str(unit["title"]).strip(),
        can_do=str(unit["can_do"]).strip(),
        level=unit["level"],
        theme=unit["theme"],
        skill=raw["skill"],
        subskill=raw.get("subskill"),
        type=raw["type"],
        instruction=raw["instruction"],
        explanation=str(raw["explanation"]).strip(),
        document=_strip(raw.get("document")),
        document_kind=raw.get("document_kind"),
        audio=_strip(raw.get("audio")),
        prompt=_strip(raw.get("prompt")),
        data=data,
        track=unit.get("track"),
        track_order=unit.get("track_order"),
    )


def _strip(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None


def load_bank(
    root: Path = BANK,
    static: Path | None = None,
    *,
    check_audio: bool = True,
    require_review: bool | None = None,
) -> tuple[list[Item], list[Problem]]:
    """Read every unit file under `root`; return the valid items and all problems.

    With `static` (the platform's static folder), also check that images exist and,
    unless `check_audio` is false, that each transcript's audio file exists.
    `require_review` (by default: for the published bank, `BANK`) refuses a unit
    without the record of its second reading, except those in UNREVIEWED_UNITS.
    """
    if require_review is None:
        require_review = root.resolve() == BANK.resolve()
    reader = _Reader(root, static, check_audio, require_review)
    reader.read()
    return reader.items, reader.problems
