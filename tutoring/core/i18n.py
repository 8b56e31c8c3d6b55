"""Interface languages: choosing the locale, naming languages in themselves."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError
from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

LANG_COOKIE = "lang"


# Names the languages give themselves where CLDR's differs from the learners' usage:
# Babel calls fa_AF « فارسی (افغانستان) », Afghan learners call their language Dari.
NATIVE_NAMES = {"fa_AF": "دری"}

# Accept-Language tags that name a supported locale differently: `prs` is Dari's
# ISO 639-3 code, and a browser in Persian (`fa`, `fa-IR`) reads Dari best.
LANGUAGE_ALIASES = {"prs": "fa_AF", "fa": "fa_AF"}


# Languages a learner may speak, offered at enrolment (ISO 639-1/639-3 codes).
SPOKEN_LANGUAGES = [
    "ar", "fa", "ps", "uk", "ru", "en", "tr", "es", "pt", "ti", "so", "ku", "sq",
    "ka", "hy", "bn", "ur", "ta", "ne", "ff", "wo", "ln", "sw", "am", "zh", "ro",
    "bg", "pl", "fr",
]  # fmt: skip


def supported_locales() -> list[str]:
    return list(current_app.config["SUPPORTED_LOCALES"])


def select_locale() -> str:
    """Pick the locale: the account's, then the browser's cookie, then Accept-Language."""
    supported = supported_locales()
    if not has_request_context():
        return "fr"  # command-line tools speak the reference language
    if (
        current_user
        and current_user.is_authenticated
        and current_user.locale in supported
    ):
        return str(current_user.locale)
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in supported:
        return str(cookie)
    return match_language([tag for tag, _q in request.accept_languages], supported)


def match_language(tags: list[str], supported: list[str]) -> str:
    """The supported locale best matching browser tags, in the browser's order of
    preference: the exact locale (`fa-AF` is `fa_AF`), an alias (`prs`), then the
    language alone (`ps-AF` is `ps`, `ti-ER` is `ti`, `fa-IR` is Dari). French when
    nothing matches."""
    by_key = {code.lower(): code for code in supported}
    by_language: dict[str, str] = {}
    for code in supported:
        by_language.setdefault(code.split("_")[0].lower(), code)
    for tag in tags:
        key = tag.strip().replace("-", "_").lower()
        language = key.split("_")[0]
        for candidate in (key, LANGUAGE_ALIASES.get(key, "").lower(), language):
            if candidate in by_key:
                return by_key[candidate]
        alias = LANGUAGE_ALIASES.get(language)
        if alias and alias.lower() in by_key:
            return by_key[alias.lower()]
        if language in by_language:
            return by_language[language]
    return "fr"


def lang_tag(code: str | None = None) -> str:
    """The BCP 47 tag of a locale for HTML `lang` attributes: `fa_AF` → `fa-AF`."""
    return (code or str(get_locale())).replace("_", "-")


def native_name(code: str) -> str:
    """Return a language's name in itself, capitalised: 'Français', 'العربية', 'دری'."""
    name = NATIVE_NAMES.get(code) or Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_name(code: str) -> str:
    """Return a language's name in the current interface language."""
    locale = Locale.parse(str(get_locale()))
    name = locale.languages.get(code) or code
    return name[:1].upper() + name[1:]


def text_direction(locale: str | None = None) -> str:
    """Writing direction of `locale` (default: the interface language)."""
    return "rtl" if is_rtl(locale or str(get_locale())) else "ltr"


@cache
def is_rtl(code: str) -> bool:
    """Whether a locale writes right to left, from CLDR (Arabic, Dari, Pashto...)."""
    try:
        return Locale.parse(code.replace("-", "_")).character_order == "right-to-left"
    except (ValueError, TypeError, UnknownLocaleError):
        return False


def weekday_names() -> list[str]:
    """Monday to Sunday in the interface language."""
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=Locale.parse(str(get_locale())))
    return [str(names[i]) for i in range(7)]
