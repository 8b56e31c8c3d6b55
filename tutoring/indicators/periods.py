"""Reading the period and filters asked for by the coordinator or the API."""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Mapping
from datetime import date

from flask_babel import gettext as _

from tutoring.accounts.profiles import PublicCategory
from tutoring.indicators.queries import Scope


class PeriodError(ValueError):
    """The period or a filter cannot be read; the message is for the user."""


def _day(text: str | None, message: str) -> date:
    try:
        return date.fromisoformat((text or "").strip())
    except ValueError:
        raise PeriodError(message) from None


def adapt(kind: str, value: str, today: date) -> str:
    """Fit a value written for another kind of period to `kind` (the type was
    switched and the field kept « 2026 »): the year it names, and this quarter or
    month of it when it is this year, else its first."""
    m = re.match(r"(\d{4})(?:-(?:T[1-4]|\d{2}))?$", value)
    if m is None:
        return value
    year = int(m[1])
    if kind == "year":
        return str(year)
    if kind == "quarter" and not re.fullmatch(r"\d{4}-T[1-4]", value):
        month = re.fullmatch(r"\d{4}-(\d{2})", value)
        if month and 1 <= int(month[1]) <= 12:
            return f"{year}-T{(int(month[1]) - 1) // 3 + 1}"
        return f"{year}-T{(today.month - 1) // 3 + 1 if year == today.year else 1}"
    if kind == "month" and not re.fullmatch(r"\d{4}-\d{2}", value):
        if quarter := re.fullmatch(r"\d{4}-T([1-4])", value):
            return f"{year}-{3 * int(quarter[1]) - 2:02d}"
        return f"{year}-{today.month if year == today.year else 1:02d}"
    return value


def bounds(
    kind: str, value: str | None, start: str | None, end: str | None
) -> tuple[date, date]:
    """Return the first and last day of a month, quarter, year or custom period."""
    value = adapt(kind, (value or "").strip(), date.today())
    if kind == "month" and (m := re.fullmatch(r"(\d{4})-(\d{2})", value)):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return date(year, month, 1), date(year, month, monthrange(year, month)[1])
    elif kind == "quarter" and (m := re.fullmatch(r"(\d{4})-T([1-4])", value)):
        year, first = int(m[1]), 3 * int(m[2]) - 2
        last = first + 2
        return date(year, first, 1), date(year, last, monthrange(year, last)[1])
    elif kind == "year" and re.fullmatch(r"\d{4}", value):
        return date(int(value), 1, 1), date(int(value), 12, 31)
    elif kind == "custom":
        return (
            _day(start, _("Date de début illisible : écrivez-la AAAA-MM-JJ.")),
            _day(end, _("Date de fin illisible : écrivez-la AAAA-MM-JJ.")),
        )
    raise PeriodError(
        _(
            "Période illisible : choisissez un mois (AAAA-MM), un trimestre (AAAA-T1 à T4), une année (AAAA) ou deux dates."
        )
    )


def scope_from(args: Mapping[str, str], max_days: int, partners: set[int]) -> Scope:
    """Build the scope from request arguments; raise PeriodError on bad input."""
    kind = args.get("period", "custom" if args.get("from") else "year")
    value = args.get("value") or (str(date.today().year) if kind == "year" else None)
    first, last = bounds(kind, value, args.get("from"), args.get("to"))
    if last < first:
        raise PeriodError(_("La date de fin précède la date de début."))
    if (last - first).days + 1 > max_days:
        raise PeriodError(_("Période trop longue : %(n)s jours au plus.", n=max_days))
    category = args.get("category") or None
    if category and category not in {c.value for c in PublicCategory}:
        raise PeriodError(_("Catégorie de public inconnue."))
    partner = args.get("partner") or None
    partner_id = None
    if partner:
        if not partner.isdigit() or int(partner) not in partners:
            raise PeriodError(_("Partenaire inconnu."))
        partner_id = int(partner)
    return Scope(first, last, category, partner_id)
