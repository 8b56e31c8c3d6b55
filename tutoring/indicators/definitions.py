"""Aggregated figures for the coordinator, protected against small cells."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from tutoring.accounts.profiles import (
    AgeBand,
    LearnerProfile,
    PublicCategory,
    Sex,
    TutorProfile,
    TutorStatus,
)
from tutoring.core.extensions import db
from tutoring.indicators import queries as q
from tutoring.indicators.models import OutcomeKind


@dataclass(frozen=True)
class Cell:
    """A count of people; `value` is None when it is hidden (shown as '< k')."""

    key: str
    value: int | None


def protect(counts: dict[str, int], k: int) -> tuple[list[Cell], int | None]:
    """Hide counts from 1 to k-1, then enough others that the total reveals none.

    Primary suppression hides each small cell. Secondary suppression: when exactly
    one cell is hidden, the total minus the shown cells would give it away, so the
    smallest other non-zero cell is hidden too. The total itself is shown unless
    it is small.
    """
    hidden = {key for key, n in counts.items() if 0 < n < k}
    if len(hidden) == 1:
        others = sorted(
            (n, key) for key, n in counts.items() if key not in hidden and n > 0
        )
        if others:
            hidden.add(others[0][1])
    total = sum(counts.values())
    shown_total = None if 0 < total < k else total
    cells = [Cell(key, None if key in hidden else n) for key, n in counts.items()]
    return cells, shown_total


def enrolments_by_category() -> dict[str, int]:
    """Return the number of learners ever enrolled, by public category."""
    rows = db.session.execute(
        select(LearnerProfile.public_category, func.count()).group_by(
            LearnerProfile.public_category
        )
    ).all()
    counts = {c.value: 0 for c in PublicCategory}
    for category, n in rows:
        counts[category.value] = int(n)
    return counts


def approved_tutors() -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(TutorProfile)
            .where(TutorProfile.status == TutorStatus.APPROVED)
        )
        or 0
    )


PEOPLE, COUNT, HOURS, DAYS, RATE = "people", "count", "hours", "days", "rate"


@dataclass(frozen=True)
class Definition:
    """One published figure: its API name, label, written definition and unit.

    `governed_by` names the count of people behind a figure that is not itself a
    count of people: the figure is hidden whenever that count is.
    """

    name: str
    group: str
    label: Any
    text: Any
    unit: str = PEOPLE
    governed_by: str | None = None


DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        "beneficiaries.active",
        "beneficiaries",
        _l("Apprenants actifs"),
        _l(
            "Personnes inscrites ayant fait au moins un exercice sur la plateforme ou assisté à au moins une séance de tutorat pendant la période."
        ),
    ),
    Definition(
        "beneficiaries.new",
        "beneficiaries",
        _l("Nouvelles inscriptions"),
        _l(
            "Personnes inscrites par un référent pendant la période, qu’elles aient ou non commencé à apprendre."
        ),
    ),
    Definition(
        "beneficiaries.cumulative",
        "beneficiaries",
        _l("Inscriptions depuis le début"),
        _l(
            "Personnes inscrites depuis l’ouverture de la plateforme jusqu’à la fin de la période, y compris celles dont les données ont depuis été effacées."
        ),
    ),
    Definition(
        "tutoring.learners",
        "sessions",
        _l("Apprenants accompagnés en tutorat"),
        _l(
            "Personnes ayant assisté à au moins une séance de tutorat pendant la période."
        ),
    ),
    Definition(
        "tutoring.sessions_held",
        "sessions",
        _l("Séances réalisées"),
        _l(
            "Séances de tutorat de la période dont le compte rendu indique au moins un apprenant présent ; un atelier en groupe compte pour une séance."
        ),
        COUNT,
        "tutoring.learners",
    ),
    Definition(
        "tutoring.sessions_missed",
        "sessions",
        _l("Séances où l’apprenant était absent"),
        _l(
            "Places de séance de la période où le compte rendu indique l’apprenant absent, excusé ou non (dans un atelier, chaque absent compte)."
        ),
        COUNT,
        "tutoring.learners",
    ),
    Definition(
        "tutoring.sessions_cancelled",
        "sessions",
        _l("Séances annulées"),
        _l(
            "Séances prévues pendant la période puis annulées par l’apprenant, le bénévole ou le référent."
        ),
        COUNT,
        "tutoring.learners",
    ),
    Definition(
        "tutoring.hours",
        "sessions",
        _l("Heures de tutorat reçues"),
        _l(
            "Somme des durées déclarées dans les comptes rendus des séances réalisées de la période."
        ),
        HOURS,
        "tutoring.learners",
    ),
    Definition(
        "tutoring.median_hours",
        "sessions",
        _l("Heures de tutorat par apprenant (médiane)"),
        _l(
            "Médiane, parmi les apprenants accompagnés, du total de leurs heures de tutorat sur la période."
        ),
        HOURS,
        "tutoring.learners",
    ),
    Definition(
        "tutoring.tutors",
        "sessions",
        _l("Bénévoles actifs"),
        _l(
            "Bénévoles ayant tenu au moins une séance pendant la période, que l’apprenant soit venu ou non."
        ),
    ),
    Definition(
        "tutoring.volunteer_hours",
        "sessions",
        _l("Heures de bénévolat"),
        _l(
            "Durée prévue des séances tenues par les bénévoles pendant la période, y compris celles où l’apprenant était absent ; un atelier compte une fois."
        ),
        HOURS,
        "tutoring.tutors",
    ),
    Definition(
        "pairings.new",
        "pairings",
        _l("Jumelages commencés"),
        _l("Jumelages acceptés par le bénévole pendant la période."),
    ),
    Definition(
        "pairings.active",
        "pairings",
        _l("Jumelages en cours"),
        _l(
            "Jumelages acceptés avant la fin de la période et non terminés avant son début."
        ),
    ),
    Definition(
        "pairings.ended",
        "pairings",
        _l("Jumelages terminés"),
        _l("Jumelages terminés par un référent pendant la période."),
    ),
    Definition(
        "pairings.waiting",
        "pairings",
        _l("Liste d’attente"),
        _l(
            "Personnes inscrites à la fin de la période qui n’ont encore jamais eu de jumelage accepté."
        ),
    ),
    Definition(
        "pairings.first_paired",
        "pairings",
        _l("Premiers jumelages"),
        _l("Personnes dont le premier jumelage a été accepté pendant la période."),
    ),
    Definition(
        "pairings.median_wait_days",
        "pairings",
        _l("Attente d’un premier jumelage (médiane, en jours)"),
        _l(
            "Médiane, parmi les premiers jumelages de la période, du nombre de jours entre l’inscription et l’acceptation du jumelage."
        ),
        DAYS,
        "pairings.first_paired",
    ),
    Definition(
        "practice.learners",
        "practice",
        _l("Apprenants qui s’exercent"),
        _l(
            "Personnes ayant fait au moins un exercice sur la plateforme pendant la période."
        ),
    ),
    Definition(
        "practice.attempts",
        "practice",
        _l("Exercices faits"),
        _l("Nombre de réponses enregistrées sur la plateforme pendant la période."),
        COUNT,
        "practice.learners",
    ),
    Definition(
        "practice.hours",
        "practice",
        _l("Heures d’entraînement"),
        _l("Somme des temps passés sur chaque exercice pendant la période."),
        HOURS,
        "practice.learners",
    ),
    Definition(
        "practice.median_hours",
        "practice",
        _l("Heures d’entraînement par apprenant (médiane)"),
        _l(
            "Médiane, parmi les apprenants qui s’exercent, de leur temps d’entraînement sur la période."
        ),
        HOURS,
        "practice.learners",
    ),
    Definition(
        "practice.homework_learners",
        "practice",
        _l("Apprenants ayant des devoirs"),
        _l("Personnes ayant au moins un devoir à rendre pendant la période."),
    ),
    Definition(
        "practice.homework_rate",
        "practice",
        _l("Devoirs faits"),
        _l("Part des devoirs à rendre pendant la période que l’apprenant a terminés."),
        RATE,
        "practice.homework_learners",
    ),
    Definition(
        "progress.gained",
        "progress",
        _l("Apprenants ayant gagné un niveau"),
        _l(
            "Personnes dont le dernier niveau évalué dépasse, dans au moins une compétence, le niveau de leur première évaluation (évaluations enregistrées par les référents jusqu’à la fin de la période)."
        ),
    ),
    Definition(
        "progress.at_target",
        "progress",
        _l("Apprenants au niveau visé"),
        _l(
            "Personnes dont le dernier niveau évalué atteint leur objectif (A2, B1 ou B2) dans les quatre compétences."
        ),
    ),
    Definition(
        "exams.civic_taken",
        "exams",
        _l("Examens civiques blancs passés"),
        _l(
            "Personnes ayant terminé au moins un examen civique blanc pendant la période."
        ),
    ),
    Definition(
        "exams.civic_passed",
        "exams",
        _l("Examens civiques blancs réussis"),
        _l(
            "Personnes ayant obtenu au moins 32 bonnes réponses sur 40 à un examen civique blanc pendant la période."
        ),
    ),
    Definition(
        "exams.language_taken",
        "exams",
        _l("Examens de français blancs passés"),
        _l(
            "Personnes ayant terminé les quatre épreuves d’un examen de français blanc pendant la période."
        ),
    ),
    Definition(
        "exams.language_passed_co",
        "exams",
        _l("Examens de français blancs réussis en compréhension orale"),
        _l(
            "Personnes dont le niveau estimé à l’épreuve de compréhension orale d’un examen de français blanc terminé pendant la période atteint le niveau visé par cet examen (A2, B1 ou B2, selon leur objectif)."
        ),
    ),
    Definition(
        "exams.language_passed_ce",
        "exams",
        _l("Examens de français blancs réussis en compréhension écrite"),
        _l(
            "Personnes dont le niveau estimé à l’épreuve de compréhension écrite d’un examen de français blanc terminé pendant la période atteint le niveau visé par cet examen (A2, B1 ou B2, selon leur objectif)."
        ),
    ),
    Definition(
        "exams.language_passed_ee",
        "exams",
        _l("Examens de français blancs réussis en expression écrite"),
        _l(
            "Personnes dont le niveau estimé à l’épreuve d’expression écrite d’un examen de français blanc terminé pendant la période atteint le niveau visé par cet examen ; une épreuve dont un texte attend encore la correction d’un tuteur n’est pas comptée."
        ),
    ),
    Definition(
        "exams.language_passed_eo",
        "exams",
        _l("Examens de français blancs réussis en expression orale"),
        _l(
            "Personnes dont le niveau estimé à l’épreuve d’expression orale d’un examen de français blanc terminé pendant la période atteint le niveau visé par cet examen ; une épreuve dont un enregistrement attend encore la correction d’un tuteur n’est pas comptée."
        ),
    ),
    Definition(
        "exams.language_passed_all",
        "exams",
        _l("Examens de français blancs réussis dans les quatre compétences"),
        _l(
            "Personnes ayant atteint le niveau visé dans les quatre épreuves d’un même examen de français blanc terminé pendant la période."
        ),
    ),
    Definition(
        "outcomes.certification",
        "outcomes",
        _l("Certifications obtenues"),
        _l(
            "Personnes pour qui un référent a enregistré une certification de français (TCF, TEF, DELF…) obtenue pendant la période."
        ),
    ),
    Definition(
        "outcomes.civic_exam",
        "outcomes",
        _l("Examens civiques réussis"),
        _l(
            "Personnes pour qui un référent a enregistré la réussite de l’examen civique officiel pendant la période."
        ),
    ),
    Definition(
        "outcomes.residence_card",
        "outcomes",
        _l("Titres de séjour obtenus"),
        _l(
            "Personnes pour qui un référent a enregistré l’obtention d’une carte de séjour pluriannuelle ou d’une carte de résident pendant la période."
        ),
    ),
)


BY_NAME = {d.name: d for d in DEFINITIONS}


GROUPS = tuple(dict.fromkeys(d.group for d in DEFINITIONS))


BREAKDOWNS = ("public_category", "sex", "age_band", "partner_id", "years_since_arrival")


@dataclass(frozen=True)
class Figure:
    """A published value; `value` is None when hidden by the small-cell rule."""

    definition: Definition
    value: float | int | None
    hidden: bool


def _raw_group(group: str, scope: q.Scope) -> dict[str, Any]:
    """Return the unprotected values of one group, keyed by indicator name."""
    if group == "beneficiaries":
        return {f"beneficiaries.{k}": v for k, v in q.beneficiaries(scope).items()}
    if group == "sessions":
        s = q.sessions(scope)
        return {
            "tutoring.learners": s["learners"],
            "tutoring.sessions_held": s["held"],
            "tutoring.sessions_missed": s["missed"],
            "tutoring.sessions_cancelled": s["cancelled"],
            "tutoring.hours": s["hours"],
            "tutoring.median_hours": s["median_hours"],
            "tutoring.tutors": s["tutors"],
            "tutoring.volunteer_hours": s["volunteer_hours"],
        }
    if group == "pairings":
        return {f"pairings.{k}": v for k, v in q.pairings(scope).items()}
    if group == "practice":
        p = q.practice(scope)
        due = p["homework_due"]
        return {
            "practice.learners": p["learners"],
            "practice.attempts": p["attempts"],
            "practice.hours": p["hours"],
            "practice.median_hours": p["median_hours"],
            "practice.homework_learners": p["homework_learners"],
            "practice.homework_rate": p["homework_done"] / due if due else None,
        }
    if group == "progress":
        p = q.progress(scope)
        return {"progress.gained": p["gained"], "progress.at_target": p["at_target"]}
    if group == "exams":
        return {f"exams.{k}": v for k, v in q.exams(scope).items()}
    o = q.outcomes(scope)
    return {f"outcomes.{k.value}": o.get(k.value, 0) for k in OutcomeKind}


def is_small(n: int | None, k: int) -> bool:
    return n is not None and 0 < n < k


_LANGUAGE = ("co", "ce", "ee", "eo")  # the skills of the mock French exam


# (whole, part): publishing both would publish their difference, a group of people
# too (e.g. learners who failed the civic mock exam); when that difference is from
# 1 to k-1, the part is hidden as well.
COMPLEMENTS = (
    ("beneficiaries.cumulative", "beneficiaries.new"),
    ("beneficiaries.active", "practice.learners"),
    ("beneficiaries.active", "tutoring.learners"),
    ("exams.civic_taken", "exams.civic_passed"),
    *(("exams.language_taken", f"exams.language_passed_{s}") for s in _LANGUAGE),
    ("exams.language_taken", "exams.language_passed_all"),
    *((f"exams.language_passed_{s}", "exams.language_passed_all") for s in _LANGUAGE),
    ("pairings.active", "pairings.new"),
    ("pairings.active", "pairings.ended"),
)


def _with_partners(groups: tuple[str, ...]) -> tuple[str, ...]:
    """Add the groups whose figures decide the complementary suppression of these."""
    needed = list(groups)
    for whole, part in COMPLEMENTS:
        for name in (whole, part):
            group = BY_NAME[name].group
            if group not in needed and {
                BY_NAME[whole].group,
                BY_NAME[part].group,
            } & set(groups):
                needed.append(group)
    return tuple(needed)


def hidden_counts(raw: dict[str, Any], k: int) -> set[str]:
    """Return the counts of people to hide: small ones, then complementary parts."""
    hidden = {
        name
        for name, value in raw.items()
        if BY_NAME[name].unit == PEOPLE and is_small(value, k)
    }
    for whole, part in COMPLEMENTS:
        both = whole in raw and part in raw and not {whole, part} & hidden
        if both and is_small(raw[whole] - raw[part], k):
            hidden.add(part)
    return hidden


def figures(
    scope: q.Scope, k: int, groups: tuple[str, ...] = GROUPS
) -> dict[str, Figure]:
    """Compute the indicators of `groups` and hide what the small-cell rule hides."""
    raw: dict[str, Any] = {}
    for group in _with_partners(groups):
        raw.update(_raw_group(group, scope))
    hidden_people = hidden_counts(raw, k)
    shown: dict[str, Figure] = {}
    for name, value in raw.items():
        definition = BY_NAME[name]
        if definition.group not in groups:
            continue
        hidden = (definition.governed_by or name) in hidden_people
        if isinstance(value, float):
            value = round(value, 3 if definition.unit == RATE else 1)
        shown[name] = Figure(definition, None if hidden else value, hidden)
    return shown


def breakdown(
    scope: q.Scope, dimension: str, k: int, counts: dict[str, int] | None = None
) -> tuple[list[Cell], int | None]:
    """Return active learners by `dimension`, every cell protected."""
    counts = dict(q.active_by(scope, dimension) if counts is None else counts)
    if dimension in _ENUMS:
        counts = {m.value: counts.pop(m.value, 0) for m in _ENUMS[dimension]} | counts
    else:  # years since arrival (0 … 5+) and partner ids, in a stable order
        counts = dict(sorted(counts.items(), key=lambda item: _natural(item[0])))
    return protect(counts, k)


def _natural(key: str) -> tuple[int, str]:
    """Sort numbers as numbers ("5+" after 4), anything else (not recorded) last."""
    digits = key.rstrip("+")
    return (int(digits), key) if digits.isdigit() else (10**9, key)


def skill_table(scope: q.Scope, k: int) -> list[tuple[str, int | None, int | None]]:
    """Return, per skill, learners assessed twice or more and those who gained."""
    rows = []
    for skill, (assessed, gained) in q.progress(scope)["by_skill"].items():
        rows.append(
            (
                skill,
                None if is_small(assessed, k) else assessed,
                None
                if is_small(assessed, k)
                or is_small(gained, k)
                or is_small(assessed - gained, k)
                else gained,
            )
        )
    return rows


def compute_all(scope: q.Scope, trend_from: date | None) -> None:
    """Compute every group of figures a full report shows, concurrently where the
    database allows it (`q.prefetch`); the functions below then read the results.
    The heaviest groups go first so that the threads finish together."""
    calls: list[tuple[Any, tuple[Any, ...]]] = []
    if trend_from is not None:
        calls.append((q.trend, (scope, q.months_between(trend_from, scope.end))))
    for group in (q.active_by_all, q.pairings, q.progress, q.practice, q.sessions,
                  q.enrolments, q.exams, q.outcomes):  # fmt: skip
        calls.append((group, (scope,)))
    q.prefetch(calls)


def monthly_trend(scope: q.Scope, k: int, first: date) -> dict[str, Any]:
    """Return the protected monthly series from `first` to the period's end."""
    months = q.months_between(first, scope.end)
    raw = q.trend(scope, months)
    governed = {
        "attempts": "practising",
        "sessions": "tutored",
        "tutoring_hours": "tutored",
    }
    series: dict[str, list[Any]] = {}
    for key, values in raw.items():
        people = raw[governed.get(key, key)]
        series[key] = [
            None
            if is_small(people[i], k)
            else (round(v, 1) if isinstance(v, float) else v)
            for i, v in enumerate(values)
        ]
    return {"months": months, "series": series}


_ENUMS: dict[str, Any] = {
    "public_category": PublicCategory,
    "sex": Sex,
    "age_band": AgeBand,
}
