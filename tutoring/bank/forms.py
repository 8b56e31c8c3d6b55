"""Form to assign homework."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length

from tutoring.forms import strip_filter


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
