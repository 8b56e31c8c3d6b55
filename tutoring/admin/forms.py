"""Forms of the administration pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, RadioField, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    Email,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from tutoring.accounts.forms import RefusableForm, filled
from tutoring.accounts.labels import AUDIT_LABELS, ROLE_LABELS
from tutoring.accounts.models import Role, Structure, User
from tutoring.core.forms import MultiCheckboxField, options, strip_filter
from tutoring.indicators.scopes import SCOPE_GROUPS

STAFF_ROLES = [Role.TUTOR, Role.REFERENT, Role.COORDINATOR, Role.ADMIN]


ACCOUNT_ERRORS: dict[str, Any] = {
    "username_taken": _l("Cet identifiant est déjà pris."),
    "email_taken": _l("Un compte existe déjà avec cette adresse e-mail."),
    "structure_required": _l("Un·e référent·e doit être rattaché·e à une structure."),
    "cannot_drop_own_admin": _l(
        "Vous ne pouvez pas retirer votre propre rôle d’administration."
    ),
    "cannot_disable_self": _l("Vous ne pouvez pas désactiver votre propre compte."),
}


class StructureChoiceForm(RefusableForm):
    """An account's structure (a `structure_id` field, declared where the page shows
    it), chosen among all of them, or none (0); and its roles."""

    reasons: ClassVar[dict[str, Any]] = ACCOUNT_ERRORS

    def __init__(
        self, *args: Any, structures: Iterable[Structure], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.structures = {s.id: s for s in structures}
        self.structure_id.choices = options(
            [(0, _("Aucune"))] + [(i, s.name) for i, s in self.structures.items()]
        )

    def structure(self) -> Structure | None:
        return self.structures.get(self.structure_id.data or 0)

    def structure_chosen(self) -> int | None:
        return self.structure_id.data or None

    def roles_chosen(self) -> list[Role]:
        return [Role(r) for r in self.roles.data or []]


class StaffForm(StructureChoiceForm):
    default_field = "username"

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

    def staff(self) -> dict[str, Any]:
        """What `users.create_staff` takes, but who creates the account."""
        return {
            "username": filled(self.username.data), "email": self.email.data or None,
            "first_name": filled(self.first_name.data),
            "last_name": self.last_name.data, "roles": self.roles_chosen(),
            "structure": self.structure(),
        }  # fmt: skip


class RolesForm(StructureChoiceForm):
    default_field = "roles"
    structure_id = SelectField(_l("Structure"), coerce=int)
    roles = MultiCheckboxField(
        _l("Rôles"),
        choices=options([(r.value, ROLE_LABELS[r]) for r in Role]),
        validators=[DataRequired(message=_l("Choisissez au moins un rôle."))],
    )

    def load(self, user: User) -> None:
        """Show the account's roles and structure."""
        self.roles.data = [r.value for r in user.roles]
        self.structure_id.data = user.structure_id or 0


class StructureForm(RefusableForm):
    reasons: ClassVar[dict[str, Any]] = {
        "structure_exists": _l("Cette structure existe déjà.")
    }
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


class AuditFilterForm(FlaskForm):
    """The journal's filters, read from the address (no CSRF: nothing changes)."""

    class Meta:
        csrf = False

    action = SelectField(_l("Type d’événement"), choices=[], default="")
    person = StringField(
        _l("Personne (identifiant)"),
        filters=[strip_filter],
        validators=[Optional(), Length(max=80, message=_l("80 caractères au plus."))],
        description=_l("L’auteur ou le compte concerné."),
    )
    since = DateField(_l("Du"), validators=[Optional()])
    until = DateField(_l("Au"), validators=[Optional()])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action.choices = options(
            [("", _("Tous")), *sorted(
                ((key, str(label)) for key, label in AUDIT_LABELS.items()),
                key=lambda c: c[1],
            )]
        )  # fmt: skip

    def validate_until(self, field: Any) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError(_("La date de fin précède la date de début."))
