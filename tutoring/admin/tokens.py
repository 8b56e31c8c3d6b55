"""API tokens of the CTAI coordination module: issued and revoked by an admin, each
written to the audit log. Only a token's hash is kept; the token is shown once."""

from __future__ import annotations

from sqlalchemy import select

from tutoring.accounts import audit
from tutoring.accounts.models import User
from tutoring.core.codes import digest, new_api_token
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.indicators.models import ApiToken


def api_tokens() -> list[ApiToken]:
    """Every token, the newest first."""
    return list(
        db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc()))
    )


def issue_api_token(name: str, scope: list[str] | None, actor: User) -> str:
    """A new token reading the indicator groups of `scope` (None: all of them)."""
    token = new_api_token()
    db.session.add(
        ApiToken(
            name=name,
            prefix=token[:9],
            token_hash=digest(token),
            created_by_id=actor.id,
            scope=scope,
        )
    )
    audit.record(
        "api_token_created",
        actor,
        None,
        name=name,
        scope=",".join(scope or ["all"]),
    )
    return token


def revoke_api_token(token: ApiToken, actor: User) -> bool:
    """Stop a token working; False when it already had."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = utcnow()
    audit.record("api_token_revoked", actor, None, name=token.name)
    return True
