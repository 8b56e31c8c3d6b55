"""Fields and helpers shared by every feature's forms."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from typing import Any, ClassVar

from flask import abort
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    Field,
    SelectMultipleField,
    StringField,
    widgets,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # new in WTForms 3.3; types-WTForms is for 3.2
from wtforms.validators import (
    StopValidation,
)


def strip_filter(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class ConfirmForm(FlaskForm):
    """A button that only needs its CSRF token."""


def options(pairs: Any) -> list[SelectChoice]:
    """Turn (value, label) pairs into WTForms choices."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class InputForm(FlaskForm):
    """A posted form whose fields the page writes by hand.

    `forged` names the fields a browser cannot get wrong (ticked boxes, fixed
    choices): an error there is tampering, refused with a bare 400, as is a bad
    CSRF token. Any other error is the first field's message, for the page."""

    forged: ClassVar[tuple[str, ...]] = ()

    def refusal(self) -> str | None:
        """Validate the posted data: None when all is well, else the message to
        show; aborts with 400 on a bad CSRF token or a forged value."""
        if self.validate():
            return None
        if any(name in self.errors for name in ("csrf_token", *self.forged)):
            abort(400)
        return next(self.messages(), None)

    def messages(self) -> Iterator[str]:
        """Field messages, the first one shown: in the order of the fields."""
        for field in self:
            if field.errors:
                yield str(field.errors[0])


class ParsedField(Field):
    """The first posted value read by `parse` (ValueError when unreadable): the
    field's `message` then. Empty gives None when `optional`."""

    def __init__(
        self,
        label: Any = None,
        validators: Any = None,
        *,
        parse: Callable[[str], Any],
        message: Any,
        optional: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.parse, self.message, self.optional = parse, message, optional

    def process_formdata(self, valuelist: list[Any]) -> None:
        value = valuelist[0] if valuelist else ""
        self.data = None
        if self.optional and value == "":
            return
        try:
            self.data = self.parse(value)
        except (ValueError, TypeError) as exc:
            raise ValueError(self.message) from exc

    def pre_validate(self, form: Any) -> None:
        """Nothing posted at all (an empty body is not read) is unreadable too."""
        if self.data is None and not self.optional and not self.process_errors:
            raise StopValidation(str(self.message))


def digits(value: str) -> int:
    """A whole number written with digits only: not "-1", "+1", " 1" or "1e3"."""
    if not value.isdecimal():
        raise ValueError(value)
    return int(value)  # ValueError past Python's 4,300 digits


class TextField(StringField):
    """Text as posted (the first value), "" when absent; services strip and cut."""

    data: str

    def __init__(
        self, label: Any = None, validators: Any = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("default", "")
        super().__init__(label, validators, **kwargs)


class TickField(BooleanField):
    """A ticked box: any non-empty value counts, as the pages always read it."""

    false_values = ("",)


def keep(known: Collection[str]) -> Callable[[Any], Any]:
    """A filter dropping the ticked values that are not offered (no error)."""

    def kept(values: Any) -> Any:
        return [v for v in values or [] if v in known]

    return kept
