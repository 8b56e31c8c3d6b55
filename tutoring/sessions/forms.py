"""Session forms: they read the shape of what the browser posts (the pages write
the fields by hand); the booking service checks the rules."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import Field
from wtforms.validators import AnyOf, DataRequired, NumberRange, ValidationError

from exercises.model import SKILLS, THEMES
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
from tutoring.pairing.models import Pairing, Place
from tutoring.sessions.booking import Booking
from tutoring.sessions.models import Attendance, TutoringSession

WHEN = _l("Indiquez une date, une heure et une durée valables.")
VIDEO_LINK_MISSING = _l(
    "Pour une séance en visio, collez le lien de la visio (il commence par https://)."
)
REPORT_MINUTES = _l(
    "La durée réelle s’écrit en minutes, de 0 à 480 (8 heures) : vérifiez ce nombre."
)


class WhenForm(InputForm):
    """Date, time (Millau) and length in minutes, as Python reads them."""

    day = ParsedField(parse=date.fromisoformat, message=WHEN)
    at = ParsedField(parse=time.fromisoformat, message=WHEN)
    minutes = ParsedField(parse=int, message=WHEN)


class RescheduleSessionForm(WhenForm):
    reason = TextField()


def first_chars(limit: int) -> Any:
    def cut(value: Any) -> Any:
        return value[:limit] if isinstance(value, str) else value

    return cut


class BookSessionForm(WhenForm):
    """When, where (a place of the structure or "video"), and a weekly end."""

    weekly_until = ParsedField(parse=date.fromisoformat, message=WHEN, optional=True)
    where = TextField()
    video_url = TextField(filters=[strip_filter, first_chars(300)])
    outside_ok = TickField()

    def __init__(self, *args: Any, places: list[Place], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.places = {str(p.id): p for p in places}

    def validate_where(self, field: Field) -> None:
        if field.data.isdecimal():
            if field.data not in self.places:
                raise ValidationError(str(WHEN))
        elif field.data != "video":
            raise ValidationError(str(_l("Choisissez un lieu ou la visio.")))

    def validate_video_url(self, field: Field) -> None:
        if self.where.data == "video" and not field.data:
            raise ValidationError(str(VIDEO_LINK_MISSING))

    def posted(self) -> dict[str, str]:
        """The booking as posted, to fill the form again for a confirmation."""
        names = ("day", "at", "minutes", "where", "video_url", "weekly_until")
        return {name: str(self[name].raw_data[0]) if self[name].raw_data else ""
                for name in names}  # fmt: skip

    def when_invalid(self) -> bool:
        """Is one of the booking's own fields wrong (not a workshop's title)?"""
        return any(name in self.errors for name in BOOKING_FIELDS)

    def booking(self) -> dict[str, Any]:
        """The fields `booking.book_session` takes."""
        place = self.places.get(self.where.data)
        return {
            "day": self.day.data, "at": self.at.data, "minutes": self.minutes.data,
            "place": place, "video_url": None if place else self.video_url.data or None,
            "weekly_until": self.weekly_until.data,
        }  # fmt: skip


BOOKING_FIELDS = ("day", "at", "minutes", "weekly_until", "where", "video_url")


class BookWorkshopForm(BookSessionForm):
    """A group workshop: a title and some of the tutor's paired learners."""

    forged = ("learners",)
    title = TextField(
        filters=[strip_filter, first_chars(120)],
        validators=[DataRequired(message=_l("Donnez un titre à l’atelier."))],
    )
    learners = MultiCheckboxField(choices=[])

    def __init__(
        self,
        *args: Any,
        places: list[Place],
        pairings: dict[int, Pairing],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, places=places, **kwargs)
        self.pairings = pairings
        self.learners.choices = options((str(i), str(i)) for i in pairings)

    def workshop(self, tutor_id: int) -> Booking:
        chosen = [int(v) for v in self.learners.data or []]
        return Booking(
            tutor_id=tutor_id, learners=[(i, self.pairings[i].id) for i in chosen],
            workshop=self.title.data, **self.booking(),
        )  # fmt: skip


class CancelSessionForm(InputForm):
    reason = TextField()
    back = TextField()

    def back_to(self) -> str | None:
        """Where to go back to: a path on this site only."""
        back = self.back.data
        return back if back.startswith("/") and not back.startswith("//") else None


class AskChangeForm(InputForm):
    message = TextField()


class CalendarFeedForm(InputForm):
    action = TextField()


REPORT_MISSING = _l("Indiquez la présence de chacun et la durée réelle en minutes.")
HOMEWORK = _l("Choisissez un thème et de 1 à 10 exercices pour le devoir.")
ATTENDANCE = [a.value for a in Attendance]


def number(value: str) -> int | None:
    try:
        return digits(value)
    except ValueError:
        return None


class RecordReportForm(InputForm):
    """The report; `record_report_form` adds one attendance field per learner."""

    minutes = ParsedField(
        parse=digits,
        message=REPORT_MISSING,
        validators=[NumberRange(min=0, max=480, message=REPORT_MINUTES)],
    )
    skills = MultiCheckboxField(
        choices=[], validate_choice=False, filters=[keep(SKILLS)]
    )
    themes = MultiCheckboxField(
        choices=[], validate_choice=False, filters=[keep(THEMES)]
    )
    homework_theme = TextField(validators=[AnyOf(["", *THEMES], message=HOMEWORK)])
    homework_count = TextField()
    note_for_learner = TextField()
    note_for_referent = TextField()
    row_ids: list[int] = []

    def validate_homework_count(self, field: Field) -> None:
        count = number(field.data)
        if self.homework_theme.data and (count is None or not 1 <= count <= 10):
            raise ValidationError(str(HOMEWORK))

    def messages(self) -> Iterator[str]:
        """Attendance first, then the other fields in order."""
        if any(f"attendance-{i}" in self.errors for i in self.row_ids):
            yield str(REPORT_MISSING)
        yield from super().messages()

    def report(self) -> dict[str, Any]:
        """The fields `booking.report` takes, but the homework."""
        return {
            "attendance": {
                i: Attendance(self[f"attendance-{i}"].data) for i in self.row_ids
            },
            "minutes": self.minutes.data, "skills": self.skills.data,
            "themes": self.themes.data, "note_for_learner": self.note_for_learner.data,
            "note_for_referent": self.note_for_referent.data,
        }  # fmt: skip

    def homework(self) -> tuple[str, int] | None:
        """Theme and number of exercises, when homework is given."""
        count = number(self.homework_count.data)
        if not self.homework_theme.data or count is None:
            return None
        return self.homework_theme.data, count


def record_report_form(rows: list[TutoringSession]) -> RecordReportForm:
    """The report form with a present/excused/absent choice for each learner."""

    class Report(RecordReportForm):
        row_ids = [row.id for row in rows]

    for row in rows:
        setattr(
            Report, f"attendance-{row.id}",
            TextField(validators=[AnyOf(ATTENDANCE, message=REPORT_MISSING)]),
        )  # fmt: skip
    return Report()
