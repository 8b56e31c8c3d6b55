"""The audit log: account life events, card revocations, exports and erasures."""

from __future__ import annotations

from tutoring.accounts.models import AuditEvent, User
from tutoring.core.extensions import db


def record(
    action: str,
    actor: User | None,
    target: User | None = None,
    **detail: str,
) -> AuditEvent:
    """Add an audit event; `detail` holds identifiers and labels, never personal data."""
    actor_id = actor.id if actor is not None and actor.is_authenticated else None
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        target_user_id=target.id if target is not None else None,
        detail={k: str(v) for k, v in detail.items()},
    )
    db.session.add(event)
    return event
