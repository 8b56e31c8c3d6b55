"""Fields and helpers shared by every feature's forms."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    SelectMultipleField,
    widgets,
)
from wtforms.fields.choices import SelectChoice


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
