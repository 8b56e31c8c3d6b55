"""Fixtures of the accounts tests: the mailbox the app writes to."""

from __future__ import annotations

import re

import pytest

from tutoring.accounts import users


class Mailbox(list[tuple[str, str, str]]):
    """The e-mails the app sends (to, subject, body), read as their owner would."""

    def link(self, to: str, path: str) -> str:
        """The local address of the last link to `path` mailed to `to`."""
        for address, _subject, body in reversed(self):
            found = re.search(rf"https?://[^/\s]+({re.escape(path)}\S*)", body)
            if address == to and found:
                return found.group(1)
        raise AssertionError(f"no link to {path} mailed to {to}: {self}")


@pytest.fixture
def mailbox(monkeypatch) -> Mailbox:
    sent = Mailbox()
    monkeypatch.setattr(users, "send_mail", lambda *mail: sent.append(mail))
    return sent
