"""The coordinator's tables, labelled in the reader's language, shared by the page,
the CSV and XLSX exports, the annual report and its PDF."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from flask import current_app
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from exercises.model import SKILLS
from tutoring.accounts.labels import AGE_BAND_LABELS, PUBLIC_CATEGORY_LABELS, SEX_LABELS
from tutoring.accounts.models import Partner
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.core.i18n import format_date
from tutoring.core.labels import SKILL_LABELS
from tutoring.indicators import definitions
from tutoring.indicators import queries as q
from tutoring.indicators.definitions import BY_NAME, DAYS, HOURS, RATE
from tutoring.indicators.queries import Scope

SECTIONS = (
    ("beneficiaries", _l("Bénéficiaires")),
    ("sessions", _l("Tutorat")),
    ("pairings", _l("Jumelages et liste d’attente")),
    ("practice", _l("Entraînement numérique")),
    ("progress", _l("Progression")),
    ("exams", _l("Examens blancs")),
    ("outcomes", _l("Résultats enregistrés par les référents")),
)


KEY_FIGURES = (
    "beneficiaries.active",
    "beneficiaries.new",
    "tutoring.hours",
    "practice.attempts",
)


TREND_SERIES = (
    ("active", _l("Apprenants actifs")),
    ("new", _l("Nouvelles inscriptions")),
    ("sessions", _l("Séances réalisées")),
    ("tutoring_hours", _l("Heures de tutorat reçues")),
    ("attempts", _l("Exercices faits")),
)


YEARS_LABELS = {
    "0": _l("Arrivée dans l’année"),
    "1": _l("1 an"),
    "2": _l("2 ans"),
    "3": _l("3 ans"),
    "4": _l("4 ans"),
    "5+": _l("5 ans ou plus"),
}


@dataclass
class Row:
    label: str
    value: str
    anchor: str | None = None  # the definition this figure links to
    number: float | None = None  # the figure itself, None when hidden or absent
    unit: str = definitions.PEOPLE


@dataclass
class Table:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    total: Row | None = None


@dataclass
class Report:
    scope: Scope
    k: int
    key_figures: list[Row]
    tables: list[Table]
    breakdowns: list[Table]
    skills: list[tuple[str, str, str]]
    months: list[date]
    trend: dict[str, list[Any]]


def anchor(name: str) -> str:
    return "def-" + name.replace(".", "-")


def shown(value: Any, k: int, unit: str = definitions.PEOPLE) -> str:
    """Format a value for reading; a hidden one reads '< k'."""
    if value is None:
        return f"< {k}"
    if unit == RATE:
        return str(format_percent(value))
    if unit in (HOURS, DAYS):
        return str(format_decimal(value, format="#,##0.0"))
    return str(format_decimal(value))


def _figure_row(figure: definitions.Figure, k: int) -> Row:
    definition = figure.definition
    if figure.value is None and not figure.hidden:
        value = "—"  # nothing to measure (no homework due, nobody paired…)
    else:
        value = shown(figure.value, k, definition.unit)
    return Row(
        str(definition.label), value, anchor(definition.name),
        number=figure.value, unit=definition.unit,
    )  # fmt: skip


def rule(k: int) -> str:
    return str(
        _(
            "Secret statistique : tout effectif de 1 à %(n)s personnes est remplacé par « < %(k)s », de même qu’un autre effectif lorsqu’un total ou la différence entre deux chiffres publiés permettrait de le retrouver ; une somme ou une médiane portant sur moins de %(k)s personnes est masquée elle aussi.",
            n=k - 1,
            k=k,
        )
    )


SYNTHETIC_PREFIX = "syn-"  # the pseudonym of a learner made up by `flask demo generate`


def synthetic_present() -> bool:
    """Does the database hold made-up learners (a demonstration)?"""
    return (
        db.session.scalar(
            select(LearnerProfile.id)
            .where(LearnerProfile.pseudonym.startswith(SYNTHETIC_PREFIX))
            .limit(1)
        )
        is not None
    )


def partner_names() -> dict[int, str]:
    rows = db.session.execute(select(Partner.id, Partner.name)).all()
    return {int(i): str(n) for i, n in rows}


def _breakdowns(scope: Scope, k: int) -> list[Table]:
    partners = {str(i): n for i, n in partner_names().items()}
    labelled = (
        ("public_category", _("Apprenants actifs par situation"),
         {c.value: str(v) for c, v in PUBLIC_CATEGORY_LABELS.items()}),
        ("sex", _("Apprenants actifs par sexe"), {c.value: str(v) for c, v in SEX_LABELS.items()}),
        ("age_band", _("Apprenants actifs par tranche d’âge"),
         {c.value: str(v) for c, v in AGE_BAND_LABELS.items()}),
        ("partner_id", _("Apprenants actifs par partenaire prescripteur"), partners),
        ("years_since_arrival", _("Apprenants actifs par ancienneté d’arrivée en France"),
         {key: str(v) for key, v in YEARS_LABELS.items()}),
    )  # fmt: skip
    tables = []
    margins = q.active_by_all(scope)
    for dimension, title, labels in labelled:
        cells, total = definitions.breakdown(scope, dimension, k, margins[dimension])
        table = Table(dimension, title)
        for cell in cells:
            label = labels.get(cell.key) or _("Non renseigné")
            table.rows.append(Row(label, shown(cell.value, k), number=cell.value))
        table.total = Row(
            _("Total"), shown(total, k), anchor("beneficiaries.active"), number=total
        )
        tables.append(table)
    return tables


def build(scope: Scope, k: int, with_trend: bool = True) -> Report:
    """Compute every table of the coordinator for `scope`."""
    first = date.fromisoformat(current_app.config["CTAI_START"])
    trend_from = min(first, scope.start) if with_trend else None
    definitions.compute_all(scope, trend_from)
    figures = definitions.figures(scope, k)
    tables = []
    for group, title in SECTIONS:
        table = Table(group, str(title))
        for name, figure in figures.items():
            if BY_NAME[name].group == group:
                table.rows.append(_figure_row(figure, k))
        tables.append(table)
    skills = [
        (
            str(SKILL_LABELS.get(skill, skill)),
            shown(assessed, k),
            shown(gained, k),
        )
        for skill, assessed, gained in definitions.skill_table(scope, k)
    ]
    months: list[date] = []
    trend: dict[str, list[Any]] = {}
    if trend_from is not None:
        data = definitions.monthly_trend(scope, k, trend_from)
        months, trend = data["months"], data["series"]
    return Report(
        scope=scope,
        k=k,
        key_figures=[_figure_row(figures[n], k) for n in KEY_FIGURES],
        tables=tables,
        breakdowns=_breakdowns(scope, k),
        skills=skills,
        months=months,
        trend=trend,
    )


def period_label(scope: Scope) -> str:
    return str(
        _(
            "du %(start)s au %(end)s",
            start=format_date(scope.start, "long"),
            end=format_date(scope.end, "long"),
        )
    )


def report_title(scope: Scope) -> str:
    """The title fitting the period: annual only for a calendar year."""
    start, end = scope.start, scope.end
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    if whole_months and months == 12 and start.month == 1:
        return str(_("Bilan annuel du CTAI — action 1"))
    if whole_months and months == 3 and start.month in (1, 4, 7, 10):
        return str(_("Bilan trimestriel du CTAI — action 1"))
    if whole_months and months == 1:
        return str(_("Bilan mensuel du CTAI — action 1"))
    return str(_("Bilan du CTAI — action 1"))


def filters_label(scope: Scope) -> str:
    """The filters of the report, said in words (both, even when none is set)."""
    if scope.category:
        labels = {c.value: str(v) for c, v in PUBLIC_CATEGORY_LABELS.items()}
        public = labels.get(scope.category, scope.category)
    else:
        public = str(_("tous les publics"))
    if scope.partner_id:
        partner = partner_names().get(scope.partner_id, str(scope.partner_id))
    else:
        partner = str(_("tous les partenaires"))
    return str(
        _("Public : %(public)s ; partenaire prescripteur : %(partner)s.",
          public=public, partner=partner)
    )  # fmt: skip


def synthetic_note() -> str | None:
    """What to say when the figures come from made-up learners."""
    if not synthetic_present():
        return None
    return str(
        _(
            "Données de démonstration : ces chiffres portent sur une population "
            "synthétique (apprenants inventés), pas sur des personnes réelles."
        )
    )


def month_label(month: date) -> str:
    return str(format_date(month, "MMM yyyy"))


def trend_rows(report: Report) -> list[tuple[str, list[str]]]:
    """Return (month, values) rows of the monthly table, hidden values as '< k'."""
    rows = []
    for i, month in enumerate(report.months):
        values = []
        for key, _label in TREND_SERIES:
            unit = HOURS if key == "tutoring_hours" else definitions.PEOPLE
            values.append(shown(report.trend[key][i], report.k, unit))
        rows.append((month_label(month), values))
    return rows


__all__ = ["SKILLS", "Report", "build", "rule", "shown"]
