"""Forms of the account pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from tutoring.forms import new_password_field


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    password = new_password_field(_l("Nouveau mot de passe"))


class EnableTwoFactorForm(FlaskForm):
    code = StringField(
        _l("Code à 6 chiffres affiché par l’application"),
        validators=[DataRequired(message=_l("Indiquez le code.")), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class ErasureRequestForm(FlaskForm):
    confirm = BooleanField(
        _l("Je demande l’effacement de mon compte et de mes données"),
        validators=[DataRequired(message=_l("Cochez la case pour confirmer."))],
    )
