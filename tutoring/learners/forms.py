"""Enrolment form: each field says why it is asked."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    widgets,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from tutoring.forms import options, strip_filter
from tutoring.models import AgeBand, FrenchGoal, PublicCategory, Sex

PUBLIC_CATEGORY_LABELS = {
    PublicCategory.BPI: _l(
        "Bénéficiaire de la protection internationale (réfugié·e, "
        "protection subsidiaire, apatride)"
    ),
    PublicCategory.BPT: _l("Bénéficiaire de la protection temporaire (Ukraine)"),
    PublicCategory.CIR: _l("Signataire du contrat d’intégration républicaine (CIR)"),
    PublicCategory.LEGION_FAMILY: _l("Famille de légionnaire (13e DBLE)"),
    PublicCategory.OTHER: _l("Autre primo-arrivant·e"),
}
GOAL_LABELS = {
    FrenchGoal.A2: _l("A2 – carte de séjour pluriannuelle"),
    FrenchGoal.B1: _l("B1 – carte de résident"),
    FrenchGoal.B2: _l("B2 – naturalisation"),
    FrenchGoal.UNDECIDED: _l("Pas encore décidé"),
}
SEX_LABELS = {Sex.FEMALE: _l("Femme"), Sex.MALE: _l("Homme")}
AGE_BAND_LABELS = {
    AgeBand.UNDER_18: _l("Moins de 18 ans"),
    AgeBand.AGE_18_25: _l("18 à 25 ans"),
    AgeBand.AGE_26_35: _l("26 à 35 ans"),
    AgeBand.AGE_36_45: _l("36 à 45 ans"),
    AgeBand.AGE_46_55: _l("46 à 55 ans"),
    AgeBand.AGE_56_65: _l("56 à 65 ans"),
    AgeBand.OVER_65: _l("Plus de 65 ans"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


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


OUTCOME_LABELS = {
    "certification": _l("Certification de français obtenue (TCF, TEF, DELF…)"),
    "civic_exam": _l("Examen civique réussi"),
    "residence_card": _l("Titre de séjour obtenu (carte pluriannuelle ou de résident)"),
}


class OutcomeForm(FlaskForm):
    kind = SelectField(_l("Résultat"), choices=options(list(OUTCOME_LABELS.items())))
    level = SelectField(
        _l("Niveau certifié"),
        description=_l("Seulement pour une certification de français."),
        choices=options(
            [("", _l("Sans objet"))]
            + [(lvl, lvl) for lvl in ("A1", "A2", "B1", "B2", "C1", "C2")]
        ),
        default="",
        validators=[Optional()],
    )
    obtained_on = DateField(
        _l("Date d’obtention"),
        validators=[InputRequired(message=_l("Indiquez la date."))],
    )
