"""Login cards: issue a learner's card, revoke it, find the learner a typed code opens."""

from __future__ import annotations

import hmac

from sqlalchemy import select, update

from tutoring.accounts import audit, pictures, twofactor
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
    """Revoke every active card of the learner and end every way in they opened."""
    result = db.session.execute(
        update(LoginCard)
        .where(LoginCard.user_id == learner.id, LoginCard.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    # The picture sign-in goes with the card: whoever holds the card may have seen it.
    pictures.revoke(learner, referent, reason=reason)
    if count:
        # Whoever found a lost card may be signed in with it, or may have chosen a
        # password or turned two-factor on with it: all of it goes with the card.
        revoke_all_sessions(learner)
        forget_card_secrets(learner, referent)
        audit.record("login_card_revoked", referent, learner, reason=reason)
    return count


def forget_card_secrets(learner: User, referent: User) -> None:
    """Remove what a session opened by the card could add: a password chosen with
    it, two-factor (its phone may be the finder's), the private calendar address.
    A password the learner chose through an e-mailed link stays."""
    password = learner.password_from_card and learner.password_hash is not None
    two_factor = learner.has_2fa
    if password:
        learner.password_hash = None
        learner.password_from_card = False
    if two_factor:
        twofactor.disable(learner)
    learner.calendar_token_hash = None
    if password or two_factor:
        audit.record(
            "card_secrets_removed", referent, learner,
            password=str(password).lower(), two_factor=str(two_factor).lower(),
        )  # fmt: skip


def remove_sign_in_secrets(learner: User, referent: User) -> None:
    """The referent removes the learner's password and two-factor: only the card
    signs in afterwards, and every open session ends."""
    learner.password_hash = None
    learner.password_from_card = False
    twofactor.disable(learner)
    revoke_all_sessions(learner)
    audit.record("sign_in_secrets_removed", referent, learner)


def card_code_matches(learner: User, typed_code: str) -> bool:
    """Is `typed_code` the code of the learner's active card?"""
    code = normalise_card_code(typed_code)
    if code is None:
        return False
    card = active_card(learner)
    return card is not None and hmac.compare_digest(card.code_hash, digest(code))


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
