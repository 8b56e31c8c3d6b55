"""Forms of the administration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from tutoring.accounts.labels import ROLE_LABELS
from tutoring.accounts.models import Role
from tutoring.core.forms import MultiCheckboxField, options, strip_filter
from tutoring.indicators.scopes import SCOPE_GROUPS

STAFF_ROLES = [Role.TUTOR, Role.REFERENT, Role.COORDINATOR, Role.ADMIN]


class StaffForm(FlaskForm):
    first_name = StringField(
        _l("Prénom"),
        validators=[DataRequired(message=_l("Indiquez le prénom.")), Length(max=80)],
        filters=[strip_filter],
    )
    last_name = StringField(
        _l("Nom (facultatif)"),
        validators=[Optional(), Length(max=80)],
        filters=[strip_filter],
    )
    username = StringField(
        _l("Identifiant"),
        validators=[
            DataRequired(message=_l("Choisissez un identifiant.")),
            Length(min=3, max=32, message=_l("Entre 3 et 32 caractères.")),
            Regexp(
                r"^[a-zA-Z0-9._-]+$",
                message=_l("Lettres sans accent, chiffres, point, tiret ou tiret bas."),
            ),
        ],
        filters=[strip_filter],
    )
    email = EmailField(
        _l("Adresse e-mail (facultatif)"),
        validators=[
            Optional(),
            Email(message=_l("Cette adresse e-mail n’est pas valide.")),
            Length(max=254),
        ],
        filters=[strip_filter],
    )
    structure_id = SelectField(_l("Structure"), coerce=int)
    roles = MultiCheckboxField(
        _l("Rôles"),
        choices=options([(r.value, ROLE_LABELS[r]) for r in STAFF_ROLES]),
        validators=[DataRequired(message=_l("Choisissez au moins un rôle."))],
    )


class RolesForm(FlaskForm):
    structure_id = SelectField(_l("Structure"), coerce=int)
    roles = MultiCheckboxField(
        _l("Rôles"),
        choices=options([(r.value, ROLE_LABELS[r]) for r in Role]),
        validators=[DataRequired(message=_l("Choisissez au moins un rôle."))],
    )


class StructureForm(FlaskForm):
    name = StringField(
        _l("Nom de la structure"),
        validators=[DataRequired(message=_l("Indiquez un nom.")), Length(max=120)],
        filters=[strip_filter],
    )


class ApiTokenForm(FlaskForm):
    name = StringField(
        _l("Nom du jeton"),
        validators=[DataRequired(message=_l("Indiquez un nom.")), Length(max=80)],
        filters=[strip_filter],
        description=_l("Par exemple : module de coordination CTAI."),
    )
    access = RadioField(
        _l("Indicateurs que le jeton permet de lire"),
        choices=options(
            [
                ("all", _l("Tous les indicateurs, y compris ceux ajoutés plus tard")),
                ("some", _l("Seulement les groupes cochés ci-dessous")),
            ]
        ),
        default="all",
    )
    groups = MultiCheckboxField(
        _l("Groupes d’indicateurs"),
        choices=options(SCOPE_GROUPS),
        default=[],
    )

    def validate_groups(self, field: MultiCheckboxField) -> None:
        if self.access.data == "some" and not field.data:
            raise ValidationError(
                _l(
                    "Cochez au moins un groupe d’indicateurs, ou choisissez « Tous les indicateurs »."
                )
            )

    def scope(self) -> list[str] | None:
        """The scope to store: None for every indicator, else the groups chosen."""
        if self.access.data == "all":
            return None
        chosen = set(self.groups.data or [])
        return [key for key, _title in SCOPE_GROUPS if key in chosen]
