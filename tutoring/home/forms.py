"""Forms of the home feature: the language picker, « Mon parcours »."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from tutoring.accounts.access import is_safe_next
from tutoring.core.forms import InputForm, TextField, options
from tutoring.core.i18n import supported_locales


class LanguageForm(InputForm):
    """A language of the site and the page to go back to (a path of this site)."""

    lang = TextField()
    next = TextField()

    def locale(self) -> str | None:
        """The language chosen, when the site speaks it."""
        return self.lang.data if self.lang.data in supported_locales() else None

    def back_to(self, default: str) -> str:
        return self.next.data if is_safe_next(self.next.data) else default


YES_NO = [("yes", _l("Oui")), ("no", _l("Non")), ("", _l("Je ne sais pas"))]
CARD_LABELS = {
    "csp": _l("Carte de séjour pluriannuelle"),
    "cr": _l("Carte de résident"),
    "naturalisation": _l("Naturalisation"),
}
PROTECTION_LABELS = {
    "refugee": _l("Réfugié ou réfugiée"),
    "subsidiary": _l("Protection subsidiaire"),
    "stateless": _l("Apatride"),
    "none": _l("Aucune protection"),
}
CIVIC_LABELS = {
    "csp": _l("Examen civique « carte de séjour pluriannuelle »"),
    "cr": _l("Examen civique « carte de résident »"),
    "naturalisation": _l("Examen civique « naturalisation »"),
    "none": _l("Pas d’examen civique"),
}
LEVEL_NEEDED_LABELS = {
    "A2": "A2", "B1": "B1", "B2": "B2", "none": _l("Pas de niveau demandé"),
}  # fmt: skip


def _yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def _as_choice(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "") if value is not None else ""


class ParcoursForm(FlaskForm):
    """The « Mon parcours » questions; each may be answered « Je ne sais pas »."""

    card = RadioField(
        _l("Quel titre demandez-vous ?"),
        choices=options(list(CARD_LABELS.items()) + [("", _l("Je ne sais pas"))]),
        default="", validators=[Optional()],
    )  # fmt: skip
    schooling = RadioField(
        _l("Avez-vous fait 3 ans d’études au collège ou au lycée en France, ou 1 an "
           "d’études supérieures en France ?"),
        choices=options(YES_NO), default="", validators=[Optional()],
    )  # fmt: skip
    diploma = RadioField(
        _l("Avez-vous un diplôme français (brevet, CAP, BEP, baccalauréat…) ou un "
           "diplôme de français (DELF, DALF) ?"),
        choices=options(YES_NO), default="", validators=[Optional()],
    )  # fmt: skip
    protection = RadioField(
        _l("Avez-vous une protection ?"),
        choices=options(list(PROTECTION_LABELS.items()) + [("", _l("Je ne sais pas"))]),
        default="", validators=[Optional()],
    )  # fmt: skip
    over_65 = RadioField(
        _l("Avez-vous plus de 65 ans ?"),
        choices=options(YES_NO), default="", validators=[Optional()],
    )  # fmt: skip

    def fill(self, row: Any, situation: Any) -> None:
        """Show the stored answers (or what the profile says)."""
        self.card.data = situation.card.value if situation.card else ""
        self.protection.data = (row.protection if row else None) or ""
        self.schooling.data = _as_choice(row.schooling if row else None)
        self.diploma.data = _as_choice(row.diploma if row else None)
        self.over_65.data = _as_choice(situation.over_65)

    def answers(self) -> dict[str, Any]:
        return {
            "card": self.card.data or None,
            "protection": self.protection.data or None,
            "schooling": _yes_no(self.schooling.data),
            "diploma": _yes_no(self.diploma.data),
            "over_65": _yes_no(self.over_65.data),
        }


class ParcoursOverrideForm(FlaskForm):
    """A referent's correction of the « Mon parcours » result, shown to the learner."""

    level = SelectField(
        _l("Niveau de français demandé"),
        choices=options([("", _l("Comme calculé"))] + list(LEVEL_NEEDED_LABELS.items())),
        default="", validators=[Optional()],
    )  # fmt: skip
    civic = SelectField(
        _l("Examen civique"),
        choices=options([("", _l("Comme calculé"))] + list(CIVIC_LABELS.items())),
        default="", validators=[Optional()],
    )  # fmt: skip
    note = TextAreaField(
        _l("Note pour l’apprenant"),
        description=_l("L’apprenant la lit sur sa page « Mon parcours »."),
        validators=[Optional(), Length(max=500)],
    )
