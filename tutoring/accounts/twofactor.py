"""Two-factor sign-in: TOTP secrets and single-use recovery codes."""

from __future__ import annotations

import hmac
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from tutoring.accounts import audit
from tutoring.accounts.errors import AccountError
from tutoring.accounts.models import RecoveryCode, User, UserSession
from tutoring.accounts.passwords import verify_password
from tutoring.accounts.signin import revoke_all_sessions
from tutoring.core.codes import digest, new_recovery_code, normalise_recovery_code
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

RECOVERY_CODE_COUNT = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def matching_step(secret: str, code: str, now: float | None = None) -> int | None:
    """The 30-second step whose code was typed: the current one, or the one just
    before or after it (a phone's clock drifts); None when no step matches."""
    cleaned = "".join(c for c in code if c.isdigit())
    if len(cleaned) != 6:
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(time.time() if now is None else now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(cleaned, totp.generate_otp(step)):
            return step
    return None


def accept_totp(user: User, code: str) -> bool:
    """Check a TOTP code and use it up: a code of a step at or before the last one
    accepted is refused, so that a code seen or typed once never signs in again.
    The check and the write are one conditional UPDATE, so that two workers given
    the same code at the same time accept it once only."""
    if not user.totp_secret:
        return False
    step = matching_step(user.totp_secret, code)
    if step is None:
        return False
    result = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if not getattr(result, "rowcount", 0):
        return False
    set_committed_value(user, "totp_last_step", step)  # written just above
    return True


def required_for(user: User) -> bool:
    """Does one of the account's roles require two-factor sign-in?"""
    required = set(current_app.config["REQUIRE_2FA_ROLES"])
    return bool({r.value for r in user.roles} & required)


def setup_qr_svg(secret: str, account: str, issuer: str) -> str:
    """The secret as a QR code for an authenticator app, inline SVG."""
    uri = provisioning_uri(secret, account, issuer)
    return segno.make(uri, error="m").svg_inline(scale=4, dark="#000", light="#fff")


def turn_on(user: User, secret: str, code: str, row: UserSession) -> list[str]:
    """Turn two-factor sign-in on once the app shows the right `code`; the session
    `row` counts as having passed it. Returns the recovery codes to show once."""
    step = matching_step(secret, code)
    if step is None:
        raise AccountError("wrong_code", "code")
    codes = enable(user, secret)
    user.totp_last_step = step  # the setup code cannot sign in afterwards
    row.second_factor_done = True
    # The account's other sessions never passed the second factor: they end.
    revoke_all_sessions(user, keep=row)
    audit.record("two_factor_enabled", user, user)
    return codes


def check_proof(user: User, proof: str) -> None:
    """Refuse (`wrong_proof`) unless `proof` is a fresh code of the account's app or
    its password: an open session alone may not weaken the account (ASVS 3.7.1)."""
    if accept_totp(user, proof):
        return
    if user.password_hash and verify_password(user.password_hash, proof):
        return
    raise AccountError("wrong_proof", "proof")


def turn_off(user: User, proof: str) -> None:
    check_proof(user, proof)
    disable(user)
    audit.record("two_factor_disabled", user, user)


def renew_recovery_codes(user: User, proof: str) -> list[str]:
    check_proof(user, proof)
    codes = replace_recovery_codes(user)
    audit.record("recovery_codes_renewed", user, user)
    return codes


def enable(user: User, secret: str) -> list[str]:
    """Turn two-factor sign-in on and return fresh recovery codes to show once."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    user.totp_last_step = None
    return replace_recovery_codes(user)


def disable(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=digest(c)) for c in codes
    )
    return codes


def verify_second_factor(user: User, code: str) -> bool:
    """Check a TOTP code (once only), or else use up a matching recovery code."""
    if accept_totp(user, code):
        return True
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest(normalise_recovery_code(code)),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def remaining_recovery_codes(user: User) -> int:
    rows = db.session.scalars(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(list(rows))
