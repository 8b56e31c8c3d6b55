"""Forms of sign-in, own account, volunteers' sign-up and learners' enrolment."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar

from flask_babel import gettext as _
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

from tutoring.accounts.enrolment import LearnerData, date_problems
from tutoring.accounts.labels import (
    AGE_BAND_LABELS,
    GOAL_LABELS,
    PUBLIC_CATEGORY_LABELS,
    SEX_LABELS,
)
from tutoring.accounts.models import Partner
from tutoring.accounts.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    PasswordRejectedError,
    check_policy,
)
from tutoring.accounts.profiles import (
    AgeBand,
    FrenchGoal,
    LearnerProfile,
    PublicCategory,
    Sex,
)
from tutoring.accounts.users import AccountError, SignupRequest
from tutoring.core.forms import MultiCheckboxField, options, strip_filter
from tutoring.core.i18n import (
    SPOKEN_LANGUAGES,
    language_name,
    native_name,
    supported_locales,
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


def filled(value: str | None) -> str:
    """The value of a required field, once the form is valid."""
    assert value is not None
    return value


class RefusableForm(FlaskForm):
    """A form whose data an account service may refuse (`AccountError`): `refuse`
    writes the reason under the field concerned."""

    reasons: ClassVar[dict[str, Any]] = {}
    fallback: ClassVar[str | None] = None  # the reason given for an unknown code
    default_field: ClassVar[str | None] = None  # for an error that names no field

    def refuse(self, exc: AccountError) -> str | None:
        """Show the reason under its field; return it when no field takes it."""
        code = exc.code if exc.code in self.reasons else self.fallback or exc.code
        reason = str(self.reasons[code])
        name = exc.field if exc.field and exc.field in self else self.default_field
        if name is None:
            return reason
        self[name].errors = [*self[name].errors, reason]
        return None


SHARED_LABEL = _l("Je suis sur un ordinateur partagé")


SHARED_HELP = _l("Déconnexion automatique après 10 minutes sans activité.")


SHARED_HERE = _l(
    "Cet ordinateur est un poste partagé de la structure. Déconnexion automatique "
    "après 10 minutes sans activité."
)


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

    def credentials(self) -> tuple[str, str]:
        return filled(self.login.data), filled(self.password.data)


# A code typed from a card or a screen: capitals, never remembered or corrected.
CODE_INPUT = {"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}


class CardLoginForm(FlaskForm):
    code = StringField(
        _l("Code de ma carte"),
        validators=[
            DataRequired(message=_l("Tapez le code écrit sur votre carte.")),
            Length(max=40),
        ],
        description=_l("12 lettres et chiffres, par exemple K7M2-9QXD-F4TB."),
        render_kw=dict(CODE_INPUT),
    )
    shared_device = BooleanField(SHARED_LABEL, description=SHARED_HELP)


class SharedComputerForm(FlaskForm):
    """A referent declares the computer they are using as a shared one."""

    label = StringField(
        _l("Nom de ce poste"),
        validators=[
            DataRequired(message=_l("Donnez un nom à ce poste.")),
            Length(max=80),
        ],
        filters=[strip_filter],
        description=_l("Par exemple : MESA – poste 3."),
        render_kw={"autocomplete": "off"},
    )


class HandoffForm(FlaskForm):
    """On the phone: the code shown by the shared computer (filled in by the QR
    code's address, or typed)."""

    code = StringField(
        _l("Code affiché sur l’ordinateur"),
        validators=[
            DataRequired(message=_l("Tapez le code affiché sur l’ordinateur.")),
            Length(max=40),
        ],
        description=_l("8 lettres et chiffres, par exemple K7M2-9QXD."),
        render_kw=dict(CODE_INPUT),
    )
    shared_device = BooleanField(SHARED_LABEL, description=SHARED_HELP)


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code à 6 chiffres ou code de secours"),
        validators=[DataRequired(message=_l("Indiquez le code.")), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "text"},
    )


class TutorSignupForm(FlaskForm):
    """The first step of a volunteer's sign-up; the rest goes on by e-mail."""

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
    charter = BooleanField(
        _l("J’ai lu la charte du bénévole et je m’engage à la respecter"),
        validators=[
            DataRequired(
                message=_l("Vous devez accepter la charte pour devenir bénévole.")
            )
        ],
    )

    def signup(self, locale: str) -> SignupRequest:
        """What `users.start_tutor_signup` takes."""
        return SignupRequest(
            email=filled(self.email.data).lower(),
            first_name=filled(self.first_name.data),
            locale=locale,
        )


class FinishSignupForm(FlaskForm):
    password = new_password_field(_l("Mot de passe"))


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


class ChangePasswordForm(RefusableForm):
    reasons: ClassVar[dict[str, Any]] = {
        "wrong_password": _l("Le mot de passe actuel est incorrect."),
        "card_code_needed": _l(
            "Pour choisir un mot de passe, tapez le code écrit sur votre carte."
        ),
        "wrong_card_code": _l("Ce code n’est pas celui de votre carte."),
    }

    current_password = PasswordField(
        _l("Mot de passe actuel"),
        validators=[Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )
    card_code = StringField(
        _l("Code de ma carte"),
        validators=[Length(max=40)],
        description=_l("12 lettres et chiffres, par exemple K7M2-9QXD-F4TB."),
        render_kw=dict(CODE_INPUT),
    )
    password = new_password_field(_l("Nouveau mot de passe"))


class EnableTwoFactorForm(RefusableForm):
    reasons: ClassVar[dict[str, Any]] = {
        "wrong_code": _l(
            "Ce code ne correspond pas. Vérifiez l’heure de votre téléphone "
            "et tapez le code affiché maintenant."
        )
    }

    code = StringField(
        _l("Code à 6 chiffres affiché par l’application"),
        validators=[DataRequired(message=_l("Indiquez le code.")), Length(max=12)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


def proof_field(field_id: str) -> PasswordField:
    return PasswordField(
        _l("Votre mot de passe ou le code à 6 chiffres de l’application"),
        validators=[
            DataRequired(
                message=_l("Tapez votre mot de passe ou le code de l’application.")
            ),
            Length(max=1024),
        ],
        id=field_id,  # both forms share the account page
        render_kw={"autocomplete": "current-password"},
    )


class TwoFactorProofForm(RefusableForm):
    """Proof asked before two-factor is weakened: turned off, or its recovery codes
    renewed (the password, or a fresh code of the app)."""

    reasons: ClassVar[dict[str, Any]] = {
        "wrong_proof": _l("Ce mot de passe ou ce code est incorrect.")
    }
    proof: PasswordField


class TwoFactorOffForm(TwoFactorProofForm):
    proof = proof_field("proof-off")


class RenewCodesForm(TwoFactorProofForm):
    proof = proof_field("proof-renew")


class ErasureRequestForm(FlaskForm):
    confirm = BooleanField(
        _l("Je demande l’effacement de mon compte et de mes données"),
        validators=[DataRequired(message=_l("Cochez la case pour confirmer."))],
    )


class LearnerForm(RefusableForm):
    """A learner's enrolment; the choices of partners are the structure's own."""

    reasons: ClassVar[dict[str, Any]] = {
        "email_taken": _l("Un compte existe déjà avec cette adresse e-mail."),
        "unknown_partner": _l("Choisissez une structure de la liste."),
        "arrival_year_range": _l(
            "L’année doit être comprise entre 1950 et cette année."
        ),
        "date_range": _l("Cette date n’est pas plausible."),
        "structure_required": _l(
            "Votre compte n’est rattaché à aucune structure : "
            "demandez-le à l’administrateur."
        ),
    }
    fallback = "date_range"

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

    def __init__(self, *args: Any, partners: Iterable[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.locale.choices = options(
            (code, native_name(code)) for code in supported_locales()
        )
        self.languages.choices = options(
            sorted(
                ((code, language_name(code)) for code in SPOKEN_LANGUAGES),
                key=lambda c: c[1],
            )
        )
        self.partner_id.choices = options(
            [(0, _("Non renseigné"))] + [(p.id, p.name) for p in partners]
        )

    def validate(self, extra_validators: Any = None) -> bool:
        """Check the fields, then every date against today, so that all the errors
        show on the first submit."""
        valid = super().validate(extra_validators)
        problems = date_problems(
            date.today(),
            self.arrival_year.data if not self.arrival_year.errors else None,
            self.cir_signed_on.data if not self.cir_signed_on.errors else None,
            self.consent_on.data if not self.consent_on.errors else None,
            self.target_date.data if not self.target_date.errors else None,
        )
        for name, reason in problems.items():
            self[name].errors = [*self[name].errors, str(self.reasons[reason])]
        return valid and not problems

    def load(self, profile: LearnerProfile) -> None:
        """Show what is recorded of the learner."""
        user = profile.user
        assert user is not None
        self.first_name.data = user.first_name
        self.last_name.data = user.last_name
        self.phone.data = user.phone
        self.email.data = user.email
        self.locale.data = user.locale
        self.languages.data = profile.languages
        self.public_category.data = profile.public_category.value
        self.arrival_year.data = profile.arrival_year
        self.cir_signed_on.data = profile.cir_signed_on
        self.partner_id.data = profile.partner_id or 0
        self.goal.data = profile.goal.value
        self.sex.data = profile.sex.value if profile.sex else ""
        self.age_band.data = profile.age_band.value if profile.age_band else ""
        self.consent.data = True
        self.consent_on.data = profile.consent_on
        self.target_date.data = profile.target_date

    def learner(self) -> LearnerData:
        """The fields of the valid form (the required ones are filled in)."""
        arrival_year, consent_on = self.arrival_year.data, self.consent_on.data
        assert arrival_year is not None
        assert consent_on is not None
        return LearnerData(
            first_name=filled(self.first_name.data),
            last_name=self.last_name.data,
            phone=self.phone.data,
            email=self.email.data,
            locale=self.locale.data,
            languages=list(self.languages.data or []),
            public_category=PublicCategory(self.public_category.data),
            arrival_year=arrival_year,
            cir_signed_on=self.cir_signed_on.data,
            partner_id=self.partner_id.data or None,
            goal=FrenchGoal(self.goal.data),
            sex=Sex(self.sex.data) if self.sex.data else None,
            age_band=AgeBand(self.age_band.data) if self.age_band.data else None,
            consent_on=consent_on,
            target_date=self.target_date.data,
        )


class PartnerForm(RefusableForm):
    reasons: ClassVar[dict[str, Any]] = {
        "partner_exists": _l("Cette structure est déjà dans la liste.")
    }

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
