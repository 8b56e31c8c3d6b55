"""Names shown for levels, skills, themes and item types."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from exercises.model import INSTRUCTIONS, LEVELS

LEVEL_LABELS = {
    "A1.1": _l("A1.1 – je commence à lire"),
    "A1": _l("A1 – débutant"),
    "A2": _l("A2 – élémentaire (carte pluriannuelle)"),
    "B1": _l("B1 – intermédiaire (carte de résident)"),
    "B2": _l("B2 – avancé (naturalisation)"),
}


SKILL_LABELS = {
    "CO": _l("Comprendre à l’oral"),
    "CE": _l("Comprendre à l’écrit"),
    "EE": _l("Écrire"),
    "EO": _l("Parler"),
}


THEME_LABELS = {
    "demarches": _l("Démarches administratives"),
    "sante": _l("Santé"),
    "logement": _l("Logement"),
    "travail": _l("Travail et formation"),
    "ecole": _l("École et parentalité"),
    "transports": _l("Transports"),
    "courses": _l("Courses et argent"),
    "citoyennete": _l("Vie citoyenne et valeurs de la République"),
    "numerique": _l("Numérique"),
    "vie_quotidienne": _l("Vie quotidienne"),
}


TYPE_LABELS = {
    "single_choice": _l("Choix unique"),
    "multiple_choice": _l("Choix multiple"),
    "true_false": _l("Vrai ou faux"),
    "gap_typed": _l("Texte à trous (à écrire)"),
    "gap_list": _l("Texte à trous (liste)"),
    "matching": _l("Associer"),
    "ordering": _l("Remettre dans l’ordre"),
    "image_choice": _l("Choisir une image"),
    "dictation": _l("Dictée"),
    "form_filling": _l("Remplir un formulaire"),
    "short_writing": _l("Écrire un texte"),
    "oral_production": _l("Parler (enregistrement)"),
    "pointer": _l("Souris ou doigt (cliquer, faire glisser)"),
    "typing": _l("Recopier au clavier"),
    "tab_form": _l("Formulaire avec la touche Tab"),
    "timed_choice": _l("Répondre en temps limité"),
}


assert set(LEVEL_LABELS) == set(LEVELS)


assert set(INSTRUCTIONS)  # the instructions are translated through the catalogs
