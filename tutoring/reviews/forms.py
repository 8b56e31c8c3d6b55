"""Forms of the reviews feature: the mark of a production, a level for each criterion
of its rubric and a comment. They read what the browser posts; the marking service
checks the rules."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import ClassVar

from flask_babel import lazy_gettext as _l
from wtforms.validators import AnyOf, Length

from tutoring.core.forms import InputForm, TextField

MISSING = _l("Donnez une appréciation pour chaque critère.")
LEVELS = ("0", "1", "2", "3")


class ReviewForm(InputForm):
    """A review; `review_form` adds a level (0 to 3) for each criterion."""

    comment = TextField(
        validators=[
            Length(
                max=3000,
                message=_l("Le commentaire est trop long (3 000 caractères au plus)."),
            )
        ]
    )
    criteria_keys: ClassVar[tuple[str, ...]] = ()

    def messages(self) -> Iterator[str]:
        """The criteria first, in the rubric's order, then the comment."""
        for name in (*self.criteria_keys, "comment"):
            if self[name].errors:
                yield str(self[name].errors[0])

    def criteria(self) -> dict[str, int]:
        return {key: int(self[key].data) for key in self.criteria_keys}


def review_form(rubric: Iterable[str]) -> ReviewForm:
    """The review form of a rubric's criteria."""

    class Review(ReviewForm):
        criteria_keys = tuple(rubric)

    for key in Review.criteria_keys:
        setattr(Review, key, TextField(validators=[AnyOf(LEVELS, message=MISSING)]))
    return Review()


class LiveSpeakingForm(InputForm):
    """The marks of a live speaking part: `live_speaking_form` adds a level (0 to 3)
    per criterion of each task, named t<task>-<criterion>."""

    fields_of_task: ClassVar[tuple[tuple[str, ...], ...]] = ()
    rubric: ClassVar[tuple[str, ...]] = ()

    def marks(self) -> list[dict[str, int]]:
        """Per task, in order, the level given to each criterion."""
        return [
            {
                key: int(self[name].data)
                for key, name in zip(self.rubric, names, strict=True)
            }
            for names in self.fields_of_task
        ]


def live_speaking_form(tasks: int, rubric: Iterable[str]) -> LiveSpeakingForm:
    """The live speaking form: each task marked on the rubric's criteria."""
    keys = tuple(rubric)

    class Live(LiveSpeakingForm):
        rubric = keys
        fields_of_task = tuple(
            tuple(f"t{n}-{key}" for key in keys) for n in range(1, tasks + 1)
        )

    for names in Live.fields_of_task:
        for name in names:
            setattr(Live, name, TextField(validators=[AnyOf(LEVELS, message=MISSING)]))
    return Live()
