"""The civic question bank and mock civic exams (examen civique blanc)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from exercises.loading import ID_PATTERN, Problem

CIVIC = Path(__file__).resolve().parent / "civic"
MENTIONS = ("csp", "cr", "nat")
KINDS = ("knowledge", "situation")
QUESTIONS_PER_EXAM = 40
PASS_MARK = 32
DURATION_MINUTES = 45
# Blueprint of one exam (annexe VII of the arrêté of 10 October 2025): 28 + 12.
BLUEPRINT: dict[str, tuple[str, str, int]] = {
    # subtheme: (theme, kind, questions per exam)
    "devise_symboles": ("principes", "knowledge", 3),
    "laicite": ("principes", "knowledge", 2),
    "democratie_vote": ("institutions", "knowledge", 3),
    "organisation": ("institutions", "knowledge", 2),
    "europe": ("institutions", "knowledge", 1),
    "droits_fondamentaux": ("droits", "knowledge", 2),
    "obligations": ("droits", "knowledge", 3),
    "periodes_personnages": ("histoire", "knowledge", 3),
    "territoires_geographie": ("histoire", "knowledge", 3),
    "patrimoine": ("histoire", "knowledge", 2),
    "installation": ("societe", "knowledge", 1),
    "sante": ("societe", "knowledge", 1),
    "travail": ("societe", "knowledge", 1),
    "parentalite_ecole": ("societe", "knowledge", 1),
    "situations_principes": ("principes", "situation", 6),
    "situations_droits": ("droits", "situation", 6),
}
KEYS = {
    "id",
    "version",
    "kind",
    "mentions",
    "question",
    "choices",
    "answer",
    "explanation",
}


@dataclass(frozen=True)
class CivicQuestion:
    id: str
    version: int
    theme: str
    subtheme: str
    kind: str
    mentions: tuple[str, ...]
    question: str
    choices: tuple[str, ...]
    answer: str
    explanation: str


def _problems_of(
    name: str, raw: Any, index: int, subtheme: str
) -> list[tuple[str | None, str]]:
    if not isinstance(raw, dict):
        return [(None, "la question doit être une table")]
    found: list[tuple[str | None, str]] = []
    found += [(key, "clé manquante") for key in sorted(KEYS - raw.keys())]
    found += [(str(key), "clé inconnue") for key in sorted(raw.keys() - KEYS)]
    version = raw.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        found.append(("version", "la version doit être un entier positif"))
    expected_kind = BLUEPRINT[subtheme][1] if subtheme in BLUEPRINT else None
    if raw.get("kind") not in KINDS or raw.get("kind") != expected_kind:
        found.append(("kind", "type de question incompatible avec le sous-thème"))
    mentions = raw.get("mentions")
    if (
        not isinstance(mentions, list)
        or not mentions
        or not set(mentions) <= set(MENTIONS)
    ):
        found.append(("mentions", "mentions possibles : csp, cr, nat"))
    choices = raw.get("choices")
    if (
        not isinstance(choices, list)
        or len(choices) != 4
        or not all(isinstance(c, str) and c.strip() for c in choices)
        or len(set(choices)) != 4
    ):
        found.append(("choices", "exactement 4 choix, tous différents"))
    elif raw.get("answer") not in choices:
        found.append(("answer", "la réponse n’est pas parmi les choix"))
    for key in ("question", "explanation"):
        if key in raw and not (isinstance(raw[key], str) and raw[key].strip()):
            found.append((key, "texte vide"))
    return found


def load_civic(root: Path = CIVIC) -> tuple[list[CivicQuestion], list[Problem]]:
    """Read every civic file; return the valid questions and all problems."""
    questions: list[CivicQuestion] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for path in sorted(root.glob("*.yaml")):
        name = path.name
        theme, _, subtheme = path.stem.partition("-")
        if subtheme not in BLUEPRINT or BLUEPRINT[subtheme][0] != theme:
            problems.append(
                Problem(name, None, None, "nom de fichier : <thème>-<sous-thème>.yaml")
            )
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            problems.append(
                Problem(name, None, None, f"fichier YAML illisible ({exc})")
            )
            continue
        if (
            not isinstance(data, dict)
            or data.get("theme") != theme
            or data.get("subtheme") != subtheme
        ):
            problems.append(
                Problem(name, None, "theme", "thème ou sous-thème différent du nom")
            )
            continue
        for index, raw in enumerate(data.get("questions") or []):
            qid = str(raw.get("id") if isinstance(raw, dict) else f"#{index + 1}")
            found = _problems_of(name, raw, index, subtheme)
            if not ID_PATTERN.match(qid.replace("_", "-")) or not qid.startswith(
                f"civ-{theme}-{subtheme}-"
            ):
                found.append(
                    ("id", "identifiant attendu : civ-<thème>-<sous-thème>-NNN")
                )
            if qid in seen:
                found.append(("id", "identifiant en double"))
            seen.add(qid)
            problems += [Problem(name, qid, field, message) for field, message in found]
            if not found:
                questions.append(
                    CivicQuestion(
                        id=qid, version=raw["version"], theme=theme, subtheme=subtheme,
                        kind=raw["kind"], mentions=tuple(raw["mentions"]),
                        question=raw["question"].strip(),
                        choices=tuple(c.strip() for c in raw["choices"]),
                        answer=raw["answer"].strip(), explanation=raw["explanation"].strip(),
                    )
                )  # fmt: skip
    problems += coverage_problems(questions)
    return questions, problems


def coverage_problems(questions: list[CivicQuestion]) -> list[Problem]:
    """Each sub-theme needs, per mention, three times its per-exam count."""
    problems = []
    for mention in MENTIONS:
        for subtheme, (theme, _kind, count) in BLUEPRINT.items():
            have = sum(
                1 for q in questions if q.subtheme == subtheme and mention in q.mentions
            )
            if have < 3 * count:
                problems.append(
                    Problem(
                        f"{theme}-{subtheme}.yaml", None, mention,
                        f"{have} question(s) pour « {mention} », il en faut au moins {3 * count}",
                    )
                )  # fmt: skip
    return problems


def build_exam(
    questions: list[CivicQuestion],
    mention: str,
    rng: random.Random,
    avoid: frozenset[str] = frozenset(),
) -> list[CivicQuestion]:
    """Draw 40 questions following the blueprint, preferring ones not seen before."""
    exam: list[CivicQuestion] = []
    for subtheme, (_theme, _kind, count) in BLUEPRINT.items():
        pool = [
            q for q in questions if q.subtheme == subtheme and mention in q.mentions
        ]
        fresh = [q for q in pool if q.id not in avoid]
        stale = [q for q in pool if q.id in avoid]
        rng.shuffle(fresh)
        rng.shuffle(stale)
        exam += (fresh + stale)[:count]
    if len(exam) != QUESTIONS_PER_EXAM:
        raise ValueError("not enough civic questions for a full exam")
    knowledge = [q for q in exam if q.kind == "knowledge"]
    situations = [q for q in exam if q.kind == "situation"]
    return knowledge + situations


def civic_stats(questions: list[CivicQuestion]) -> dict[str, dict[str, int]]:
    """Count questions by theme, sub-theme, kind and mention."""
    stats: dict[str, dict[str, int]] = {
        "theme": {},
        "subtheme": {},
        "kind": {},
        "mention": {},
    }
    for q in questions:
        for key, value in (
            ("theme", q.theme),
            ("subtheme", q.subtheme),
            ("kind", q.kind),
        ):
            stats[key][value] = stats[key].get(value, 0) + 1
        for mention in q.mentions:
            stats["mention"][mention] = stats["mention"].get(mention, 0) + 1
    return stats
