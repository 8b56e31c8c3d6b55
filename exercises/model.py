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
)
# Types whose answers a tutor reviews; the others are graded automatically.
REVIEWED_TYPES = ("short_writing", "oral_production")
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
        }

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Item:
        return cls(**payload)
