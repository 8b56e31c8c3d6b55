"""What an API token may read: groups of indicators, chosen by an admin."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tutoring.indicators.definitions import BY_NAME, DEFINITIONS
from tutoring.indicators.report import SECTIONS, TREND_SERIES

TREND = "trend"


SCOPE_GROUPS: tuple[tuple[str, Any], ...] = (
    *SECTIONS,
    (TREND, _l("Séries mensuelles")),
)


# GET /indicators/enrolments: enrolments by public category (and approved tutors).
ENROLMENTS_GROUP = "beneficiaries"


def group_of(name: str) -> str | None:
    """The scope group of an indicator name served by the API (None: unknown)."""
    if name in BY_NAME:
        return BY_NAME[name].group
    if name.startswith("beneficiaries.active_by."):
        return "beneficiaries"
    if name.startswith(f"{TREND}."):
        return TREND
    return None


def group_contents() -> dict[str, list[str]]:
    """The labels of the indicators each group gives access to, for the admin."""
    contents: dict[str, list[str]] = {key: [] for key, _title in SCOPE_GROUPS}
    for definition in DEFINITIONS:
        contents[definition.group].append(str(definition.label))
    contents["beneficiaries"].append(
        _(
            "Apprenants actifs par situation, sexe, tranche d’âge, partenaire et ancienneté d’arrivée ; inscriptions par situation"
        )
    )
    contents[TREND] = [str(label) for _key, label in TREND_SERIES]
    return contents
