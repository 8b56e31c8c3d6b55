"""Shared computers (the MESA digital space's, a structure's reception desk).

A referent marks the browser they are using as one of the structure's shared
computers, under a name (« MESA – poste 3 »): a random token goes into a long-lived
`HttpOnly` cookie, its SHA-256 hash into `shared_computers`. The cookie survives the
learners' sign-outs; the referent's list shows each computer (name, marked on, last
sign-in) and revokes any of them (a lost one included), after which its cookie no
longer counts.

On a marked computer every sign-in is a shared-computer one, as when the learner
ticks « Je suis sur un ordinateur partagé »: short idle timeout enforced on the
server, no cookie kept after closing, nothing cached (`no-store`), no offline packs,
a large « Terminer » button, and a sign-out that clears the site's storage.
"""

from __future__ import annotations

import secrets

from flask import g, has_request_context, request
from sqlalchemy import select

from tutoring.accounts import audit
from tutoring.accounts.errors import AccountError
from tutoring.accounts.models import SharedComputer, User
from tutoring.core.codes import digest
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

COMPUTER_COOKIE = "poste_partage"
LABEL_MAX = 80


def add_computer(structure_id: int, referent: User, label: str = "") -> str:
    """Mark this browser as a shared computer of the structure; return the cookie's
    token (shown to nobody)."""
    label = " ".join(label.split())
    if len(label) > LABEL_MAX:
        raise AccountError("label_too_long", "label")
    token = secrets.token_urlsafe(32)
    now = utcnow()
    computer = SharedComputer(
        structure_id=structure_id, token_hash=digest(token), added_by_id=referent.id,
        label=label, added_at=now, last_seen_at=now,
    )  # fmt: skip
    db.session.add(computer)
    db.session.flush()
    audit.record("shared_computer_added", referent, None, computer=str(computer.id))
    return token


def computer_for(token: str | None) -> SharedComputer | None:
    """The live shared computer behind a cookie's token, or None."""
    if not token or len(token) > 100:
        return None
    computer = db.session.scalar(
        select(SharedComputer).where(SharedComputer.token_hash == digest(token))
    )
    if computer is None or computer.revoked_at is not None:
        return None
    return computer


def remove_computer(computer: SharedComputer, referent: User) -> None:
    """Revoke the computer: its cookie no longer counts (the sessions open there end
    by themselves with the short idle timeout)."""
    if computer.revoked_at is None:
        computer.revoked_at = utcnow()
        audit.record(
            "shared_computer_removed", referent, None, computer=str(computer.id)
        )


def computers_of(structure_id: int) -> list[SharedComputer]:
    """The structure's shared computers still counted, latest marked first."""
    return list(
        db.session.scalars(
            select(SharedComputer)
            .where(
                SharedComputer.structure_id == structure_id,
                SharedComputer.revoked_at.is_(None),
            )
            .order_by(SharedComputer.added_at.desc(), SharedComputer.id.desc())
        )
    )


def computer_of(structure_id: int, computer_id: int) -> SharedComputer | None:
    """The structure's computer with this id (revoked or not), else None."""
    computer = db.session.get(SharedComputer, computer_id)
    if computer is None or computer.structure_id != structure_id:
        return None
    return computer


def seen(computer: SharedComputer) -> None:
    """Someone signed in on this computer."""
    computer.last_seen_at = utcnow()


def this_computer() -> SharedComputer | None:
    """The shared computer this browser is (its cookie), read once per request;
    None outside a request, without the cookie or when it was revoked."""
    if not has_request_context():
        return None
    token = request.cookies.get(COMPUTER_COOKIE)
    if not token:  # most browsers: no query at all
        return None
    if "shared_computer_row" not in g:
        g.shared_computer_row = computer_for(token)
    computer: SharedComputer | None = g.shared_computer_row
    return computer


def marked_here() -> bool:
    """Whether this browser carries a shared computer's cookie (cheap: not checked
    against the database; enough to keep pages out of every cache)."""
    return has_request_context() and bool(request.cookies.get(COMPUTER_COOKIE))
