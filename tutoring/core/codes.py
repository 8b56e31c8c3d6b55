"""Random codes people read aloud or type: login cards, recovery codes, API tokens."""

from __future__ import annotations

import hashlib
import math
import secrets

# No 0/O, 1/I/L or U/V look-alikes: 30 symbols, about 4.9 bits each.
CARD_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


CARD_GROUPS = 3


CARD_GROUP_SIZE = 4


CARD_LENGTH = CARD_GROUPS * CARD_GROUP_SIZE


CARD_ENTROPY_BITS = CARD_LENGTH * math.log2(len(CARD_ALPHABET))


_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def digest(secret: str) -> str:
    """Return the SHA-256 hex digest used to store and look up a random secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_card_code() -> str:
    """Return a new login-card code, grouped for reading aloud: 'K7M2-9QXD-F4TB'."""
    raw = "".join(secrets.choice(CARD_ALPHABET) for _ in range(CARD_LENGTH))
    return format_card_code(raw)


def format_card_code(raw: str) -> str:
    size = CARD_GROUP_SIZE
    return "-".join(raw[i : i + size] for i in range(0, len(raw), size))


def normalise_card_code(typed: str) -> str | None:
    """Return the canonical form of a typed code, forgiving case, spaces and dashes.

    Return None when it cannot be a card code, so that no lookup is made.
    """
    cleaned = "".join(c for c in typed.upper() if c.isalnum()).translate(_LOOKALIKES)
    if len(cleaned) != CARD_LENGTH or any(c not in CARD_ALPHABET for c in cleaned):
        return None
    return format_card_code(cleaned)


def new_recovery_code() -> str:
    """Return a single-use recovery code such as 'h3kq-9fzt-2wmd'."""
    alphabet = "23456789abcdefghjkmnpqrstvwxyz"
    raw = "".join(secrets.choice(alphabet) for _ in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def normalise_recovery_code(typed: str) -> str:
    cleaned = "".join(c for c in typed.lower() if c.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def new_api_token() -> str:
    return "ctai_" + secrets.token_urlsafe(32)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)
