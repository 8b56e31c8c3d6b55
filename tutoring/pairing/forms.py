"""Pairing forms: they read the shape of what the browser posts; the pairing and
availability services check the rules.

The pages write their fields by hand (names and ids the browser journeys rely on);
these classes only read them. `InputForm.refusal` is the one check a view makes.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from wtforms import Field, IntegerField, SelectField, StringField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from exercises.model import LEVELS
from tutoring.accounts.profiles import Sex
from tutoring.core.forms import (
    InputForm,
    MultiCheckboxField,
    ParsedField,
    TextField,
    TickField,
    digits,
    keep,
    options,
    strip_filter,
)
from tutoring.core.i18n import SPOKEN_LANGUAGES
from tutoring.pairing.availability import PERIODS, WEEKDAYS
from tutoring.pairing.models import Place


def _away_dates(form: Any, field: Field) -> None:
    """Both days of an absence or neither, the end after the start."""
    start, end = form.away_from.data, form.away_until.data
    if (start is None) != (end is None) or (start and end and end < start):
        raise ValidationError(str(AWAY_MESSAGE))


AWAY_MESSAGE = _l("Indiquez les deux dates de l’absence, la fin après le début.")
SLOT_CHOICES = options(
    (f"{day}:{period}", f"{day}:{period}") for day in WEEKDAYS for period in PERIODS
)


class PlaceChoicesForm(InputForm):
    """Weekly half-days and the structure's places (both ticked boxes), and video."""

    forged: ClassVar[tuple[str, ...]] = ("availability", "places")
    availability = MultiCheckboxField(choices=SLOT_CHOICES)
    places = MultiCheckboxField(choices=[])
    video_ok = TickField()

    def __init__(self, *args: Any, places: list[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places.choices = options((str(p.id), p.name) for p in places)

    def slots(self) -> set[tuple[int, str]]:
        return {(int(day), period) for day, _sep, period in self._split()}

    def _split(self) -> Iterator[tuple[str, str, str]]:
        return (value.partition(":") for value in self.availability.data or [])

    def place_ids(self) -> list[int]:
        return sorted({int(v) for v in self.places.data or []})


class RecordNeedsForm(PlaceChoicesForm):
    same_sex_tutor = TickField()
    not_reading = TickField()


class EditTutorProfileForm(PlaceChoicesForm):
    forged: ClassVar[tuple[str, ...]] = ("availability", "places", "sex")
    languages = MultiCheckboxField(
        choices=[], validate_choice=False, filters=[keep(SPOKEN_LANGUAGES)]
    )
    max_learners = ParsedField(
        parse=digits,
        message=_l("Choisissez entre 1 et 6 apprenants."),
        validators=[
            NumberRange(min=1, max=6, message=_l("Choisissez entre 1 et 6 apprenants."))
        ],
    )
    bio = StringField(
        default="",
        filters=[strip_filter],
        validators=[
            Length(
                max=500,
                message=_l("La présentation est trop longue (500 caractères au plus)."),
            )
        ],
    )
    away_from = ParsedField(
        parse=date.fromisoformat, message=AWAY_MESSAGE, optional=True
    )
    away_until = ParsedField(
        parse=date.fromisoformat,
        message=AWAY_MESSAGE,
        optional=True,
        validators=[_away_dates],
    )
    levels = MultiCheckboxField(
        choices=[], validate_choice=False, filters=[keep(LEVELS)]
    )
    non_readers = TickField()
    workshops = TickField()
    sex = SelectField(
        choices=options([("", ""), *((s.value, s.value) for s in Sex)]), default=""
    )

    def offer(self) -> dict[str, Any]:
        """What `preferences.update_tutor_profile` takes."""
        start, end = self.away_from.data, self.away_until.data
        return {
            "slots": self.slots(), "languages": self.languages.data,
            "max_learners": self.max_learners.data, "bio": self.bio.data,
            "place_ids": self.place_ids(), "video_ok": self.video_ok.data,
            "levels": self.levels.data, "non_readers": self.non_readers.data,
            "workshops": self.workshops.data, "sex": self.sex.data,
            "away": (start, end) if start and end else None,
        }  # fmt: skip


PLACE_NAME = _l("Indiquez le nom du lieu (120 caractères au plus).")
HOURS = _l(
    "Indiquez l’heure d’ouverture et celle de fermeture, la fermeture après l’ouverture."
)


def _hours(form: Any, field: Field) -> None:
    """Both hours or neither, closing after opening."""
    opens, closes = form.opens_at.data, form.closes_at.data
    if (opens is None) != (closes is None) or (opens and closes and closes <= opens):
        raise ValidationError(str(HOURS))


TOO_LONG = _l("Un des champs est trop long (200 caractères au plus).")


class EditPlaceForm(InputForm):
    forged: ClassVar[tuple[str, ...]] = ("open_days",)
    name = StringField(
        default="",
        filters=[strip_filter],
        validators=[
            DataRequired(message=PLACE_NAME),
            Length(max=120, message=PLACE_NAME),
        ],
    )
    capacity = ParsedField(
        parse=digits,
        message=_l("La capacité va de 2 à 60 personnes."),
        validators=[
            NumberRange(
                min=2, max=60, message=_l("La capacité va de 2 à 60 personnes.")
            )
        ],
    )
    address = StringField(
        default="",
        filters=[strip_filter],
        validators=[Length(max=200, message=TOO_LONG)],
    )
    accessibility = StringField(
        default="",
        filters=[strip_filter],
        validators=[Length(max=200, message=TOO_LONG)],
    )
    opening_hours = StringField(
        default="",
        filters=[strip_filter],
        validators=[Length(max=200, message=TOO_LONG)],
    )
    step_free = TickField()
    active = StringField(default="1")
    open_days = MultiCheckboxField(choices=options((str(d), str(d)) for d in WEEKDAYS))
    opens_at = ParsedField(parse=time.fromisoformat, message=HOURS, optional=True)
    closes_at = ParsedField(
        parse=time.fromisoformat, message=HOURS, optional=True, validators=[_hours]
    )

    def columns(self) -> dict[str, Any]:
        """The place's columns, as `availability.set_place` takes them."""
        return {
            "name": self.name.data, "capacity": self.capacity.data,
            "address": self.address.data, "accessibility": self.accessibility.data,
            "opening_hours": self.opening_hours.data, "step_free": self.step_free.data,
            "active": self.active.data == "1",
            "open_days": "".join(sorted(self.open_days.data or [])) or "0123456",
            "opens_at": self.opens_at.data, "closes_at": self.closes_at.data,
        }  # fmt: skip


MAX_ID = 2**63 - 1  # a database key; larger would overflow the query


def pair(value: str) -> tuple[int, int]:
    """A proposed pairing "learner:tutor" (ValueError otherwise)."""
    learner_id, _sep, tutor_id = value.partition(":")
    ids = digits(learner_id), digits(tutor_id)
    if max(ids) > MAX_ID:
        raise ValueError(value)
    return ids


class PairsField(MultiCheckboxField):
    """Ticked "learner:tutor" proposals, each read by `pair`."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            self.data = [pair(v) for v in valuelist]
        except ValueError as exc:
            self.data = []
            raise ValueError("pair") from exc

    def pre_validate(self, form: Any) -> None:
        """Any learner and tutor: the service looks them up in the structure."""


class ProposePairingsForm(InputForm):
    forged = ("pair",)
    pair = PairsField(choices=[])

    def pairs(self) -> list[tuple[int, int]]:
        return list(self.pair.data or [])


class ProposePairingForm(InputForm):
    forged = ("tutor_id",)
    tutor_id = IntegerField(validators=[Optional(), NumberRange(max=MAX_ID)])


class EndPairingForm(InputForm):
    reason = TextField()


class RespondPairingForm(InputForm):
    forged = ("answer",)
    answer = StringField(validators=[AnyOf(["accept", "decline"])])
    reason = TextField()

    def validate_reason(self, field: Field) -> None:
        if self.answer.data == "decline" and not field.data.strip():
            raise ValidationError(
                _l(
                    "Indiquez la raison du refus : elle aide l’association à "
                    "proposer mieux."
                )
            )
