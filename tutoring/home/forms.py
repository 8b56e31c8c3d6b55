"""Forms of the home feature: the language picker."""

from __future__ import annotations

from tutoring.accounts.access import is_safe_next
from tutoring.core.forms import InputForm, TextField
from tutoring.core.i18n import supported_locales


class LanguageForm(InputForm):
    """A language of the site and the page to go back to (a path of this site)."""

    lang = TextField()
    next = TextField()

    def locale(self) -> str | None:
        """The language chosen, when the site speaks it."""
        return self.lang.data if self.lang.data in supported_locales() else None

    def back_to(self, default: str) -> str:
        return self.next.data if is_safe_next(self.next.data) else default
