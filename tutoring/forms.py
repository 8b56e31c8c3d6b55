"""Fields and checks shared by several blueprints' forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, PasswordField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from tutoring.services.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    PasswordRejectedError,
    check_policy,
)

PASSWORD_MESSAGES = {
    "short": _l("Choisissez au moins %(n)s caractères.", n=MIN_LENGTH),
    "long": _l("Le mot de passe ne peut pas dépasser %(n)s caractères.", n=MAX_LENGTH),
    "common": _l(
        "Ce mot de passe est trop courant : choisissez-en un autre, par exemple une phrase."
    ),
}


def password_policy(form: Any, field: Field) -> None:
    """WTForms validator applying the password policy (length and common list)."""
    try:
        check_policy(field.data or "")
    except PasswordRejectedError as exc:
        raise ValidationError(str(PASSWORD_MESSAGES[exc.reason])) from exc


def new_password_field(label: Any) -> PasswordField:
    return PasswordField(
        label,
        validators=[
            DataRequired(message=_l("Indiquez un mot de passe.")),
            password_policy,
        ],
        description=_l(
            "Au moins 12 caractères, sans autre règle : une phrase facile à retenir "
            "convient très bien."
        ),
        render_kw={"autocomplete": "new-password", "maxlength": MAX_LENGTH},
    )


def strip_filter(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token."""


def options(pairs: Any) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]
