"""Interface languages: choosing the locale, naming languages in themselves."""

from __future__ import annotations

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

LANG_COOKIE = "lang"


RTL_LANGUAGES = {"ar", "fa", "ps", "he", "ur"}


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
    return request.accept_languages.best_match(supported) or "fr"


def native_name(code: str) -> str:
    """Return a language's name in itself, capitalised: 'Français', 'العربية'."""
    name = Locale.parse(code).get_display_name(code) or code
    return name[:1].upper() + name[1:]


def language_name(code: str) -> str:
    """Return a language's name in the current interface language."""
    locale = Locale.parse(str(get_locale()))
    name = locale.languages.get(code) or code
    return name[:1].upper() + name[1:]


def text_direction(locale: str | None = None) -> str:
    """Writing direction of `locale` (default: the interface language)."""
    code = locale or str(get_locale())
    return "rtl" if code.split("_")[0] in RTL_LANGUAGES else "ltr"


def weekday_names() -> list[str]:
    """Monday to Sunday in the interface language."""
    from babel.dates import get_day_names

    names = get_day_names("wide", locale=Locale.parse(str(get_locale())))
    return [str(names[i]) for i in range(7)]
