"""The error an account service raises when a rule of the domain is broken."""

from __future__ import annotations


class AccountError(ValueError):
    """A rule of the domain was broken; `field` names the form field concerned."""

    def __init__(self, code: str, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
