"""« Mon parcours »: which French level and which civic exam a learner's residence
goal needs, the exemptions that may apply, and what proves the level.

The rules follow `../shared/docs/domain.md` §1–3 (2026 rules). What that brief marks
UNCONFIRMED is said « à vérifier » (status CHECK), never as a rule. Each statement
names its sources; the date they were checked is `PARCOURS_CHECKED_ON` in the
configuration. This is information, not legal advice: the page says so."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from tutoring.accounts.models import User
from tutoring.accounts.profiles import AgeBand, FrenchGoal, LearnerProfile
from tutoring.core.database import added_once, utcnow
from tutoring.core.extensions import db
from tutoring.home.models import ParcoursAnswers


class Card(enum.StrEnum):
    CSP = "csp"  # 1st carte de séjour pluriannuelle
    CR = "cr"  # 1st carte de résident
    NATURALISATION = "naturalisation"


class Protection(enum.StrEnum):
    REFUGEE = "refugee"
    SUBSIDIARY = "subsidiary"
    STATELESS = "stateless"
    NONE = "none"


class Status(enum.StrEnum):
    REQUIRED = "required"
    DIPLOMA = "diploma"  # a diploma the learner holds may be the proof
    EXEMPT = "exempt"
    CHECK = "check"  # unconfirmed: to check with the referent or the prefecture


LEVEL_OF = {Card.CSP: "A2", Card.CR: "B1", Card.NATURALISATION: "B2"}
CARD_OF_GOAL = {
    FrenchGoal.A2: Card.CSP,
    FrenchGoal.B1: Card.CR,
    FrenchGoal.B2: Card.NATURALISATION,
}


@dataclass(frozen=True)
class Source:
    name: str  # the text's own name, in French
    url: str | None = None


SOURCES = {
    "F34501": Source(
        "service-public.fr, fiche F34501 (carte de résident)",
        "https://www.service-public.fr/particuliers/vosdroits/F34501",
    ),
    "F39530": Source(
        "service-public.fr, fiche F39530 (examen civique)",
        "https://www.service-public.fr/particuliers/vosdroits/F39530",
    ),
    "examen": Source(
        "ministère de l’Intérieur, « Informations générales sur l’examen civique »",
        "https://formation-civique.interieur.gouv.fr/examen-civique/",
    ),
    "decret-647": Source("Décret n° 2025-647 du 15 juillet 2025"),
    "decret-648": Source("Décret n° 2025-648 du 15 juillet 2025 (naturalisation)"),
    "arrete-civique": Source(
        "Arrêté du 10 octobre 2025 (programme et épreuves de l’examen civique)"
    ),
    "arretes-diplomes": Source(
        "Arrêtés du 22 décembre 2025 (diplômes et certifications acceptés)"
    ),
    "arretes-medical": Source(
        "Arrêtés du 30 décembre 2025 (aménagements et dispenses pour raison médicale)"
    ),
    "dreets": Source("DREETS Pays de la Loire, note du 13 octobre 2025"),
    "loi-2024": Source("Loi n° 2024-42 du 26 janvier 2024"),
    "loiret": Source("Préfecture du Loiret, citée par maghrebactu.com"),
    "decret-2013": Source("Décret n° 2013-794 du 30 août 2013 (règle d’avant 2026)"),
    "prefectures": Source("Préfectures, précision du 24 décembre 2025"),
    "algerie": Source("Accord franco-algérien du 27 décembre 1968"),
}


# Each statement: its text and its sources. The text says « à vérifier » itself
# when the fact is unconfirmed (`unconfirmed` adds the standard sentence).
@dataclass(frozen=True)
class Rule:
    text: str
    sources: tuple[str, ...]
    unconfirmed: bool = False


RULES = {
    "level_csp": Rule(
        _l("Pour une première carte de séjour pluriannuelle, il faut le niveau A2 "
           "en français, à l’oral et à l’écrit."), ("loi-2024", "decret-647"),
    ),
    "level_cr": Rule(
        _l("Pour une première carte de résident, il faut le niveau B1 en français, "
           "à l’oral et à l’écrit."), ("loi-2024", "F34501", "decret-647"),
    ),
    "level_nat": Rule(
        _l("Pour la naturalisation, il faut le niveau B2 en français, à l’oral et "
           "à l’écrit."), ("loi-2024", "decret-648"),
    ),
    "first_only": Rule(
        _l("Ces règles valent pour les demandes déposées depuis le 1er janvier 2026 "
           "et pour une première carte. Le renouvellement d’une carte ne demande pas "
           "de test. Passer à une carte plus longue en demande un."),
        ("decret-647", "prefectures"),
    ),
    "civic_required": Rule(
        _l("Il faut aussi réussir l’examen civique, avant de déposer la demande : "
           "40 questions, il faut 32 bonnes réponses."),
        ("examen", "arrete-civique"),
    ),
    "bpi_csp_language": Rule(
        _l("Le niveau A2 n’est pas demandé aux bénéficiaires de la protection "
           "internationale (réfugiés et protection subsidiaire) pour la carte de "
           "séjour pluriannuelle."), ("dreets",),
    ),
    "refugee_card": Rule(
        _l("Les réfugiés reçoivent directement une carte de résident. Les conditions "
           "de langue et d’examen civique pour cette carte sont à vérifier."),
        ("dreets",), unconfirmed=True,
    ),
    "cr_65": Rule(
        _l("Pour la carte de résident, le niveau de français est demandé seulement "
           "avant 65 ans."), ("F34501",),
    ),
    "csp_65": Rule(
        _l("Après 65 ans, la dispense du niveau A2 pour la carte de séjour "
           "pluriannuelle n’est pas sûre."), ("loiret",), unconfirmed=True,
    ),
    "nat_60": Rule(
        _l("Avant 2026, les personnes de plus de 60 ans étaient dispensées du test "
           "pour la naturalisation. On ne sait pas si c’est encore le cas."),
        ("decret-2013", "decret-648"), unconfirmed=True,
    ),
    "diploma": Rule(
        _l("Un diplôme peut prouver le niveau sans passer de test : le brevet, un "
           "CAP, un BEP ou un autre diplôme français de niveau 3 ou plus, ou un "
           "diplôme de français au niveau demandé (DELF, DALF). Montrez-le à votre "
           "référent."), ("arretes-diplomes",),
    ),
    "civic_65": Rule(
        _l("Après 65 ans, on n’a pas à passer l’examen civique pour une carte de "
           "séjour."), ("F39530",),
    ),
    "nat_65_civic": Rule(
        _l("Pour la naturalisation, l’examen civique est demandé à tout âge, "
           "même après 65 ans."), ("F39530",),
    ),
    "civic_school": Rule(
        _l("Trois ans d’études au collège ou au lycée en France, ou un an d’études "
           "supérieures en France, dispensent de l’examen civique pour une carte "
           "de séjour."), ("F39530",),
    ),
    "nat_school": Rule(
        _l("Pour la naturalisation, la dispense de l’examen civique grâce aux "
           "études en France n’est pas sûre."), ("F39530",), unconfirmed=True,
    ),
    "civic_protection": Rule(
        _l("La protection subsidiaire et l’apatridie (et leur famille) dispensent "
           "de l’examen civique pour une carte de séjour."), ("F39530",),
    ),
    "nat_protection_civic": Rule(
        _l("Pour la naturalisation, la protection subsidiaire et l’apatridie ne "
           "dispensent pas de l’examen civique."), ("F39530", "decret-648"),
    ),
    "medical": Rule(
        _l("Un handicap ou une maladie de longue durée peut donner des aménagements "
           "(plus de temps, aides), ou une dispense, avec un certificat médical."),
        ("arretes-medical",),
    ),
    "bilateral": Rule(
        _l("Les personnes de certaines nationalités (par exemple les Algériens, "
           "avec l’accord franco-algérien) ne seraient pas concernées par ces "
           "règles."), ("algerie",), unconfirmed=True,
    ),
    "proof": Rule(
        _l("Pour prouver le niveau sans diplôme : une attestation du TCF IRN ou du "
           "TEF IRN, avec les quatre épreuves (comprendre à l’oral, comprendre à "
           "l’écrit, parler, écrire)."), ("arretes-diplomes",),
    ),
    "two_years": Rule(
        _l("Un résultat de test (TCF, TEF) compte pendant deux ans. Un diplôme "
           "(DELF, DALF, brevet, CAP) ne périme pas."), ("arretes-diplomes",),
    ),
}

CHECK_SENTENCE = _l("À vérifier avec votre référent ou la préfecture.")


@dataclass(frozen=True)
class Situation:
    card: Card | None
    protection: Protection | None = None
    schooling: bool | None = None
    diploma: bool | None = None
    over_65: bool | None = None


@dataclass
class Verdict:
    card: Card | None
    level: str | None  # A2, B1, B2
    language: Status | None
    civic: Card | None  # the version of the civic exam
    civic_status: Status | None
    exemptions: list[str] = field(default_factory=list)  # rules that exempt
    notes: list[str] = field(default_factory=list)  # other rules that apply

    @property
    def rules(self) -> list[str]:
        return self.exemptions + self.notes


def decide(s: Situation) -> Verdict:
    """The level, the civic exam version and the exemptions for this situation."""
    if s.card is None:
        return Verdict(
            None, None, None, None, None,
            notes=["level_csp", "level_cr", "level_nat", "proof", "two_years",
                   "medical"],
        )  # fmt: skip
    card = s.card
    level = LEVEL_OF[card]
    verdict = Verdict(card, level, Status.REQUIRED, card, Status.REQUIRED)
    notes = [{"csp": "level_csp", "cr": "level_cr"}.get(card, "level_nat")]
    refugee = s.protection is Protection.REFUGEE and card is not Card.NATURALISATION
    # Language
    if refugee:
        verdict.language = Status.CHECK
        verdict.exemptions.append("refugee_card")
    elif card is Card.CSP and s.protection is Protection.SUBSIDIARY:
        verdict.language = Status.EXEMPT
        verdict.exemptions.append("bpi_csp_language")
    elif card is Card.CR and s.over_65:
        verdict.language = Status.EXEMPT
        verdict.exemptions.append("cr_65")
    elif s.over_65 and card is Card.CSP:
        verdict.language = Status.CHECK
        verdict.exemptions.append("csp_65")
    elif s.over_65:
        verdict.language = Status.CHECK
        verdict.exemptions.append("nat_60")
    if s.diploma and verdict.language in (Status.REQUIRED, Status.CHECK):
        if verdict.language is Status.REQUIRED:
            verdict.language = Status.DIPLOMA
        verdict.exemptions.append("diploma")
    # Civic exam
    notes.append("civic_required")
    if card is Card.NATURALISATION:
        if s.over_65:
            notes.append("nat_65_civic")
        if s.protection in (Protection.SUBSIDIARY, Protection.STATELESS):
            notes.append("nat_protection_civic")
        if s.schooling:
            verdict.civic_status = Status.CHECK
            verdict.exemptions.append("nat_school")
    elif refugee:
        verdict.civic_status = Status.CHECK
    else:
        reasons = []
        if s.over_65:
            reasons.append("civic_65")
        if s.schooling:
            reasons.append("civic_school")
        if s.protection in (Protection.SUBSIDIARY, Protection.STATELESS):
            reasons.append("civic_protection")
        if reasons:
            verdict.civic_status = Status.EXEMPT
            verdict.exemptions.extend(reasons)
    if verdict.civic_status is Status.EXEMPT:
        verdict.civic = None
    if verdict.language is Status.EXEMPT:
        verdict.level = None
    notes += ["proof", "two_years", "first_only", "medical", "bilateral"]
    verdict.notes = notes
    return verdict


# ---- stored answers -------------------------------------------------------


def answers_of(profile: LearnerProfile) -> ParcoursAnswers | None:
    return db.session.scalar(
        select(ParcoursAnswers).where(ParcoursAnswers.learner_id == profile.id)
    )


def situation_of(profile: LearnerProfile, row: ParcoursAnswers | None) -> Situation:
    """The learner's answers, completed by their profile (goal, age band)."""
    card = Card(row.card) if row and row.card else CARD_OF_GOAL.get(profile.goal)
    over_65 = row.over_65 if row and row.over_65 is not None else (
        True if profile.age_band is AgeBand.OVER_65 else None
    )  # fmt: skip
    return Situation(
        card=card,
        protection=Protection(row.protection) if row and row.protection else None,
        schooling=row.schooling if row else None,
        diploma=row.diploma if row else None,
        over_65=over_65,
    )


def _row_for(profile: LearnerProfile) -> ParcoursAnswers:
    """The learner's row, made if there is none. Made meanwhile by another request
    (a double tap, or the referent's correction at the same moment): that one."""
    row = answers_of(profile)
    if row is not None:
        return row
    row = ParcoursAnswers(learner_id=profile.id)
    if added_once(row):
        return row
    found = answers_of(profile)
    if found is None:  # refused, and no row: the learner was deleted meanwhile
        raise NotFound()
    return found


def save_answers(profile: LearnerProfile, **answers: object) -> ParcoursAnswers:
    row = _row_for(profile)
    for name in ("card", "schooling", "diploma", "protection", "over_65"):
        setattr(row, name, answers.get(name))
    row.answered_at = utcnow()
    db.session.add(row)
    db.session.flush()
    return row


def save_override(
    profile: LearnerProfile, referent: User, *, level: str | None,
    civic: str | None, note: str | None,
) -> ParcoursAnswers:  # fmt: skip
    """The referent's correction (all empty: the correction is removed)."""
    row = _row_for(profile)
    row.override_level = level or None
    row.override_civic = civic or None
    row.override_note = (note or "").strip() or None
    cleared = not (row.override_level or row.override_civic or row.override_note)
    row.override_by_id = None if cleared else referent.id
    row.override_at = None if cleared else utcnow()
    db.session.add(row)
    db.session.flush()
    return row


def parcours_of(profile: LearnerProfile) -> dict[str, object]:
    """What the « Mon parcours » page and the referent's learner page show."""
    row = answers_of(profile)
    verdict = decide(situation_of(profile, row))
    return {"answers": row, "verdict": verdict}


def checked_on(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
