"""Hear the interface: every fixed phrase of the learner's path has a clip in French
and in each interface language espeak-ng has a voice for, pre-generated from the
message catalogs (`flask audio build`) into static/audio/ui/<locale>/.

A clip's file name is a hash of the voice and of the very text it says, so a changed
translation names a new file: the build makes it and removes the old one, and the test
of the clips fails until it is run. Nothing is synthesised at request time and no text
leaves the server (the browser's own speech synthesis may send it to a remote service).
"""

from __future__ import annotations

import hashlib
import subprocess  # noqa: S404 - runs espeak-ng and opusenc, fixed local tools  # nosec B404
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from flask import current_app, has_app_context, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from markupsafe import Markup

from exercises.model import INSTRUCTIONS, N_
from tutoring.content.audio import tools
from tutoring.core.config import PROJECT_ROOT

UI_AUDIO = PROJECT_ROOT / "static" / "audio" / "ui"
TRANSLATIONS = PROJECT_ROOT / "tutoring" / "translations"
ICONS = PROJECT_ROOT / "static" / "img" / "icons"

# espeak-ng's voice for each interface language (by the language part of the locale,
# so fa_AF, Dari, uses the Persian voice). Pashto (ps) and Tigrinya (ti) have none:
# their speaker buttons read the French only.
VOICES = {
    "fr": "fr-fr",
    "en": "en-gb",
    "ar": "ar",
    "fa": "fa",
    "uk": "uk",
    "ru": "ru",
    "tr": "tr",
    "es": "es",
    "pt": "pt",
}

# Every fixed phrase of the learner's path a speaker button reads (msgids).
PHRASES: tuple[str, ...] = (
    # The home page: what to do today.
    N_("À faire aujourd’hui"),
    N_("Faire mes devoirs"),
    N_("Revoir les exercices manqués"),
    N_("Commencer par le test de positionnement"),
    N_("Pratiquer le français"),
    # Buttons and links.
    N_("Accueil"),
    N_("Se déconnecter"),
    N_("Pratiquer"),
    N_("Pratiquer mon niveau (10 exercices)"),
    N_("Pratiquer mon niveau"),
    N_("Choisissez une image"),
    N_("Vrai"),
    N_("Faux"),
    N_("Valider ma réponse"),
    N_("Enregistrer ma voix"),
    N_("Envoyer"),
    N_("Exercice suivant"),
    N_("Voir mon bilan"),
    N_("Une nouvelle série"),
    N_("Revenir à l’accueil"),
    N_("Arrêter pour l’instant (je reprendrai plus tard)"),
    # Feedback.
    N_("Bravo, c’est juste !"),
    N_("Presque !"),
    N_("Ce n’est pas la bonne réponse."),
    N_("Réponse envoyée"),
    N_("La bonne réponse"),
    N_("Ma réponse"),
    N_("Bilan de la série"),
    N_("Votre réponse est incomplète : répondez à chaque partie."),
    N_("Enregistrez votre réponse avant de l’envoyer."),
    # The placement test's first question.
    N_("Est-ce que vous lisez le français ?"),
    N_("Oui"),
    N_("Un peu"),
    N_("Pas encore : je préfère les images et le son"),
    N_("Commencer le test"),
    # The picture sign-in.
    N_("Entrer avec mes images"),
    N_("Touchez votre image."),
    N_("Touchez vos images, dans l’ordre."),
    N_("Ce n’est pas le bon code. Recommencez."),
    *INSTRUCTIONS.values(),
)
KNOWN = frozenset(PHRASES)


def voice_for(locale: str) -> str | None:
    return VOICES.get(locale.split("_")[0])


def clip_name(locale: str, text: str) -> str:
    """Where the clip of `text` in `locale` lives, under static/audio/ui/."""
    voice = voice_for(locale) or "-"
    key = hashlib.sha256(f"{voice}\n{text}".encode()).hexdigest()[:16]
    return f"{locale}/{key}.opus"


def spoken_texts(msgid: str, locale: str) -> list[tuple[str, str]]:
    """(locale, text) of the clips a speaker button plays for `msgid`: the French,
    then the learner's language when it has a voice and a translation."""
    if msgid not in KNOWN:
        raise KeyError(f"not a spoken phrase (add it to speech.PHRASES): {msgid}")
    with force_locale("fr"):
        texts = [("fr", _(msgid))]
    if locale != "fr" and voice_for(locale):
        translated = _(msgid)
        if translated != msgid:
            texts.append((locale, translated))
    return texts


CLIP_URLS = "speech_clip_urls"


def clip_urls(*msgids: str) -> list[str]:
    """The clips of these phrases, in order, for the current interface language.
    A clip not generated yet is left out (the test of the clips names it)."""
    locale = str(get_locale())
    # A page shows a dozen speaker buttons: their clips are worked out once per
    # language and phrase (the catalogs and the clips do not change while the
    # application runs).
    known: dict[tuple[str, tuple[str, ...]], list[str]] = (
        current_app.extensions.setdefault(CLIP_URLS, {})
    )
    urls = known.get((locale, msgids))
    if urls is None:
        urls = []
        for msgid in msgids:
            for lang, text in spoken_texts(msgid, locale):
                name = clip_name(lang, text)
                if (UI_AUDIO / name).exists():
                    urls.append(url_for("static", filename=f"audio/ui/{name}"))
        known[(locale, msgids)] = urls
    return list(urls)


@cache
def _icon_source(name: str) -> str:
    path = ICONS / f"{name}.svg"
    text = path.read_text(encoding="utf-8")
    start = text.index("<svg")
    return text[start:].replace("\n", " ")


def icon(name: str, mirror: bool = False) -> Markup:
    """A vendored Lucide pictogram, inline so it takes the text's colour; hidden from
    screen readers (the text beside it says the action). `mirror`: flipped in
    right-to-left pages (arrows)."""
    svg = _icon_source(name)
    classes = "icon mirror" if mirror else "icon"
    svg = svg.replace(
        'class="lucide',
        f'aria-hidden="true" focusable="false" class="{classes} lucide',
        1,
    )
    return Markup(svg)  # noqa: S704 - a vendored file of the repository  # nosec B704


# ---- The build -------------------------------------------------------------------


@dataclass
class BuildReport:
    created: int = 0
    kept: int = 0
    removed: int = 0
    languages: tuple[str, ...] = ()
    without_voice: tuple[str, ...] = ()


def catalog_locales() -> list[str]:
    """The interface languages present in tutoring/translations (French included)."""
    found = {
        p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")
    }
    return sorted(found | {"fr"})


def catalog_texts(locale: str) -> dict[str, str]:
    """Each spoken phrase in `locale`, read from its .po (untranslated or fuzzy
    entries are left out: the button then reads the French only)."""
    if locale == "fr":
        return {msgid: msgid for msgid in PHRASES}
    path = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    texts = {}
    for msgid in PHRASES:
        message = catalog.get(msgid)
        if (
            message is not None
            and not message.fuzzy
            and isinstance(message.string, str)
            and message.string not in ("", msgid)
        ):
            texts[msgid] = message.string
    return texts


def wanted_clips() -> dict[Path, tuple[str, str]]:
    """Every clip the catalogs call for: path -> (voice, text)."""
    wanted: dict[Path, tuple[str, str]] = {}
    for locale in catalog_locales():
        voice = voice_for(locale)
        if voice is None:
            continue
        for text in catalog_texts(locale).values():
            wanted[UI_AUDIO / clip_name(locale, text)] = (voice, text)
    return wanted


def synthesise(voice: str, text: str, target: Path) -> None:
    espeak, opusenc = tools()
    target.parent.mkdir(parents=True, exist_ok=True)
    wav = subprocess.run(  # noqa: S603 - fixed executable, argument list, no shell  # nosec B603
        [espeak, "-v", voice, "-s", "140", "--stdout", text],
        check=True, capture_output=True,
    ).stdout  # fmt: skip
    subprocess.run(  # noqa: S603 - fixed executable, argument list, no shell  # nosec B603
        [opusenc, "--quiet", "--bitrate", "16", "--speech", "--serial", "1",
         "--comment", f"source=espeak-ng {voice}", "-", str(target)],
        input=wav, check=True,
    )  # fmt: skip


def build(*, force: bool = False) -> BuildReport:
    """Make the missing clips and remove those no catalog asks for any more."""
    report = BuildReport()
    wanted = wanted_clips()
    for path, (voice, text) in wanted.items():
        if force or not path.exists():
            synthesise(voice, text, path)
            report.created += 1
        else:
            report.kept += 1
    for path in UI_AUDIO.glob("*/*.opus") if UI_AUDIO.exists() else []:
        if path not in wanted:
            path.unlink()
            report.removed += 1
    if has_app_context():
        current_app.extensions.pop(CLIP_URLS, None)
    locales = catalog_locales()
    report.languages = tuple(loc for loc in locales if voice_for(loc))
    report.without_voice = tuple(loc for loc in locales if not voice_for(loc))
    return report
