"""Vocabulary of the exercise bank: levels, skills, themes, types, instructions, items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS = ("A1.1", "A1", "A2", "B1", "B2")
SKILLS = ("CO", "CE", "EE", "EO")
SUBSKILLS = ("lexique", "grammaire")
THEMES = (
    "demarches",
    "sante",
    "logement",
    "travail",
    "ecole",
    "transports",
    "courses",
    "citoyennete",
    "numerique",
    "vie_quotidienne",
)
DOCUMENT_KINDS = (
    "sms",
    "lettre",
    "courriel",
    "affiche",
    "etiquette",
    "annonce",
    "horaires",
    "formulaire",
    "note",
    "dialogue",
    "ticket",
    "ecran",  # a computer exam screen (the « Numérique » track)
)
# Types whose answers a tutor reviews; the others are graded automatically.
REVIEWED_TYPES = ("short_writing", "oral_production")
# Types that train the computer skills the exams ask for: only in track units.
TRACK_TYPES = ("pointer", "typing", "tab_form", "timed_choice")
# The skill each track type trains (see exercises/FORMAT.md).
TRACK_TYPE_SKILLS = {
    "pointer": "CE",
    "typing": "EE",
    "tab_form": "EE",
    "timed_choice": "CE",
}
POINTER_ACTIONS = ("click", "double_click", "scroll", "drag")
# Tracks: sequences of units practised from their own page, outside the level model.
TRACKS = ("numerique",)
TRACK_LEVELS = ("A1.1", "A1", "A2")
TYPES = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "gap_typed",
    "gap_list",
    "matching",
    "ordering",
    "image_choice",
    "dictation",
    "form_filling",
    *REVIEWED_TYPES,
    *TRACK_TYPES,
)


def N_(text: str) -> str:  # noqa: N802 - gettext marker, extracted by `flask translate`
    """Mark a string for translation without translating it here (no Flask in this package)."""
    return text


INSTRUCTIONS: dict[str, str] = {
    "choose_answer": N_("Choisissez la bonne réponse."),
    "choose_answers": N_("Choisissez toutes les bonnes réponses."),
    "true_false": N_("Vrai ou faux ?"),
    "read_choose": N_("Lisez le document, puis choisissez la bonne réponse."),
    "read_choose_many": N_(
        "Lisez le document, puis choisissez toutes les bonnes réponses."
    ),
    "read_true_false": N_("Lisez le document. Cette phrase est-elle vraie ou fausse ?"),
    "read_gap": N_("Lisez le document, puis complétez."),
    "read_match": N_("Lisez le document, puis associez."),
    "listen_choose": N_("Écoutez, puis choisissez la bonne réponse."),
    "listen_choose_many": N_("Écoutez, puis choisissez toutes les bonnes réponses."),
    "listen_true_false": N_("Écoutez. Cette phrase est-elle vraie ou fausse ?"),
    "listen_image": N_("Écoutez, puis choisissez la bonne image."),
    "listen_gap": N_("Écoutez, puis complétez la phrase."),
    "look_image": N_("Regardez les images et choisissez la bonne."),
    "gap_type": N_("Complétez : écrivez le mot qui manque."),
    "gap_list": N_("Complétez avec un mot de la liste."),
    "match": N_("Associez chaque élément de gauche à un élément de droite."),
    "order_words": N_("Remettez les mots dans l’ordre pour faire une phrase."),
    "order_sentences": N_("Remettez les phrases dans l’ordre."),
    "dictation": N_("Écoutez et écrivez ce que vous entendez."),
    "fill_form": N_("Remplissez le formulaire avec les informations du document."),
    "write_short": N_("Écrivez un court texte pour répondre à la situation."),
    "speak": N_("Enregistrez votre réponse à voix haute."),
    # The « Numérique » track: using a computer like at the exams.
    "click": N_("Cliquez sur le bon bouton."),
    "double_click": N_("Double-cliquez sur le bon élément."),
    "scroll": N_("Faites défiler la liste et cliquez sur le bon élément."),
    "drag": N_("Faites glisser chaque élément à sa place."),
    "type_copy": N_(
        "Recopiez exactement le texte, avec les accents et les majuscules."
    ),
    "tab_form": N_(
        "Remplissez le formulaire. Passez d’une case à l’autre avec la touche Tab."
    ),
    "timed_choose": N_("Répondez avant la fin du temps."),
    "read_screen": N_("Regardez l’écran, puis choisissez la bonne réponse."),
}

# The wording on a phone (touch screen) where the action differs from a computer's.
PHONE_INSTRUCTIONS: dict[str, str] = {
    "click": N_("Touchez le bon bouton."),
    "double_click": N_("Touchez deux fois, vite, le bon élément."),
    "scroll": N_("Faites défiler la liste avec le doigt et touchez le bon élément."),
    "drag": N_("Avec le doigt, faites glisser chaque élément à sa place."),
    "tab_form": N_("Remplissez le formulaire. Touchez une case pour écrire dedans."),
}

GAP = "___"


@dataclass(frozen=True)
class Item:
    """One exercise as written in the bank; `data` holds the keys of its type."""

    id: str
    version: int
    unit: str
    level: str
    theme: str
    skill: str
    type: str
    instruction: str
    explanation: str
    can_do: str
    unit_title: str
    subskill: str | None = None
    document: str | None = None
    document_kind: str | None = None
    audio: str | None = None
    prompt: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # A track unit's items (`track`, `track_order` unit keys): practised from the
    # track's page only, never in ordinary practice nor in the learner's level.
    track: str | None = None
    track_order: int | None = None

    @property
    def reviewed(self) -> bool:
        return self.type in REVIEWED_TYPES

    def payload(self) -> dict[str, Any]:
        """Return the item as plain data (what the database stores per version)."""
        return {
            "id": self.id,
            "version": self.version,
            "unit": self.unit,
            "unit_title": self.unit_title,
            "can_do": self.can_do,
            "level": self.level,
            "theme": self.theme,
            "skill": self.skill,
            "subskill": self.subskill,
            "type": self.type,
            "instruction": self.instruction,
            "document": self.document,
            "document_kind": self.document_kind,
            "audio": self.audio,
            "prompt": self.prompt,
            "explanation": self.explanation,
            "data": self.data,
            # only when set: the other items' stored payloads (and hashes) stay as they were
            **(
                {"track": self.track, "track_order": self.track_order}
                if self.track
                else {}
            ),
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Item:
        return cls(**payload)
