"""Password policy (length and common-password list, no composition rules) and hashing."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 12


MAX_LENGTH = 256


# OWASP minimum for argon2id: m = 19 MiB, t = 2, p = 1.
hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


COMMON_PASSWORDS_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"
)


@cache
def common_passwords() -> frozenset[str]:
    """Return the shipped list of common passwords, lower-cased."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        x.strip().lower() for x in lines if x.strip() and not x.startswith("#")
    )


class PasswordRejectedError(ValueError):
    """The password breaks the policy; `reason` is one of 'short', 'long', 'common'."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_policy(password: str) -> None:
    """Raise PasswordRejectedError unless the password is long enough and not common."""
    length = len(password)
    if length < MIN_LENGTH:
        raise PasswordRejectedError("short")
    if length > MAX_LENGTH:
        raise PasswordRejectedError("long")
    if password.strip().lower() in common_passwords():
        raise PasswordRejectedError("common")


def hash_password(password: str) -> str:
    return hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against its argon2id hash, in constant work when no hash."""
    if not password_hash:
        hasher.hash(password)  # same cost whether or not the account exists
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return hasher.check_needs_rehash(password_hash)
