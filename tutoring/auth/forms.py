"""Forms of the sign-in pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, Length, Regexp

from tutoring.forms import new_password_field, strip_filter

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
