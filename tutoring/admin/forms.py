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

from tutoring.api.scopes import SCOPE_GROUPS
from tutoring.forms import options, strip_filter
from tutoring.learners.forms import MultiCheckboxField
from tutoring.models import Role

ROLE_LABELS = {
    Role.LEARNER: _l("Apprenant·e"),
    Role.TUTOR: _l("Tuteur ou tutrice bénévole"),
    Role.REFERENT: _l("Référent·e de l’association"),
    Role.COORDINATOR: _l("Coordination CTAI"),
    Role.ADMIN: _l("Administration technique"),
}
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


AUDIT_LABELS = {
    "calendar_feed_created": _l("adresse d’agenda créée"),
    "voice_approved": _l("enregistrement de voix approuvé"),
    "account_created": _l("compte créé"),
    "tutor_approved": _l("bénévole validé·e"),
    "tutor_declined": _l("bénévole refusé·e"),
    "roles_changed": _l("rôles modifiés"),
    "structure_changed": _l("structure modifiée"),
    "account_enabled": _l("compte réactivé"),
    "account_disabled": _l("compte désactivé"),
    "password_changed": _l("mot de passe modifié"),
    "password_link_created": _l("lien de mot de passe créé"),
    "login_card_issued": _l("carte de connexion imprimée"),
    "login_card_revoked": _l("carte de connexion désactivée"),
    "two_factor_enabled": _l("double authentification activée"),
    "two_factor_disabled": _l("double authentification désactivée"),
    "recovery_codes_renewed": _l("codes de secours renouvelés"),
    "data_exported": _l("données exportées"),
    "erasure_requested": _l("effacement demandé"),
    "learner_erased": _l("apprenant·e effacé·e"),
    "api_token_created": _l("jeton d’API créé"),
    "api_token_revoked": _l("jeton d’API révoqué"),
}


def role_label(value: str) -> str:
    return str(ROLE_LABELS.get(Role(value), value))


def audit_label(action: str) -> str:
    return str(AUDIT_LABELS.get(action, action))
