"""Interface languages: choosing the locale, naming languages in themselves."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_datetime_format, match_skeleton
from flask import Flask, current_app, g, has_request_context, request
from flask_babel import (
    Domain,
    format_decimal,
    get_locale,
    get_translations,
    to_user_timezone,
)
from flask_babel import format_date as babel_format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import format_percent as babel_format_percent
from flask_babel import format_time as babel_format_time
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup

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


@cache
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


# Placeholders that hold codes, not quantities: written as they are.
RAW_PLACEHOLDERS = {"id", "code", "v"}


def localise_values(variables: dict[str, Any]) -> dict[str, Any]:
    """Numbers given to a message, written the reader's way by Babel: « 5,6 » in
    French, « 5.6 » in English, « 12 345 » with the locale's grouping."""
    return {
        key: (
            # 0–999 are written the same in every supported locale (Latin digits,
            # no grouping): Babel only for the others (checked by a test).
            str(value)
            if type(value) is int and 0 <= value < 1000
            else format_decimal(value)
            if key not in RAW_PLACEHOLDERS
            and isinstance(value, int | float | Decimal)
            and not isinstance(value, bool)
            else value
        )
        for key, value in variables.items()
    }


def _remembered(load: Callable[[], Any]) -> Any:
    """The request's catalog, remembered beside the locale it was loaded for.

    flask_babel looks its cache up again on every message (about eighty times a
    page); this keeps one per request, and `force_locale` (which swaps the locale)
    still gets its own catalog."""
    try:
        ctx = g._flask_babel
        cached = ctx.fast_translations
        if cached[0] is ctx.babel_locale:
            return cached[1]
    except (AttributeError, RuntimeError):
        pass
    translations = load()
    try:
        ctx = g._flask_babel
        ctx.fast_translations = (ctx.babel_locale, translations)
    except (AttributeError, RuntimeError):
        pass
    return translations


def _translations() -> Any:
    return _remembered(get_translations)


class LocalisedDomain(Domain):  # type: ignore[misc]  # flask_babel is untyped
    """flask_babel's messages, with the numbers inside them written per locale."""

    def get_translations(self) -> Any:
        return _remembered(super().get_translations)

    def gettext(self, string: str, **variables: Any) -> str:
        return str(super().gettext(string, **localise_values(variables)))

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> str:
        variables.setdefault("num", num)
        text = self.get_translations().ungettext(singular, plural, num)
        return str(text % localise_values(variables))

    def pgettext(self, context: str, string: str, **variables: Any) -> str:
        return str(super().pgettext(context, string, **localise_values(variables)))

    def npgettext(
        self, context: str, singular: str, plural: str, num: int, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        text = self.get_translations().unpgettext(context, singular, plural, num)
        return str(text % localise_values(variables))


@pass_context
def jinja_gettext(context: Any, string: str, **variables: Any) -> str:
    """Jinja's new-style gettext, numbers written per locale."""
    text = _translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - our own catalog, as Jinja does  # nosec B704
    return text % localise_values(variables)  # type: ignore[no-any-return]


@pass_context
def jinja_ngettext(
    context: Any, singular: str, plural: str, num: int, **variables: Any
) -> str:
    """Jinja's new-style ngettext (`{% trans %}…{% pluralize %}`), numbers per locale."""
    variables.setdefault("num", num)
    text = _translations().ungettext(singular, plural, num)
    if context.eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704 - our own catalog, as Jinja does  # nosec B704
    return text % localise_values(variables)  # type: ignore[no-any-return]


def install_localised_messages(app: Flask, babel: Any) -> None:
    """Route every gettext call, in Python and in templates, through the numbers'
    localisation above."""
    babel.domain_instance = LocalisedDomain()
    app.jinja_env.globals.update(
        gettext=jinja_gettext, _=jinja_gettext, ngettext=jinja_ngettext
    )


_NAMED = ("short", "medium", "long", "full")
_DAY_BEFORE_MONTH = re.compile(r"(?<![d'])d(?!d)(?=\s*(?:'[^']*'\s*)?MMM)")


def _first_of_month(value: date | datetime | None, pattern: str) -> str:
    """French writes the first day of a month « 1er janvier », not « 1 janvier »:
    CLDR has no ordinal day, so the pattern gets a literal « er » that day."""
    locale = get_locale()
    if value is None or locale is None or locale.language != "fr":
        return pattern
    day = to_user_timezone(value).day if isinstance(value, datetime) else value.day
    if day != 1:
        return pattern
    if pattern in _NAMED:
        pattern = str(locale.date_formats[pattern].pattern)
    return _DAY_BEFORE_MONTH.sub("d'er'", pattern)


def format_date(value: date | datetime | None = None, format: str = "medium") -> str:  # noqa: A002 - flask_babel's name
    """A date in the interface language (« 1er janvier 2027 » in French)."""
    return str(babel_format_date(value, _first_of_month(value, format)))


def format_datetime(value: datetime | None = None, format: str = "medium") -> str:  # noqa: A002 - flask_babel's name
    """A date and time in Millau, in the interface language."""
    if format in _NAMED:
        return str(babel_format_datetime(value, format))
    return str(babel_format_datetime(value, _first_of_month(value, format)))


def format_percent(value: float) -> str:
    """A share (0.7) as a percentage, per locale: « 70 % », « 70% », « ٪70 »."""
    return str(babel_format_percent(value))


def content_text(text: str) -> Markup:
    """A text of the exercise bank (a unit's title, a « Je peux… » can-do) in the
    interface language, marked with the language it is shown in: French, the
    original, while the catalog has no translation of it."""
    translated = str(_translations().ugettext(text))
    code = str(get_locale()) if translated != text else "fr"
    return Markup('<span lang="%s" dir="%s">%s</span>') % (
        lang_tag(code),
        text_direction(code),
        translated,
    )


# Fonts vendored in static/fonts for scripts a phone may lack, by ISO 15924 script.
SCRIPT_STYLESHEETS = {"Arab": "css/fonts-arabic.css", "Ethi": "css/fonts-ethiopic.css"}


@cache
def script_of(code: str) -> str:
    """The script a locale is written in, from CLDR's likely subtags: 'ps' → 'Arab'."""
    likely = get_global("likely_subtags")
    code = code.replace("-", "_")
    full = likely.get(code) or likely.get(code.split("_")[0]) or ""
    parts = full.split("_")
    return parts[1] if len(parts) > 1 else "Latn"


def font_stylesheet(code: str | None = None) -> str | None:
    """The font stylesheet a page in `code` needs (None for Latin and Cyrillic, which
    the system fonts of phones and computers render)."""
    return SCRIPT_STYLESHEETS.get(script_of(code or str(get_locale())))


def format_moment(value: datetime) -> str:
    """A session's moment in Millau, the locale's way: weekday, day, month and time
    (« samedi 5 décembre, 11:00 », « ቀዳም 5 ታሕሳስ 11:00 »).
    CLDR's closest day-and-month pattern, with the weekday in full, joined to the short
    time by the locale's own date-time pattern."""
    locale = get_locale() or Locale.parse("fr")
    pattern, joined = _moment_patterns(str(locale))
    day = format_date(value, pattern)
    time = str(babel_format_time(value, "short"))
    return joined.replace("{0}", time).replace("{1}", day)


@cache
def _moment_patterns(code: str) -> tuple[str, str]:
    """The day pattern and the date-time joining pattern of `format_moment`, found
    once per locale (matching CLDR's skeletons takes a while)."""
    locale = Locale.parse(code)
    skeleton = match_skeleton("MMMMEEEEd", locale.datetime_skeletons) or "MMMMEd"
    pattern = re.sub(r"E+|c+", "EEEE", str(locale.datetime_skeletons[skeleton].pattern))
    joined = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    return pattern, joined
