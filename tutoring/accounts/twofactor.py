"""Two-factor sign-in: TOTP secrets and single-use recovery codes."""

from __future__ import annotations

import pyotp
from sqlalchemy import delete, select

from tutoring.accounts.models import RecoveryCode, User
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
