"""Forms of the learning feature: the practice pages' choices, the answer to an item
(its fields depend on the item's type), homework from the bank, a level obtained
elsewhere. They read the shape of what the browser posts; the practice service checks
the rules."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    Field,
    Form,
    SelectField,
    StringField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    Optional,
    ValidationError,
)

from exercises.model import LEVELS, SKILLS, THEMES, TYPES
from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.forms import recording
from tutoring.core.forms import InputForm, ParsedField, TextField, options, strip_filter

SOURCE_LABELS = {
    "ofii": _l("Test de positionnement de l’OFII"),
    "tcf": _l("TCF"),
    "tef": _l("TEF"),
    "delf": _l("DELF"),
    "other": _l("Autre évaluation"),
}

IMPLAUSIBLE = _l("Cette date n’est pas plausible.")


class ExternalLevelForm(FlaskForm):
    source = SelectField(_l("Évaluation"), choices=options(list(SOURCE_LABELS.items())))
    skill = SelectField(
        _l("Compétence"),
        choices=options(
            [
                ("", _l("Les quatre compétences")),
                ("CO", _l("Comprendre à l’oral")),
                ("CE", _l("Comprendre à l’écrit")),
                ("EE", _l("Écrire")),
                ("EO", _l("Parler")),
            ]
        ),  # fmt: skip
        default="",
        validators=[Optional()],
    )
    level = SelectField(
        _l("Niveau obtenu"),
        choices=options([(lvl, lvl) for lvl in ("A1.1", "A1", "A2", "B1", "B2")]),
    )
    taken_on = DateField(
        _l("Date de l’évaluation"),
        validators=[InputRequired(message=_l("Indiquez la date."))],
    )

    def validate_taken_on(self, field: Field) -> None:
        """A level already measured: not a day to come."""
        if field.data is not None and field.data > date.today():
            raise ValidationError(str(IMPLAUSIBLE))

    def level_record(self) -> dict[str, Any]:
        """The fields `progress.record_external_level` takes."""
        return {
            "source": self.source.data, "skill": self.skill.data or None,
            "level": self.level.data, "taken_on": self.taken_on.data,
        }  # fmt: skip


class LevelForm(InputForm):
    """The level of theme sets, picked in a list."""

    forged: ClassVar[tuple[str, ...]] = ("level",)
    level = TextField(validators=[AnyOf(LEVELS)])


class NewSetForm(InputForm):
    """A set of the learner's level: no theme (adaptive) or one of the themes."""

    forged: ClassVar[tuple[str, ...]] = ("theme",)
    theme = TextField(validators=[AnyOf(["", *THEMES])])

    def chosen_theme(self) -> str | None:
        return self.theme.data or None


class PlacementForm(InputForm):
    """Does the learner read? The picture-and-sound path when not."""

    forged: ClassVar[tuple[str, ...]] = ("reads",)
    reads = TextField(validators=[AnyOf(["yes", "some", "no"])])

    def reading(self) -> bool:
        return self.reads.data != "no"


class TargetDateForm(InputForm):
    """The day the learner needs their level by; empty clears it."""

    target_date = ParsedField(
        parse=date.fromisoformat, message=IMPLAUSIBLE, optional=True
    )


def whole_or_none(value: Any) -> int | None:
    """A number as the pages post it, None when unreadable (never an error)."""
    try:
        return int(value)
    except (ValueError, TypeError):
        return None


def seconds_of(value: Any) -> float:
    """A recording's length in seconds: 0 when unreadable or implausible."""
    try:
        seconds = float(value or 0)
    except (ValueError, TypeError):
        return 0.0
    return seconds if 0 <= seconds < 3600 else 0.0


class PostedText(Field):
    """The first text posted under the name ("" when none): a file is no text."""

    data: str

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = next((v for v in valuelist if isinstance(v, str)), "")


class PostedTexts(Field):
    """Every text posted under the name, in order ([] when none)."""

    data: list[str]

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = [v for v in valuelist if isinstance(v, str)]


class PostedNumber(Field):
    """The first text posted, read by `parse` (which never fails)."""

    def __init__(self, *args: Any, parse: Callable[[str], Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parse = parse

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = self.parse(next((v for v in valuelist if isinstance(v, str)), ""))


def seconds_field() -> Field:
    return PostedNumber(parse=seconds_of)


# Each item type's posted field: its name is also the key of the response.
RESPONSE_FIELDS: dict[str, tuple[str, Callable[[], Field]]] = {
    "single_choice": ("choice", PostedText),
    "image_choice": ("choice", PostedText),
    "multiple_choice": ("choices", PostedTexts),
    "true_false": ("answer", PostedText),
    "gap_typed": ("gaps", PostedTexts),
    "gap_list": ("gaps", PostedTexts),
    "matching": ("pairs", PostedTexts),
    "ordering": ("order", PostedTexts),
    "form_filling": ("fields", PostedTexts),
    "dictation": ("text", PostedText),
    "short_writing": ("text", PostedText),
    "oral_production": ("seconds", seconds_field),
    # the « Numérique » track
    "pointer": ("targets", PostedTexts),
    "typing": ("text", PostedText),
    "tab_form": ("fields", PostedTexts),
    "timed_choice": ("choice", PostedText),
}


class AnswerForm(InputForm):
    """An answer: the item's place in the set, the attempt's client id (a resubmit is
    harmless), when the item was shown, a recording; `answer_form` adds the item's
    own fields. Only the CSRF token can be refused here: the service grades."""

    position = PostedNumber(parse=whole_or_none)
    client_id = PostedText()
    shown_at = PostedNumber(parse=whole_or_none)
    audio = FileField()
    response_names: ClassVar[tuple[str, ...]] = ()

    def response(self) -> dict[str, Any]:
        return {name: self[name].data for name in self.response_names}

    def time_ms(self) -> int | None:
        """How long the item was on screen, by the browser's clock."""
        shown = self.shown_at.data
        return int(time.time() * 1000) - shown if shown else None

    def attempt(self) -> dict[str, Any]:
        """What `practice.record_answer` takes, besides the learner and the set."""
        return {
            "position": self.position.data, "client_id": self.client_id.data,
            "response": self.response(), "time_ms": self.time_ms(),
            "audio": recording(self.audio.data),
        }  # fmt: skip


def _answer_form_class(kind: str | None) -> type[AnswerForm]:
    class Answer(AnswerForm):
        pass

    if kind in RESPONSE_FIELDS:
        name, field = RESPONSE_FIELDS[kind]
        setattr(Answer, name, field())
        Answer.response_names = (name,)
    return Answer


ANSWER_FORMS = {kind: _answer_form_class(kind) for kind in (*TYPES, None)}


def answer_form(kind: str | None) -> AnswerForm:
    """The answer form of an item of this type (None: no item to answer)."""
    return ANSWER_FORMS.get(kind, AnswerForm)()


BANK_FILTERS = {"level": LEVELS, "skill": SKILLS, "theme": THEMES, "type": TYPES}


class BankFilterForm(Form):
    """The bank's filters, read from the address (GET): an unknown value is no filter."""

    level = PostedText()
    skill = PostedText()
    theme = PostedText()
    type = PostedText()
    page = PostedNumber(parse=whole_or_none)

    def chosen(self) -> dict[str, Any]:
        return {
            key: self[key].data
            for key, allowed in BANK_FILTERS.items()
            if self[key].data in allowed
        }

    def page_number(self) -> int:
        page: int = self.page.data or 1
        return max(1, page)


MAX_ID_DIGITS = 18  # a database key: more digits would overflow the query


class ItemIdsField(Field):
    """Ticked items of the bank: their ids; anything else is dropped."""

    data: list[int]

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = [
            int(v) for v in valuelist
            if isinstance(v, str) and v.isdecimal() and len(v) <= MAX_ID_DIGITS
        ]  # fmt: skip


class AssignForm(FlaskForm):
    learner_id = SelectField(_l("Apprenant ou apprenante"), coerce=int)
    title = StringField(
        _l("Titre du devoir"),
        validators=[DataRequired(message=_l("Indiquez un titre.")), Length(max=120)],
        filters=[strip_filter],
        description=_l("Par exemple : « Lire une ordonnance »."),
    )
    due_on = DateField(
        _l("À faire pour le"),
        validators=[InputRequired(message=_l("Indiquez une date."))],
    )
    items = ItemIdsField(default=[])

    def __init__(
        self, *args: Any, learners: list[tuple[LearnerProfile, User]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.learners = learners
        self.learner_id.choices = options(
            (p.id, user.display_name) for p, user in learners
        )

    def error_text(self) -> str:
        """Every error, one after the other."""
        return " ".join(str(e) for errors in self.errors.values() for e in errors)

    def learner(self) -> tuple[LearnerProfile, User] | None:
        """The chosen learner and their account."""
        chosen = self.learner_id.data
        return next((pair for pair in self.learners if pair[0].id == chosen), None)

    def homework(self) -> dict[str, Any]:
        """The fields `practice.assign_homework` takes, besides who and for whom."""
        return {
            "title": self.title.data or "", "item_version_ids": self.items.data or [],
            "due_on": self.due_on.data,
        }  # fmt: skip


class OfflineRecordingForm(InputForm):
    """A recording made offline, sent on its own (multipart): where it belongs in
    its pack, when it was made, its length and the file; the service checks all."""

    client_id = PostedText()
    pack = PostedNumber(parse=whole_or_none)
    position = PostedNumber(parse=whole_or_none)
    item_version_id = PostedNumber(parse=whole_or_none)
    answered_at = PostedText()
    time_ms = PostedNumber(parse=whole_or_none)
    seconds = seconds_field()
    audio = FileField()

    def answer(self) -> dict[str, Any]:
        """The answer as `offline.sync_recording` reads it (like a batch's answer)."""
        return {
            "client_id": self.client_id.data, "pack": self.pack.data,
            "position": self.position.data, "item_version_id": self.item_version_id.data,
            "answered_at": self.answered_at.data, "time_ms": self.time_ms.data,
            "response": {"seconds": self.seconds.data},
        }  # fmt: skip

    def recording(self) -> tuple[bytes, str] | None:
        return recording(self.audio.data)
