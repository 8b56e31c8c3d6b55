"""Two-factor sign-in: TOTP secrets and single-use recovery codes."""

from __future__ import annotations

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, select

from tutoring.accounts import audit
from tutoring.accounts.models import RecoveryCode, User, UserSession
from tutoring.accounts.users import AccountError
from tutoring.core.codes import digest, new_recovery_code, normalise_recovery_code
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

RECOVERY_CODE_COUNT = 10


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def check_totp(secret: str, code: str) -> bool:
    """Accept the current 30-second code, or the one just before or after it."""
    cleaned = "".join(c for c in code if c.isdigit())
    return len(cleaned) == 6 and pyotp.TOTP(secret).verify(cleaned, valid_window=1)


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
    if not check_totp(secret, code):
        raise AccountError("wrong_code", "code")
    codes = enable(user, secret)
    row.second_factor_done = True
    audit.record("two_factor_enabled", user, user)
    return codes


def turn_off(user: User) -> None:
    disable(user)
    audit.record("two_factor_disabled", user, user)


def renew_recovery_codes(user: User) -> list[str]:
    codes = replace_recovery_codes(user)
    audit.record("recovery_codes_renewed", user, user)
    return codes


def enable(user: User, secret: str) -> list[str]:
    """Turn two-factor sign-in on and return fresh recovery codes to show once."""
    user.totp_secret = secret
    user.totp_enabled_at = utcnow()
    return replace_recovery_codes(user)


def disable(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=digest(c)) for c in codes
    )
    return codes


def verify_second_factor(user: User, code: str) -> bool:
    """Check a TOTP code, or else use up a matching recovery code."""
    if user.totp_secret and check_totp(user.totp_secret, code):
        return True
    row = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == digest(normalise_recovery_code(code)),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return False
    row.used_at = utcnow()
    return True


def remaining_recovery_codes(user: User) -> int:
    rows = db.session.scalars(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )
    return len(list(rows))
