"""From the shared computer to the learner's phone: a single-use code, shown on
request as a QR code, that signs the same learner in on the phone.

The code is short enough to type (8 symbols of the login cards' alphabet, about
39 bits), lasts HANDOFF_SECONDS, signs in once, and only its hash is kept. The
phone gets a new server-side session of its own (not a shared-computer one unless
ticked there); trying codes is rate-limited per address.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update

from tutoring.accounts import audit
from tutoring.accounts.models import HandoffToken, Role, User
from tutoring.core.codes import CARD_ALPHABET, digest
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

CODE_LENGTH = 8
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def lifetime() -> timedelta:
    return timedelta(seconds=int(current_app.config["HANDOFF_SECONDS"]))


def format_code(raw: str) -> str:
    """'K7M29QXD' -> 'K7M2-9QXD', grouped for reading."""
    return f"{raw[:4]}-{raw[4:]}"


def normalise(typed: str) -> str | None:
    """The canonical code behind what was typed (case, spaces and dashes forgiven),
    or None when it cannot be one, so that no lookup is made."""
    cleaned = "".join(c for c in typed[:40].upper() if c.isalnum()).translate(
        _LOOKALIKES
    )
    if len(cleaned) != CODE_LENGTH or any(c not in CARD_ALPHABET for c in cleaned):
        return None
    return format_code(cleaned)


def issue(learner: User, now: datetime | None = None) -> tuple[str, datetime]:
    """A new code for the learner (the earlier ones they did not use stop working);
    return it, to show once, and when it stops working."""
    if Role.LEARNER not in learner.roles:
        raise PermissionError("only a learner continues on their phone")
    now = now or utcnow()
    db.session.execute(
        update(HandoffToken)
        .where(HandoffToken.user_id == learner.id, HandoffToken.used_at.is_(None))
        .values(used_at=now)
    )
    code = format_code(
        "".join(secrets.choice(CARD_ALPHABET) for _ in range(CODE_LENGTH))
    )
    expires = now + lifetime()
    db.session.add(
        HandoffToken(
            user_id=learner.id, token_hash=digest(code), created_at=now,
            expires_at=expires,
        )
    )  # fmt: skip
    audit.record("handoff_issued", learner, learner)
    return code, expires


def _live(code: str, now: datetime) -> HandoffToken | None:
    canonical = normalise(code)
    if canonical is None:
        return None
    row = db.session.scalar(
        select(HandoffToken).where(HandoffToken.token_hash == digest(canonical))
    )
    if row is None or row.used_at is not None or row.expires_at <= now:
        return None
    user = row.user
    if not user.is_active or Role.LEARNER not in user.roles:
        return None
    return row


def check(code: str, now: datetime | None = None) -> User | None:
    """The learner a code would sign in, without using it up; None when it is
    unknown, used, expired or its account closed."""
    row = _live(code, now or utcnow())
    return row.user if row is not None else None


def redeem(code: str, now: datetime | None = None) -> User | None:
    """Use the code up and return its learner; None as for `check` (then nothing
    changes). The update is conditional, so two phones cannot both use it."""
    now = now or utcnow()
    row = _live(code, now)
    if row is None:
        return None
    result = db.session.execute(
        update(HandoffToken)
        .where(HandoffToken.id == row.id, HandoffToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if int(getattr(result, "rowcount", 0) or 0) != 1:
        return None
    audit.record("handoff_used", row.user, row.user)
    return row.user
