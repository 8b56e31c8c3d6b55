"""Server-side sign-in sessions: start, load with timeouts, end, revoke."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app, g
from flask.ctx import _AppCtxGlobals
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from tutoring.accounts import session_cache
from tutoring.accounts.models import Role, User, UserRole, UserSession
from tutoring.accounts.profiles import LearnerProfile
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
    return timedelta(minutes=_idle_minutes(row.shared_device, user.roles))


def expired(row: UserSession, user: User, now: datetime) -> bool:
    """Whether the session is past its absolute lifetime or its idle timeout."""
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    return now - row.created_at > absolute or now - row.last_seen_at > idle_limit(
        row, user
    )


@dataclass(frozen=True, slots=True)
class SessionState:
    """What every request needs of its sign-in session, read by one lean query."""

    id: int
    user_id: int
    created_at: datetime
    last_seen_at: datetime
    shared_device: bool
    second_factor_done: bool
    roles: frozenset[Role]


@cache
def _user_attrs() -> tuple[tuple[str, Any], ...]:
    """(attribute, column) of every column of the account (once the mappers are set)."""
    return tuple((p.key, p.columns[0]) for p in User.__mapper__.column_attrs)


# Columns of the learner's profile left out of the session's query (and its cache):
# kept by the indicators' listeners with statements of their own, which no cache
# would hear of. Read on first use, like any column not loaded.
PROFILE_LEFT_OUT = frozenset({"first_paired_at"})


@cache
def _profile_attrs() -> tuple[tuple[str, Any], ...]:
    """(attribute, column) of the learner profile's columns read with the session."""
    return tuple(
        (p.key, p.columns[0])
        for p in LearnerProfile.__mapper__.column_attrs
        if p.key not in PROFILE_LEFT_OUT
    )


@cache
def _lean_query() -> Any:
    """The session, its account's columns and roles (one row per role) and the
    learner's profile if the account has one (every learner page reads it): one
    round trip. Built once per process, the token's digest bound at execution."""
    s = UserSession.__table__.c
    profiles = LearnerProfile.__table__
    return (
        select(
            s.id.label("session_id"), s.created_at.label("session_created_at"),
            s.last_seen_at.label("session_last_seen_at"), s.revoked_at,
            s.shared_device, s.second_factor_done, UserRole.__table__.c.role,
            *(column for _key, column in _user_attrs()),
            *(column.label(f"profile_{key}") for key, column in _profile_attrs()),
        )
        .select_from(UserSession.__table__)
        .join(User.__table__, User.__table__.c.id == s.user_id)
        .outerjoin(UserRole.__table__, UserRole.__table__.c.user_id == s.user_id)
        .outerjoin(profiles, profiles.c.user_id == s.user_id)
        .where(s.token_hash == bindparam("token_hash"))
    )  # fmt: skip


def _attach_user(
    columns: dict[str, Any],
    roles: frozenset[Role],
    profile: dict[str, Any] | None = None,
) -> User:
    """The account as an ORM object built from the row already read (no second
    query): columns and roles count as loaded (written straight into the objects'
    state, as a query's loading would, without the attribute events of a
    constructor), the learner's profile is kept for `learner_profile`, anything
    else (tutor profile, structure) loads on first use as usual."""
    existing = db.session.identity_map.get(identity_key(User, columns["id"]))
    if existing is not None:
        return existing
    user: User = User.__mapper__.class_manager.new_instance()
    user.__dict__.update(columns)
    # The profile is built only when a view asks for it (`learner_profile`): a route
    # that does not need it does not pay for it.
    g.session_profile = (columns["id"], profile)
    rows = []
    for role in sorted(roles):
        row = UserRole.__mapper__.class_manager.new_instance()
        row.__dict__.update(user_id=columns["id"], role=role)
        make_transient_to_detached(row)
        rows.append(row)
    set_committed_value(user, "role_rows", rows)
    make_transient_to_detached(user)
    db.session.add(user)
    return user


def learner_profile(user: User) -> LearnerProfile | None:
    """The account's learner profile (None without one): for the signed-in account,
    built from the row read with its session (no query), else loaded as usual."""
    if "learner_profile" not in user.__dict__:
        pending = g.pop("session_profile", None)
        if pending is not None and pending[0] == user.id:
            profile = _attach_profile(pending[1], user)
            set_committed_value(user, "learner_profile", profile)
            if profile is not None and profile not in db.session:
                db.session.add(profile)
    return user.learner_profile


def _attach_profile(
    columns: dict[str, Any] | None, user: User
) -> LearnerProfile | None:
    if columns is None:
        return None
    existing = db.session.identity_map.get(identity_key(LearnerProfile, columns["id"]))
    if existing is not None:
        return existing
    profile: LearnerProfile = LearnerProfile.__mapper__.class_manager.new_instance()
    # Lists (languages, places) copied: a cached entry must not share them with a
    # request that changes them.
    profile.__dict__.update(
        {k: list(v) if isinstance(v, list) else v for k, v in columns.items()}
    )
    set_committed_value(profile, "user", user)
    make_transient_to_detached(profile)
    return profile


def _read(statement: Any, params: dict[str, Any]) -> list[Any]:
    """Run a read outside the request's transaction when the database is a server:
    on PostgreSQL an autocommit connection saves the BEGIN and the ROLLBACK around a
    request that reads nothing else (two round trips of three). SQLite pays nothing
    for them, and shares one connection in memory: there, the request's session."""
    if db.engine.dialect.name != "postgresql":
        return list(db.session.execute(statement, params).all())
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return list(conn.execute(statement, params).all())


def load_session(
    token: str, now: datetime | None = None
) -> tuple[SessionState, User] | None:
    """The live session behind `token` and its account, or None if unknown, ended,
    expired or the account is closed. One query, or none when the worker's session
    cache vouches for it (see accounts.session_cache); a write only on expiry and
    at most once a minute to move the last-seen time."""
    now = now or utcnow()
    key = digest(token)
    cache = session_cache.current()
    entry = cache.get(key) if cache is not None else None
    marks = None
    if cache is not None and entry is not None:
        marks = cache.marks(entry.user_id)
        if (
            marks is not None
            and marks == entry.marks
            and entry.state is not None
            and entry.columns is not None
            and now - entry.state.last_seen_at <= TOUCH_EVERY
            and not _expired(entry.state, now)
        ):
            return entry.state, _attach_user(
                entry.columns, entry.state.roles, entry.profile
            )
    loaded = _load(key, now)
    if cache is not None:
        if loaded is None:
            cache.forget(key)
        elif entry is None:  # the next request reads the counters first
            cache.keep(key, session_cache.Entry(user_id=loaded[0].user_id))
        elif marks is not None:
            state, columns, profile = loaded
            cache.keep(
                key,
                session_cache.Entry(
                    user_id=state.user_id, state=state, columns=columns,
                    profile=profile, marks=marks,
                ),
            )  # fmt: skip
    if loaded is None:
        return None
    state, columns, profile = loaded
    return state, _attach_user(columns, state.roles, profile)


def _load(
    key: str, now: datetime
) -> tuple[SessionState, dict[str, Any], dict[str, Any] | None] | None:
    """The session row behind the token's digest `key` from the database: its state,
    its account's columns and its learner profile's (None without one); None if it
    does not serve (and ended if expired)."""
    rows = _read(_lean_query(), {"token_hash": key})
    if not rows or rows[0].revoked_at is not None:
        return None
    first = rows[0]._mapping
    roles = frozenset(r.role for r in rows if r.role is not None)
    if not first["active"] or first["erased_at"] is not None:
        return None
    state = SessionState(
        id=first["session_id"],
        user_id=first["id"],
        created_at=first["session_created_at"],
        last_seen_at=first["session_last_seen_at"],
        shared_device=first["shared_device"],
        second_factor_done=first["second_factor_done"],
        roles=roles,
    )
    sessions = UserSession.__table__
    if _expired(state, now):
        db.session.execute(
            update(sessions).where(sessions.c.id == state.id).values(revoked_at=now)
        )
        db.session.commit()
        return None
    columns = {name: first[column.name] for name, column in _user_attrs()}
    profile = (
        {name: first[f"profile_{name}"] for name, _column in _profile_attrs()}
        if first["profile_id"] is not None
        else None
    )
    if now - state.last_seen_at > TOUCH_EVERY:
        touch = {session_cache.TOUCH_OPTION: True}
        db.session.execute(
            update(sessions)
            .where(sessions.c.id == state.id)
            .values(last_seen_at=now)
            .execution_options(**touch)
        )
        db.session.execute(
            update(User.__table__)
            .where(User.__table__.c.id == state.user_id)
            .values(last_seen_at=now)
            .execution_options(**touch)
        )
        db.session.commit()
        columns["last_seen_at"] = now
        state = replace(state, last_seen_at=now)
    return state, columns, profile


class RequestGlobals(_AppCtxGlobals):
    """`g`, with `g.user_session` the signed-in session's ORM row, loaded only by the
    views that change it (sign-out, 2FA, ending other sessions): every request has
    `g.session_state`, read by the lean query."""

    session_state: SessionState | None = None

    @property
    def user_session(self) -> UserSession | None:
        state = self.session_state
        if state is None:
            return None
        row = self.__dict__.get("_user_session")
        if row is None:
            row = db.session.get(UserSession, state.id)
            self.__dict__["_user_session"] = row
        return row

    def get(self, name: str, default: Any | None = None) -> Any:
        if name == "user_session":
            return self.user_session if self.session_state else default
        return super().get(name, default)


def _idle_minutes(shared_device: bool, roles: frozenset[Role]) -> int:
    config = current_app.config
    if shared_device:
        return int(config["SESSION_IDLE_MINUTES_SHARED"])
    if Role.COORDINATOR in roles or Role.ADMIN in roles:
        return int(config["SESSION_IDLE_MINUTES_COORDINATOR"])
    return int(config["SESSION_IDLE_MINUTES"])


def _expired(state: SessionState, now: datetime) -> bool:
    absolute = timedelta(hours=current_app.config["SESSION_ABSOLUTE_HOURS"])
    idle = timedelta(minutes=_idle_minutes(state.shared_device, state.roles))
    return now - state.created_at > absolute or now - state.last_seen_at > idle


def idle_seconds(
    state: SessionState | None, *, fresh: bool = False, now: datetime | None = None
) -> int:
    """Seconds before the session ends for want of activity (what the countdown of
    a shared computer shows). `fresh`: its last-seen time was just moved to now.
    The last-seen time moves at most once every TOUCH_EVERY, so a request that did
    not move it counts from the stored time, like the server's check."""
    if state is None:
        return 0
    idle = timedelta(minutes=_idle_minutes(state.shared_device, state.roles))
    now = now or utcnow()
    last = (
        now if fresh or now - state.last_seen_at > TOUCH_EVERY else state.last_seen_at
    )
    return max(0, int((last + idle - now).total_seconds()))


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
