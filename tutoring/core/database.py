"""Column helpers shared by every model (the declarative base is in extensions), and
the keeping of what is built or read once."""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ParamSpec, TypeAlias, TypeVar, cast

from sqlalchemy import (
    BindParameter,
    DateTime,
    Enum,
    TypeDecorator,
)
from sqlalchemy.exc import IntegrityError

from tutoring.core.extensions import db

if TYPE_CHECKING:
    pass


KEPT = "kept_by_row"  # app.extensions: the maps `kept_by_row` gives, by name


def kept_by_row(name: str) -> dict[Any, Any]:
    """A map the application keeps, by row key, of what never changes once a row is
    stored (a version's parsed item, a unit's title): each application its own. All
    of them under one key, so that whoever empties the tables under a running
    application (the tests do; ids are then given again, to other content) forgets
    them at once: `app.extensions.pop(KEPT, None)`."""
    from flask import current_app

    maps: dict[str, dict[Any, Any]] = current_app.extensions.setdefault(KEPT, {})
    return maps.setdefault(name, {})


Built = TypeVar("Built")
Choices = ParamSpec("Choices")

# A learner's id in a query written once for any learner: the id, or the bind
# parameter (`bindparam("learner_id")`) of a statement `built_once`.
LearnerKey: TypeAlias = int | BindParameter[Any]


def built_once(build: Callable[Choices, Built]) -> Callable[Choices, Built]:
    """A statement built on first use and then kept (one per set of arguments, for
    the few shapes a query takes, e.g. its limit), for a query a page runs on
    every request: SQLAlchemy's building of a statement and of its cache key cost
    more than running it (about 1 ms for the learner home's questions, built anew
    each time). What changes from one request to the next (the learner, the time)
    must be a `bindparam` given when the statement runs, never a value written into
    it: the statement is shared by every request of the process, and a parameter
    left out is refused (`A value is required for bind parameter`)."""
    return cast("Callable[Choices, Built]", functools.cache(build))


def added_once(row: object) -> bool:
    """Add `row` and write it at once, in a savepoint: False, and the session still
    usable, when a unique rule refuses it. A request that checked the row was not
    there yet can still lose the race to another doing the same (a double tap, two
    staff at once): the loser is told, in its own words, instead of a 500."""
    db.session.flush()  # what was pending before is not this row's to answer for
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:
        return False
    return True


def utcnow() -> datetime:
    """Return the current time, timezone-aware in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Store timestamps as UTC and always hand back timezone-aware values.

    SQLite keeps no offset, so naive values read back are marked as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_column(cls: type[enum.Enum], name: str) -> Enum:
    """Store an enum by its value, as a portable VARCHAR with a CHECK constraint."""
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
