"""Forms of sign-in, own account, volunteers' sign-up and learners' enrolment."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from tutoring.accounts.labels import (
    AGE_BAND_LABELS,
    GOAL_LABELS,
    PUBLIC_CATEGORY_LABELS,
    SEX_LABELS,
)
from tutoring.accounts.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    PasswordRejectedError,
    check_policy,
)
from tutoring.core.forms import MultiCheckboxField, options, strip_filter

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


SHARED_LABEL = _l("Je suis sur un ordinateur partagé")


SHARED_HELP = _l("Déconnexion automatique après 10 minutes sans activité.")


class LoginForm(FlaskForm):
    login = StringField(
        _l("Identifiant ou adresse e-mail"),
        validators=[
            DataRequired(message=_l("Indiquez votre identifiant ou votre e-mail.")),
            Length(max=254),
        ],
        filters=[strip_filter],
        render_kw={
            "autocomplete": "username",
            "autocapitalize": "none",
            "spellcheck": "false",
        },
    )
    password = PasswordField(
        _l("Mot de passe"),
        validators=[
            DataRequired(message=_l("Indiquez votre mot de passe.")),
            Length(max=1024),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    shared_device = BooleanField(SHARED_LABEL, description=SHARED_HELP)
    next = HiddenField()


class CardLoginForm(FlaskForm):
    code = StringField(
        _l("Code de ma carte"),
        validators=[
            DataRequired(message=_l("Tapez le code écrit sur votre carte.")),
            Length(max=40),
        ],
        description=_l("12 lettres et chiffres, par exemple K7M2-9QXD-F4TB."),
        render_kw={
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
        },
    )
    shared_device = BooleanField(SHARED_LABEL, description=SHARED_HELP)


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code à 6 chiffres ou code de secours"),
        validators=[DataRequired(message=_l("Indiquez le code.")), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )


class TutorSignupForm(FlaskForm):
    first_name = StringField(
        _l("Prénom"),
        validators=[DataRequired(message=_l("Indiquez votre prénom.")), Length(max=80)],
        filters=[strip_filter],
        render_kw={"autocomplete": "given-name"},
    )
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            DataRequired(message=_l("Indiquez votre adresse e-mail.")),
            Email(message=_l("Cette adresse e-mail n’est pas valide.")),
            Length(max=254),
        ],
        filters=[strip_filter],
        render_kw={"autocomplete": "email"},
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
        description=_l("Lettres sans accent, chiffres, point ou tiret."),
        render_kw={"autocomplete": "username", "autocapitalize": "none"},
    )
    password = new_password_field(_l("Mot de passe"))
    charter = BooleanField(
        _l("J’ai lu la charte du bénévole et je m’engage à la respecter"),
        validators=[
            DataRequired(
                message=_l("Vous devez accepter la charte pour devenir bénévole.")
            )
        ],
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Adresse e-mail"),
        validators=[
            DataRequired(message=_l("Indiquez votre adresse e-mail.")),
            Email(message=_l("Cette adresse e-mail n’est pas valide.")),
            Length(max=254),
        ],
        filters=[strip_filter],
        render_kw={"autocomplete": "email"},
    )


class ChoosePasswordForm(FlaskForm):
    password = new_password_field(_l("Nouveau mot de passe"))


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


class LearnerForm(FlaskForm):
    first_name = StringField(
        _l("Prénom"),
        validators=[DataRequired(message=_l("Indiquez le prénom.")), Length(max=80)],
        filters=[strip_filter],
        description=_l("Pour saluer la personne et l’identifier sur sa carte."),
    )
    last_name = StringField(
        _l("Nom (facultatif)"),
        validators=[Optional(), Length(max=80)],
        filters=[strip_filter],
        description=_l("Seulement si deux personnes ont le même prénom."),
    )
    phone = TelField(
        _l("Téléphone (facultatif)"),
        validators=[
            Optional(),
            Length(max=32),
            Regexp(
                r"^[0-9 +().-]{6,32}$",
                message=_l("Chiffres, espaces et « + » seulement."),
            ),
        ],
        filters=[strip_filter],
        description=_l("Pour prévenir la personne d’un rendez-vous de tutorat."),
    )
    email = EmailField(
        _l("Adresse e-mail (facultatif)"),
        validators=[
            Optional(),
            Email(message=_l("Cette adresse e-mail n’est pas valide.")),
            Length(max=254),
        ],
        filters=[strip_filter],
        description=_l("Pour pouvoir retrouver un mot de passe oublié."),
    )
    locale = SelectField(
        _l("Langue de l’interface"),
        description=_l(
            "La langue dans laquelle la personne verra le site et sa carte."
        ),
    )
    languages = MultiCheckboxField(
        _l("Langues parlées"),
        description=_l(
            "Pour proposer un tuteur ou une tutrice qui parle une langue commune."
        ),
    )
    public_category = RadioField(
        _l("Situation"),
        choices=options([(k.value, v) for k, v in PUBLIC_CATEGORY_LABELS.items()]),
        validators=[InputRequired(message=_l("Choisissez une situation."))],
        description=_l(
            "Demandé par l’État pour le bilan du CTAI, en chiffres anonymes. "
            "Aucun numéro de document n’est demandé."
        ),
    )
    arrival_year = IntegerField(
        _l("Année d’arrivée en France"),
        validators=[
            InputRequired(message=_l("Indiquez l’année d’arrivée.")),
            NumberRange(min=1950, max=2100, message=_l("Année invalide.")),
        ],
        description=_l("Pour le bilan : ancienneté en France, en années."),
        render_kw={"inputmode": "numeric"},
    )
    cir_signed_on = DateField(
        _l("Date de signature du CIR (facultatif)"),
        validators=[Optional()],
        description=_l("Pour situer la personne dans son parcours d’intégration."),
    )
    partner_id = SelectField(
        _l("Orienté·e par"),
        coerce=int,
        description=_l(
            "La structure qui a orienté la personne, pour le bilan du CTAI."
        ),
    )
    goal = RadioField(
        _l("Objectif de français"),
        choices=options([(k.value, v) for k, v in GOAL_LABELS.items()]),
        validators=[InputRequired(message=_l("Choisissez un objectif."))],
        description=_l(
            "Le niveau exigé pour le titre de séjour visé (dans les 4 compétences)."
        ),
    )
    sex = RadioField(
        _l("Sexe (facultatif)"),
        choices=options(
            [("", _l("Non renseigné"))] + [(k.value, v) for k, v in SEX_LABELS.items()]
        ),
        default="",
        validators=[Optional()],
        description=_l(
            "Facultatif, pour les indicateurs de l’État (chiffres anonymes)."
        ),
    )
    age_band = SelectField(
        _l("Tranche d’âge (facultatif)"),
        choices=options(
            [("", _l("Non renseignée"))]
            + [(k.value, v) for k, v in AGE_BAND_LABELS.items()]
        ),
        default="",
        validators=[Optional()],
        description=_l(
            "Une tranche suffit : la date de naissance n’est jamais demandée."
        ),
    )
    target_date = DateField(
        _l("Niveau nécessaire pour le (facultatif)"),
        validators=[Optional()],
        description=_l("Par exemple la date de fin du titre de séjour actuel."),
    )
    consent = BooleanField(
        _l(
            "La personne a été informée de l’usage de ses données (notice remise) et "
            "l’accepte"
        ),
        validators=[
            DataRequired(
                message=_l(
                    "L’inscription n’est possible qu’après information de la personne."
                )
            )
        ],
    )
    consent_on = DateField(
        _l("Date de l’information"),
        default=date.today,
        validators=[InputRequired(message=_l("Indiquez la date."))],
    )


class PartnerForm(FlaskForm):
    name = StringField(
        _l("Nom de la structure"),
        validators=[DataRequired(message=_l("Indiquez un nom.")), Length(max=120)],
        filters=[strip_filter],
    )


class EraseForm(FlaskForm):
    confirm = BooleanField(
        _l("Je confirme l’effacement définitif des données personnelles"),
        validators=[DataRequired(message=_l("Cochez la case pour confirmer."))],
    )
