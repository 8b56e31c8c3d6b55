"""Form of the learners' outcomes recorded by referents."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectField,
)
from wtforms.validators import (
    InputRequired,
    Optional,
)

from tutoring.core.forms import options

OUTCOME_LABELS = {
    "certification": _l("Certification de français obtenue (TCF, TEF, DELF…)"),
    "civic_exam": _l("Examen civique réussi"),
    "residence_card": _l("Titre de séjour obtenu (carte pluriannuelle ou de résident)"),
}

CERTIFICATE_LABELS = {
    "test": _l("Test (TCF IRN, TEF IRN)"),
    "diploma": _l("Diplôme (DELF, DALF, brevet, CAP…)"),
}


class OutcomeForm(FlaskForm):
    kind = SelectField(_l("Résultat"), choices=options(list(OUTCOME_LABELS.items())))
    level = SelectField(
        _l("Niveau certifié"),
        description=_l("Seulement pour une certification de français."),
        choices=options(
            [("", _l("Sans objet"))]
            + [(lvl, lvl) for lvl in ("A1", "A2", "B1", "B2", "C1", "C2")]
        ),
        default="",
        validators=[Optional()],
    )
    certificate = SelectField(
        _l("Test ou diplôme"),
        description=_l("Seulement pour une certification de français : un test "
                       "compte deux ans, un diplôme ne périme pas."),
        choices=options(list(CERTIFICATE_LABELS.items())),
        default="test",
        validators=[Optional()],
    )
    obtained_on = DateField(
        _l("Date d’obtention"),
        validators=[InputRequired(message=_l("Indiquez la date."))],
    )

    def outcome(self) -> dict[str, Any]:
        """The fields `outcomes.record_outcome` takes."""
        return {
            "kind": self.kind.data, "obtained_on": self.obtained_on.data,
            "level": self.level.data or None,
            "certificate": self.certificate.data or None,
        }  # fmt: skip
