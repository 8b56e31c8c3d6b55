"""Names shown for the enrolment categories (public, goal, sex, age band), the roles,
the audit log's actions and the devices of sign-in sessions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from tutoring.accounts.models import Role
from tutoring.accounts.profiles import AgeBand, FrenchGoal, PublicCategory, Sex

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


ROLE_LABELS = {
    Role.LEARNER: _l("Apprenant·e"),
    Role.TUTOR: _l("Tuteur ou tutrice bénévole"),
    Role.REFERENT: _l("Référent·e de l’association"),
    Role.COORDINATOR: _l("Coordination CTAI"),
    Role.ADMIN: _l("Administration technique"),
}


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
    "session_ended": _l("une autre connexion terminée"),
    "other_sessions_ended": _l("toutes les autres connexions terminées"),
    "password_link_created": _l("lien de mot de passe créé"),
    "login_card_issued": _l("carte de connexion imprimée"),
    "login_card_revoked": _l("carte de connexion désactivée"),
    "picture_signin_issued": _l("connexion par images donnée"),
    "picture_signin_revoked": _l("connexion par images retirée"),
    "picture_signin_on": _l("connexion par images activée pour la structure"),
    "picture_signin_off": _l("connexion par images désactivée pour la structure"),
    "shared_computer_added": _l("ordinateur partagé ajouté"),
    "shared_computer_removed": _l("ordinateur partagé retiré"),
    "card_secrets_removed": _l(
        "mot de passe ou double authentification retirés avec la carte"
    ),
    "sign_in_secrets_removed": _l("mot de passe et double authentification retirés"),
    "two_factor_enabled": _l("double authentification activée"),
    "two_factor_disabled": _l("double authentification désactivée"),
    "recovery_codes_renewed": _l("codes de secours renouvelés"),
    "data_exported": _l("données exportées"),
    "erasure_requested": _l("effacement demandé"),
    "learner_erased": _l("apprenant·e effacé·e"),
    "api_token_created": _l("jeton d’API créé"),
    "api_token_revoked": _l("jeton d’API révoqué"),
    "sign_in_failed": _l("connexion refusée"),
    "pairing_proposed": _l("jumelage proposé"),
    "pairing_accepted": _l("jumelage accepté"),
    "pairing_declined": _l("jumelage refusé"),
    "pairing_ended": _l("jumelage terminé"),
    "indicators_exported": _l("indicateurs téléchargés"),
}


DEVICE_LABELS = {
    "phone": _l("Téléphone"),
    "tablet": _l("Tablette"),
    "computer": _l("Ordinateur"),
}
UNKNOWN_DEVICE = _l("Appareil inconnu")


def device_label(kind: str | None, browser: str | None) -> str:
    """The kind of device and the browser, as far as known: « Téléphone, Firefox »."""
    words = str(DEVICE_LABELS.get(kind or "", UNKNOWN_DEVICE))
    return f"{words}, {browser}" if browser else words


def role_label(value: str) -> str:
    return str(ROLE_LABELS.get(Role(value), value))


def audit_label(action: str) -> str:
    return str(AUDIT_LABELS.get(action, action))
