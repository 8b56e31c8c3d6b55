"""Messages kept as a catalog key and its values, written in the reader's language
when read: a notice queued in French is shown in Arabic to a reader who switched to
Arabic, an e-mail is written in the recipient's language when it is sent.

`deferred_gettext("… %(name)s …", name=…)` and `deferred_ngettext(singular, plural,
n, …)` are extracted into messages.pot like gettext (see `flask translate extract`).
Values are kept typed: free text (a name, a place) is shown as written, isolated from
the surrounding direction (<bdi> in pages, FSI…PDI in right-to-left texts); numbers,
dates and times are written per locale; a nested message is translated too."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import get_locale, get_translations
from markupsafe import Markup, escape

from tutoring.core.i18n import (
    format_date,
    format_moment,
    is_rtl,
    localise_values,
)

FSI, PDI = "\u2068", "\u2069"  # Unicode isolates, for plain text


@dataclass(frozen=True)
class Message:
    """A catalog message and its values, translated when rendered."""

    msgid: str
    plural: str | None = None
    n: int | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def render(self, *, html: bool = False) -> str:
        """The message in the current locale: Markup when `html`, else plain text."""
        translations = get_translations()
        if self.plural is not None:
            text = translations.ungettext(self.msgid, self.plural, self.n or 0)
        else:
            text = translations.ugettext(self.msgid)
        values = {key: _shown(value, html=html) for key, value in self.values.items()}
        if self.n is not None:
            values.setdefault("num", self.n)
        values = localise_values(values)
        if html:
            return escape(text) % values if values else escape(text)
        return str(text % values) if values else str(text)

    def translated(self) -> bool:
        """Whether the current locale's catalog has this message (French has all)."""
        locale = get_locale()
        if locale is None or locale.language == "fr":
            return True
        translations = get_translations()
        if self.plural is not None:
            text = translations.ungettext(self.msgid, self.plural, self.n or 0)
            return text not in (self.msgid, self.plural)
        return bool(translations.ugettext(self.msgid) != self.msgid)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.msgid}
        if self.plural is not None:
            data["plural"] = self.plural
            data["n"] = self.n
        if self.values:
            data["values"] = {k: _encode(v) for k, v in self.values.items()}
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Message:
        return cls(
            msgid=str(data["id"]),
            plural=data.get("plural"),
            n=data.get("n"),
            values={k: _decode(v) for k, v in (data.get("values") or {}).items()},
        )


def deferred_gettext(msgid: str, **values: Any) -> Message:
    """Mark a message for translation at display time (extracted like gettext)."""
    return Message(msgid, values=values)


def deferred_ngettext(singular: str, plural: str, n: int, **values: Any) -> Message:
    """Mark a plural message for translation at display time."""
    return Message(singular, plural=plural, n=n, values=values)


def verbatim(text: str) -> Message:
    """Text that is never translated (a link), as one part of a message."""
    return Message("%(text)s", values={"text": text})


def _shown(value: Any, *, html: bool) -> Any:
    if isinstance(value, Message):
        return value.render(html=html)
    if isinstance(value, datetime):
        return format_moment(value)  # a session's moment, in Millau time
    if isinstance(value, date):
        return format_date(value, "long")
    if isinstance(value, str):
        if html:
            return Markup("<bdi>%s</bdi>") % value
        locale = get_locale()
        return f"{FSI}{value}{PDI}" if locale and is_rtl(str(locale)) else value
    return value


def _encode(value: Any) -> dict[str, Any]:
    if isinstance(value, Message):
        return {"message": value.to_json()}
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        value = str(value)
    if isinstance(value, int | float):
        return {"number": value}
    return {"text": value}


def _decode(data: dict[str, Any]) -> Any:
    if "message" in data:
        return Message.from_json(data["message"])
    if "datetime" in data:
        return datetime.fromisoformat(data["datetime"])
    if "date" in data:
        return date.fromisoformat(data["date"])
    if "number" in data:
        return data["number"]
    return str(data.get("text", ""))
