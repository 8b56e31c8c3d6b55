"""Server-side sign-in sessions: start, load with timeouts, end, revoke."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from tutoring.accounts.models import Role, User, UserSession
from tutoring.core.codes import digest, new_session_token
from tutoring.core.database import utcnow
from tutoring.core.extensions import db

# Avoid a write on every request: last_seen_at moves at most once a minute.
TOUCH_EVERY = timedelta(seconds=60)


# Browser families by a mark of their User-Agent, the first match wins (Edge and
# Opera also say "Chrome", Chrome also says "Safari").
BROWSERS = (
    ("Edg", "Edge"),
    ("OPR/", "Opera"),
    ("Opera", "Opera"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox/", "Firefox"),
    ("FxiOS", "Firefox"),
    ("CriOS", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
)


def describe_device(user_agent: str) -> tuple[str | None, str | None]:
    """Reduce a User-Agent to what its owner recognises: the kind of device
    ("phone", "tablet", "computer") and the browser's family; None when unknown.
    Nothing else of it is kept."""
    agent = user_agent[:512]
    if not agent.strip():
        return None, None
    if (
        "iPad" in agent
        or "Tablet" in agent
        or ("Android" in agent and "Mobi" not in agent)
    ):
        kind = "tablet"
    elif "Mobi" in agent or "iPhone" in agent or "Android" in agent:
        kind = "phone"
    else:
        kind = "computer"
    browser = next((name for mark, name in BROWSERS if mark in agent), None)
    return kind, browser


def start_session(
    user: User, *, shared_device: bool, second_factor_done: bool, user_agent: str = ""
) -> str:
    """Open a session for `user` and return the token to keep in the cookie."""
    token = new_session_token()
    now = utcnow()
    device_kind, browser = describe_device(user_agent)
    db.session.add(
        UserSession(
            token_hash=digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            shared_device=shared_device,
            second_factor_done=second_factor_done,
            device_kind=device_kind,
            browser=browser,
        )
    )
    user.last_seen_at = now
    user.inactivity_notice_at = None
    return token


def idle_limit(row: UserSession, user: User) -> timedelta:
    config = current_app.config
    if row.shared_device:
        minutes = config["SESSION_IDLE_MINUTES_SHARED"]
    elif Role.COORDINATOR in user.roles or Role.ADMIN in user.roles:
        minutes = config["SESSION_IDLE_MINUTES_COORDINATOR"]
    else:
        minutes = config["SESSION_IDLE_MINUTES"]
    return timedelta(minutes=minutes)


def expired(row: UserSession, user: User, now: datetime) -> bool:
    """Whether the session is past its absolute lifetime or its idle timeout."""
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    return now - row.created_at > absolute or now - row.last_seen_at > idle_limit(
        row, user
    )


def load_session(token: str, now: datetime | None = None) -> UserSession | None:
    """Return the live session behind `token`, or None if unknown, ended or expired."""
    now = now or utcnow()
    # One query for the session, its account and roles: this runs on every request.
    row = db.session.scalar(
        select(UserSession)
        .where(UserSession.token_hash == digest(token))
        .options(joinedload(UserSession.user).selectinload(User.role_rows))
    )
    if row is None or row.revoked_at is not None:
        return None
    user = row.user
    if not user.is_active:
        return None
    if expired(row, user, now):
        row.revoked_at = now
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = now
        user.last_seen_at = now
    return row


def end_session(row: UserSession) -> None:
    row.revoked_at = utcnow()


def revoke_all_sessions(user: User, keep: UserSession | None = None) -> None:
    """End every session of `user` (but `keep`), e.g. after a password change."""
    stmt = (
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    if keep is not None:
        stmt = stmt.where(UserSession.id != keep.id)
    db.session.execute(stmt)


def live_sessions(user: User, now: datetime | None = None) -> list[UserSession]:
    """The account's sessions still open (not ended, not expired), latest first."""
    now = now or utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return [row for row in rows if not expired(row, user, now)]


def end_other_session(user: User, session_id: int, current: UserSession) -> bool:
    """End one of `user`'s other open sessions; False when `session_id` is not one
    (someone else's, already ended, or the current one: that is signing out)."""
    row = db.session.get(UserSession, session_id)
    if (
        row is None
        or row.user_id != user.id
        or row.id == current.id
        or row.revoked_at is not None
    ):
        return False
    end_session(row)
    return True
