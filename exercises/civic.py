"""The civic question bank and mock civic exams (examen civique blanc)."""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz, process

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
# Difficulty (1 basic, 2 intermediate, 3 advanced) decides which exams a question
# suits: the pluriannuelle asks basic knowledge of daily life and principles, the
# résident more, naturalisation history, institutions and culture in depth.
DIFFICULTIES = (1, 2, 3)
# The pluriannuelle pool: at most this share of a résident or naturalisation exam.
BASIC_MENTION = "csp"
BASIC_SHARE_MAX = QUESTIONS_PER_EXAM // 2
# Near-duplicates: rapidfuzz's token_sort_ratio on the normalised question and right
# answer, without the small words every question shares. Tuned by reading every pair
# scoring 64 or more (`flask exercises civic check --threshold 64`): true pairs share
# a `family`; from 80 on, the pairs found so far were all the same fact asked twice.
NEAR_DUPLICATE_SCORE = 80.0
STOPWORDS = frozenset([
    "a", "au", "aux", "ce", "ces", "cette", "comment", "d", "dans", "de", "des", "du",
    "elle", "elles", "en", "est", "et", "france", "francais", "francaise", "il", "ils",
    "l", "la", "le", "les", "leur", "leurs", "ne", "on", "ou", "par", "pas", "plus",
    "pour", "pourquoi", "quand", "que", "quel", "quelle", "quelles", "quels", "qui",
    "quoi", "s", "sa", "sans", "se", "ses", "son", "sont", "sur", "t", "un", "une",
    "votre", "vous", "y",
])  # fmt: skip
KEYS = {
    "id",
    "version",
    "kind",
    "difficulty",
    "mentions",
    "question",
    "choices",
    "answer",
    "explanation",
}
OPTIONAL_KEYS = {"family"}
FILE_KEYS = {"theme", "subtheme", "sources", "questions"}
SOURCE_KEYS = {"title", "url", "checked"}
FAMILY_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


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
    difficulty: int = 1
    family: str | None = None

    @property
    def basic(self) -> bool:
        """In the pluriannuelle pool (its mentions include csp)."""
        return BASIC_MENTION in self.mentions

    @property
    def group(self) -> str:
        """Questions of one group ask the same fact: one exam takes one of them."""
        return self.family or self.id


def _problems_of(
    name: str, raw: Any, index: int, subtheme: str
) -> list[tuple[str | None, str]]:
    if not isinstance(raw, dict):
        return [(None, "la question doit être une table")]
    found: list[tuple[str | None, str]] = []
    found += [(key, "clé manquante") for key in sorted(KEYS - raw.keys())]
    found += [
        (str(key), "clé inconnue") for key in sorted(raw.keys() - KEYS - OPTIONAL_KEYS)
    ]
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
    else:
        found += _difficulty_problems(raw.get("difficulty"), set(mentions))
    family = raw.get("family")
    if family is not None and not (
        isinstance(family, str) and FAMILY_PATTERN.match(family)
    ):
        found.append(("family", "famille : mots en minuscules reliés par des tirets"))
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


def _difficulty_problems(
    difficulty: Any, mentions: set[str]
) -> list[tuple[str | None, str]]:
    """1 suits every exam; 2 the résident and naturalisation; 3 naturalisation only."""
    if difficulty not in DIFFICULTIES or isinstance(difficulty, bool):
        return [
            ("difficulty", "difficulté : 1 (base), 2 (intermédiaire) ou 3 (avancé)")
        ]
    expected = {1: {"csp", "cr", "nat"}, 2: {"cr", "nat"}, 3: {"nat"}}[difficulty]
    if mentions != expected:
        wanted = ", ".join(m for m in MENTIONS if m in expected)
        return [
            ("mentions", f"difficulté {difficulty} : mentions attendues [{wanted}]")
        ]
    return []


def _source_problems(name: str, sources: Any) -> list[Problem]:
    """Each file lists the official sources its facts were checked against."""
    if not isinstance(sources, list) or not sources:
        return [Problem(name, None, "sources", "liste des sources manquante ou vide")]
    problems = []
    for index, source in enumerate(sources, start=1):
        if (
            not isinstance(source, dict)
            or set(source) != SOURCE_KEYS
            or not isinstance(source["title"], str)
            or not source["title"].strip()
            or not isinstance(source["url"], str)
            or not source["url"].startswith("https://")
            or not isinstance(source["checked"], date)
        ):
            problems.append(
                Problem(
                    name, None, f"sources[{index}]",
                    "source : title, url (https://…) et checked (AAAA-MM-JJ)",
                )
            )  # fmt: skip
    return problems


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
        problems += [
            Problem(name, None, str(key), "clé inconnue")
            for key in sorted(set(data) - FILE_KEYS, key=str)
        ]
        problems += _source_problems(name, data.get("sources"))
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
                        difficulty=raw["difficulty"], family=raw.get("family"),
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
            advanced = sum(
                1
                for q in questions
                if q.subtheme == subtheme and mention in q.mentions and not q.basic
            )
            if mention != BASIC_MENTION and advanced < count:
                problems.append(
                    Problem(
                        f"{theme}-{subtheme}.yaml", None, mention,
                        f"{advanced} question(s) hors du socle « csp » pour « {mention} »,"
                        f" il en faut au moins {count}",
                    )
                )  # fmt: skip
    return problems


def build_exam(
    questions: list[CivicQuestion],
    mention: str,
    rng: random.Random,
    avoid: frozenset[str] = frozenset(),
) -> list[CivicQuestion]:
    """Draw 40 questions following the blueprint, preferring ones not seen before.

    Never two questions of one family (the same fact asked twice). For the résident
    and naturalisation exams, at most half of the questions come from the
    pluriannuelle pool (questions whose mentions include csp).
    """
    pools = {
        subtheme: [
            q for q in questions if q.subtheme == subtheme and mention in q.mentions
        ]
        for subtheme in BLUEPRINT
    }
    advanced = {
        s: len({q.group for q in pool if not q.basic}) for s, pool in pools.items()
    }
    budget = QUESTIONS_PER_EXAM if mention == BASIC_MENTION else BASIC_SHARE_MAX
    order = list(BLUEPRINT)
    rng.shuffle(order)
    chosen: dict[str, list[CivicQuestion]] = {}
    families: set[str] = set()
    for index, subtheme in enumerate(order):
        count = BLUEPRINT[subtheme][2]
        # Basic questions the later sub-themes will need when short of others.
        reserve = 0
        if mention != BASIC_MENTION:
            reserve = sum(
                max(0, BLUEPRINT[s][2] - advanced[s]) for s in order[index + 1 :]
            )
        fresh = [q for q in pools[subtheme] if q.id not in avoid]
        stale = [q for q in pools[subtheme] if q.id in avoid]
        rng.shuffle(fresh)
        rng.shuffle(stale)
        picks: list[CivicQuestion] = []
        for q in fresh + stale:
            if len(picks) == count:
                break
            if q.group in families:
                continue
            if mention != BASIC_MENTION and q.basic:
                if budget - 1 < reserve:
                    continue
                budget -= 1
            picks.append(q)
            families.add(q.group)
        if len(picks) != count:
            raise ValueError("not enough civic questions for a full exam")
        chosen[subtheme] = picks
    exam = [q for subtheme in BLUEPRINT for q in chosen[subtheme]]
    knowledge = [q for q in exam if q.kind == "knowledge"]
    situations = [q for q in exam if q.kind == "situation"]
    return knowledge + situations


def normalised(text: str) -> str:
    """Lower case, no accents, no punctuation, no small words: what is compared."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(w for w in words if w not in STOPWORDS)


def near_duplicates(
    questions: list[CivicQuestion], threshold: float = NEAR_DUPLICATE_SCORE
) -> list[tuple[float, CivicQuestion, CivicQuestion]]:
    """Pairs of questions that ask the same fact in other words, best match first."""
    texts = [normalised(f"{q.question} {q.answer}") for q in questions]
    scores = process.cdist(
        texts, texts, scorer=fuzz.token_sort_ratio, score_cutoff=threshold
    )
    pairs = [
        (float(scores[i][j]), questions[i], questions[j])
        for i in range(len(questions))
        for j in range(i + 1, len(questions))
        if scores[i][j] >= threshold
    ]
    return sorted(pairs, key=lambda pair: (-pair[0], pair[1].id, pair[2].id))


def duplicate_problems(
    questions: list[CivicQuestion], threshold: float = NEAR_DUPLICATE_SCORE
) -> list[Problem]:
    """Near-duplicates not marked with one `family` could meet in one exam."""
    return [
        Problem(
            f"{a.theme}-{a.subtheme}.yaml", a.id, "family",
            f"proche de {b.id} ({score:.0f} %) : même famille, ou reformuler",
        )
        for score, a, b in near_duplicates(questions, threshold)
        if a.group != b.group
    ]  # fmt: skip


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
