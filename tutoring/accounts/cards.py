"""Login cards: issue a learner's card, revoke it, find the learner a typed code opens."""

from __future__ import annotations

from sqlalchemy import select, update

from tutoring.accounts import audit
from tutoring.accounts.models import LoginCard, User
from tutoring.accounts.signin import revoke_all_sessions
from tutoring.core.codes import digest, new_card_code, normalise_card_code
from tutoring.core.database import utcnow
from tutoring.core.extensions import db


def issue_login_card(learner: User, referent: User) -> str:
    """Revoke the learner's cards and return the code of a new one (shown once)."""
    revoke_login_cards(learner, referent, reason="reissued")
    code = new_card_code()
    db.session.add(
        LoginCard(user_id=learner.id, code_hash=digest(code), issued_by_id=referent.id)
    )
    audit.record("login_card_issued", referent, learner)
    return code


def revoke_login_cards(learner: User, referent: User, reason: str = "revoked") -> int:
    """Revoke every active card of the learner and end the sessions they opened."""
    result = db.session.execute(
        update(LoginCard)
        .where(LoginCard.user_id == learner.id, LoginCard.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        # Whoever found a lost card may be signed in with it: close every session.
        revoke_all_sessions(learner)
        audit.record("login_card_revoked", referent, learner, reason=reason)
    return count


def active_card(learner: User) -> LoginCard | None:
    return db.session.scalar(
        select(LoginCard).where(
            LoginCard.user_id == learner.id, LoginCard.revoked_at.is_(None)
        )
    )


def user_for_card(typed_code: str) -> User | None:
    """Return the learner an active card code belongs to, or None."""
    code = normalise_card_code(typed_code)
    if code is None:
        return None
    card = db.session.scalar(
        select(LoginCard).where(LoginCard.code_hash == digest(code))
    )
    if card is None or card.revoked_at is not None or not card.user.is_active:
        return None
    card.last_used_at = utcnow()
    return card.user
