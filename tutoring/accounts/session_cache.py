"""A short cache of sign-in sessions: a request does not read its session from the
database each time, and ending a session still takes effect at once on every
worker and every server.

Each worker keeps the sessions it has read (the token's digest → the lean query's
row: the session's times and flags, the account's columns and roles, the learner
profile's columns). An entry
serves a request only while both hold:

- nothing changed since it was read. Every commit that changes an account, its
  roles, its sessions or its learner profile increments that account's counter in Redis
  (`<prefix>u:<account id>`); a bulk statement on those tables, whose rows are not
  known, increments `<prefix>all`. A request reads both counters in one round trip
  (MGET, about a tenth of the session query's cost) and uses the entry only if they
  are the ones the entry was read with. The counters are read *before* the
  database, so a change committed meanwhile is never hidden behind an older entry.
- its last-seen time is less than a minute old (`signin.TOUCH_EVERY`). Past that,
  the request reads the database and moves the last-seen time, as without the
  cache: expiry and idle timeouts are always decided on the stored row.

A session's first request on a worker reads the database and notes only which
account it belongs to (so that the counters can be read before the next read); the
second reads the counters then the database and keeps the entry; the following
ones are served from it. Without Redis (`SESSION_CACHE_URL`, by default the rate
limits' Redis) or while Redis does not answer, every request reads the database.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from sqlalchemy.orm.attributes import get_history

from tutoring.accounts.models import User, UserRole, UserSession
from tutoring.accounts.profiles import LearnerProfile

if TYPE_CHECKING:
    from tutoring.accounts.signin import SessionState

log = logging.getLogger(__name__)

# The tables whose changes end or alter what a cached entry says.
WATCHED = frozenset({"users", "user_sessions", "user_roles", "learner_profiles"})
# Marks a statement that must not empty the caches: the last-seen time moved by
# load_session itself (entries are refreshed past a minute anyway).
TOUCH_OPTION = "session_touch"
# After Redis fails, it is not asked again for this long (every request reads the
# database meanwhile).
RETRY_SECONDS = 5.0
# The counters outlive any entry many times over (an entry lives a minute at most).
COUNTER_SECONDS = 3600
BUMPS_KEY = "session_cache_bumps"
ALL = "*"


@dataclass(slots=True)
class Entry:
    user_id: int
    # None: the first request noted the account only; the next one reads.
    state: SessionState | None = None
    columns: dict[str, Any] | None = None
    profile: dict[str, Any] | None = None  # the learner profile's columns, if any
    marks: tuple[Any, Any] | None = None


class SessionCache:
    def __init__(self, url: str, prefix: str, size: int) -> None:
        import redis  # only where a cache is configured: `pip install '.[redis]'`

        self._errors: tuple[type[Exception], ...] = (redis.RedisError, OSError)
        self.client = redis.Redis.from_url(
            url, socket_timeout=0.25, socket_connect_timeout=0.25
        )
        self.prefix = prefix
        self.size = size
        self.entries: OrderedDict[str, Entry] = OrderedDict()
        self._resting_until = 0.0
        # Sync workers serve one request at a time; threaded ones share the entries.
        self._lock = threading.Lock()

    # What a request reads.
    def get(self, digest: str) -> Entry | None:
        with self._lock:
            entry = self.entries.get(digest)
            if entry is not None:
                self.entries.move_to_end(digest)
            return entry

    def marks(self, user_id: int) -> tuple[Any, Any] | None:
        """The two counters now, or None when Redis does not answer."""
        if time.monotonic() < self._resting_until:
            return None
        try:
            found = self.client.mget(self.prefix + "all", f"{self.prefix}u:{user_id}")
        except self._errors as exc:
            self._rest(exc)
            return None
        return (found[0], found[1])

    def keep(self, digest: str, entry: Entry) -> None:
        with self._lock:
            self.entries[digest] = entry
            self.entries.move_to_end(digest)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def forget(self, digest: str) -> None:
        with self._lock:
            self.entries.pop(digest, None)

    # What a commit writes.
    def bump(self, user_ids: set[int | str]) -> None:
        keys = [self.prefix + ("all" if uid == ALL else f"u:{uid}") for uid in user_ids]
        try:
            pipe = self.client.pipeline(transaction=False)
            for key in keys:
                pipe.incr(key)
                pipe.expire(key, COUNTER_SECONDS)
            pipe.execute()
        except self._errors as exc:
            # The other workers cannot be told: this one stops trusting its entries
            # (they would serve a minute at most anyway).
            self._rest(exc)
        with self._lock:
            if ALL in user_ids:
                self.entries.clear()
                return
            for digest in [d for d, e in self.entries.items() if e.user_id in user_ids]:
                del self.entries[digest]

    def _rest(self, exc: Exception) -> None:
        if time.monotonic() >= self._resting_until:
            log.warning("session cache: Redis does not answer (%s)", exc)
        self._resting_until = time.monotonic() + RETRY_SECONDS
        with self._lock:
            self.entries.clear()


def init_app(app: Flask) -> None:
    url = app.config.get("SESSION_CACHE_URL")
    if url is None:  # the rate limits' Redis, if they have one
        url = str(app.config.get("RATELIMIT_STORAGE_URI") or "")
    url = str(url)
    if url.startswith(("redis://", "rediss://", "unix://")):
        app.extensions["session_cache"] = SessionCache(
            url,
            prefix=str(app.config["SESSION_CACHE_PREFIX"]),
            size=int(app.config["SESSION_CACHE_SIZE"]),
        )


def current() -> SessionCache | None:
    if not has_app_context():
        return None
    cache: SessionCache | None = current_app.extensions.get("session_cache")
    return cache


# Which commits change what an entry says.


def _note(session: Session, user_id: int | str | None) -> None:
    if user_id is not None:
        session.info.setdefault(BUMPS_KEY, set()).add(user_id)


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context: Any) -> None:
    if current() is None:
        return
    for obj in session.dirty | session.deleted:
        if isinstance(obj, User):
            _note(session, obj.id)
        elif isinstance(obj, UserSession | UserRole):
            _note(session, obj.user_id)
        elif isinstance(obj, LearnerProfile):
            _note(session, obj.user_id)
            for previous in get_history(obj, "user_id").deleted:  # an erasure
                _note(session, previous)
    for obj in session.new:
        # A new account or session changes nothing cached; a new role or a profile
        # given to an existing account does.
        if isinstance(obj, UserRole | LearnerProfile):
            _note(session, obj.user_id)


@event.listens_for(Session, "do_orm_execute")
def _bulk(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) not in WATCHED:
        return
    if state.execution_options.get(TOUCH_OPTION) or current() is None:
        return
    _note(state.session, ALL)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    bumps = session.info.pop(BUMPS_KEY, None)
    cache = current()
    if bumps and cache is not None:
        cache.bump(bumps)


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(BUMPS_KEY, None)
