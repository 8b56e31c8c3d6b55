"""Forms of the exams feature: the mention of a mock civic exam, a page of its
answers. They read the shape of what the browser posts; the exam services check the
rules."""

from __future__ import annotations

from typing import ClassVar

from flask_babel import lazy_gettext as _l
from wtforms.validators import AnyOf

from exercises.civic import MENTIONS
from tutoring.core.forms import InputForm, ParsedField, TextField, digits

FORGED = _l("Le formulaire n’est pas valable. Rechargez la page.")  # a bare 400


class StartCivicForm(InputForm):
    forged: ClassVar[tuple[str, ...]] = ("mention",)
    mention = TextField(validators=[AnyOf(MENTIONS)])


class CivicPageForm(InputForm):
    """A page of the civic exam; `civic_page_form` adds a choice per question."""

    action = TextField()
    confirmed = TextField()  # "1" once the learner has seen the unanswered questions
    indexes: ClassVar[tuple[int, ...]] = ()

    def answers(self) -> dict[int, int]:
        """The choice (an index) ticked for each question of the page answered."""
        found = ((i, self[f"q{i}"].data) for i in self.indexes)
        return {index: choice for index, choice in found if choice is not None}

    def finishing(self) -> bool:
        return bool(self.action.data == "finish")

    def finish_confirmed(self) -> bool:
        return bool(self.confirmed.data == "1")

    def next_page(self, page: int, pages: int) -> int:
        """The page the learner turns to: back, or on by default."""
        target = page - 1 if self.action.data == "back" else page + 1
        return max(0, min(pages - 1, target))


def civic_page_form(indexes: range) -> CivicPageForm:
    """The page's form: a ticked choice (digits), or none, for each question."""

    class Page(CivicPageForm):
        forged = tuple(f"q{i}" for i in indexes)

    Page.indexes = tuple(indexes)
    for index in indexes:
        setattr(
            Page, f"q{index}",
            ParsedField(parse=digits, message=FORGED, optional=True),
        )  # fmt: skip
    return Page()


class SpeakingChoiceForm(InputForm):
    """How the learner takes the speaking part: recorded now, or live with a tutor."""

    forged: ClassVar[tuple[str, ...]] = ("mode",)
    mode = TextField(validators=[AnyOf(("recorded", "live"))])

    def live(self) -> bool:
        return bool(self.mode.data == "live")
