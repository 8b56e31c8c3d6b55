"""Forms of the learning feature: homework from the bank, a level obtained elsewhere."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    Optional,
)

from tutoring.core.forms import options, strip_filter

SOURCE_LABELS = {
    "ofii": _l("Test de positionnement de l’OFII"),
    "tcf": _l("TCF"),
    "tef": _l("TEF"),
    "delf": _l("DELF"),
    "other": _l("Autre évaluation"),
}


class ExternalLevelForm(FlaskForm):
    source = SelectField(_l("Évaluation"), choices=options(list(SOURCE_LABELS.items())))
    skill = SelectField(
        _l("Compétence"),
        choices=options(
            [
                ("", _l("Les quatre compétences")),
                ("CO", _l("Comprendre à l’oral")),
                ("CE", _l("Comprendre à l’écrit")),
                ("EE", _l("Écrire")),
                ("EO", _l("Parler")),
            ]
        ),  # fmt: skip
        default="",
        validators=[Optional()],
    )
    level = SelectField(
        _l("Niveau obtenu"),
        choices=options([(lvl, lvl) for lvl in ("A1.1", "A1", "A2", "B1", "B2")]),
    )
    taken_on = DateField(
        _l("Date de l’évaluation"),
        validators=[InputRequired(message=_l("Indiquez la date."))],
    )


class AssignForm(FlaskForm):
    learner_id = SelectField(_l("Apprenant ou apprenante"), coerce=int)
    title = StringField(
        _l("Titre du devoir"),
        validators=[DataRequired(message=_l("Indiquez un titre.")), Length(max=120)],
        filters=[strip_filter],
        description=_l("Par exemple : « Lire une ordonnance »."),
    )
    due_on = DateField(
        _l("À faire pour le"),
        validators=[InputRequired(message=_l("Indiquez une date."))],
    )
