"""What indicators need beyond activity rows: outcomes recorded by referents and a
per-learner, per-day practice rollup kept current in the same transaction."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    delete,
    event,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column
from sqlalchemy.orm.attributes import get_history

from tutoring.extensions import db
from tutoring.models.accounts import enum_column
from tutoring.models.base import UTCDateTime, utcnow
from tutoring.models.practice import Attempt
from tutoring.models.profiles import LearnerProfile
from tutoring.models.tutoring import (
    Attendance,
    Pairing,
    SessionStatus,
    TutoringSession,
)

LOCAL_ZONE = ZoneInfo("Europe/Paris")


class OutcomeKind(enum.StrEnum):
    CERTIFICATION = "certification"
    CIVIC_EXAM = "civic_exam"
    RESIDENCE_CARD = "residence_card"


class LearnerOutcome(db.Model):
    """A result obtained outside the platform, recorded by a referent."""

    __tablename__ = "learner_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind, "outcome_kind"))
    level: Mapped[str | None] = mapped_column(String(8))  # certification only
    obtained_on: Mapped[date] = mapped_column(Date, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PracticeDay(db.Model):
    """Attempts and practice time of one learner on one day (Millau time).

    Rebuilt from `attempts` by `flask indicators rebuild`; kept current on every
    new attempt by the listener below, so indicators never scan raw attempts.
    """

    __tablename__ = "practice_days"
    __table_args__ = (Index("ix_practice_days_day_learner", "day", "learner_id"),)

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    time_ms: Mapped[int] = mapped_column(Integer, default=0)


class PracticeMonth(db.Model):
    """The same rollup by calendar month (`month` is its first day): whole-month
    periods and monthly trends read it, about fifteen times fewer rows than days."""

    __tablename__ = "practice_months"
    __table_args__ = (Index("ix_practice_months_month_learner", "month", "learner_id"),)

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    time_ms: Mapped[int] = mapped_column(Integer, default=0)


class SessionMonth(db.Model):
    """Tutoring sessions attended (held, learner present) and their minutes, per
    learner and calendar month of their start (Millau time); only months with at
    least one attended session have a row.

    Rebuilt from `tutoring_sessions` by `flask indicators rebuild`; each cell is
    recounted from the raw rows, in the same transaction, whenever a session row is
    inserted or changes learner, start, status, attendance or minutes (booking,
    report, cancellation, reschedule). Deleting session rows does not touch it, so
    past counts survive an erasure."""

    __tablename__ = "session_months"
    __table_args__ = (Index("ix_session_months_month_learner", "month", "learner_id"),)

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    attended: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[int] = mapped_column(Integer, default=0)


def local_day(moment: datetime) -> date:
    """Return the calendar day in Millau of a timezone-aware instant."""
    return moment.astimezone(LOCAL_ZONE).date()


@event.listens_for(Attempt, "after_insert")
def _count_attempt(_mapper: Mapper[Any], connection: Connection, attempt: Any) -> None:
    """Add the new attempt to its learner's day and month in the rollups."""
    moment = attempt.created_at or utcnow()
    time_ms = max(0, attempt.time_ms or 0)
    day = local_day(moment)
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    for table, key, when in (
        (PracticeDay.__table__, "day", day),
        (PracticeMonth.__table__, "month", day.replace(day=1)),
    ):
        statement = insert(table).values(
            learner_id=attempt.learner_id, attempts=1, time_ms=time_ms, **{key: when}
        )
        statement = statement.on_conflict_do_update(
            index_elements=["learner_id", key],
            set_={
                "attempts": table.c.attempts + 1,
                "time_ms": table.c.time_ms + time_ms,
            },
        )
        connection.execute(statement)


_SESSION_FIELDS = ("learner_id", "starts_at", "status", "attendance", "minutes")


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """Return the first instant of `month` (its first day) and of the next, in UTC."""
    following = (month + timedelta(days=32)).replace(day=1)
    return tuple(  # type: ignore[return-value]
        datetime.combine(d, time(0), LOCAL_ZONE).astimezone(UTC)
        for d in (month, following)
    )


def recount_session_month(connection: Connection, learner_id: int, month: date) -> None:
    """Recompute one learner's cell of `session_months` from the raw session rows."""
    table, rows = SessionMonth.__table__, TutoringSession.__table__
    since, until = month_bounds(month)
    connection.execute(
        delete(table).where(table.c.learner_id == learner_id, table.c.month == month)
    )
    connection.execute(
        insert(table).from_select(
            ["learner_id", "month", "attended", "minutes"],
            select(
                rows.c.learner_id,
                literal(month, Date),
                func.count(),
                func.coalesce(func.sum(rows.c.minutes), 0),
            )
            .where(
                rows.c.learner_id == learner_id,
                rows.c.starts_at >= since,
                rows.c.starts_at < until,
                rows.c.status == SessionStatus.HELD,
                rows.c.attendance == Attendance.PRESENT,
            )
            .group_by(rows.c.learner_id),
        )
    )


def _session_cells(session: Any, *, old: bool) -> set[tuple[int, date]]:
    cells = set()
    learner_ids = {session.learner_id}
    starts = {session.starts_at}
    if old:
        learner_ids |= set(get_history(session, "learner_id").deleted or ())
        starts |= set(get_history(session, "starts_at").deleted or ())
    for learner_id in learner_ids:
        for moment in starts:
            if learner_id is not None and moment is not None:
                cells.add((learner_id, local_day(moment).replace(day=1)))
    return cells


@event.listens_for(TutoringSession, "after_insert")
def _count_new_session(_mapper: Mapper[Any], connection: Connection, row: Any) -> None:
    if row.status == SessionStatus.HELD and row.attendance == Attendance.PRESENT:
        for learner_id, month in _session_cells(row, old=False):
            recount_session_month(connection, learner_id, month)


@event.listens_for(TutoringSession, "after_update")
def _recount_session(_mapper: Mapper[Any], connection: Connection, row: Any) -> None:
    if any(get_history(row, name).has_changes() for name in _SESSION_FIELDS):
        for learner_id, month in _session_cells(row, old=True):
            recount_session_month(connection, learner_id, month)


# Period filters of the indicators (a full year must stay fast at national scale).
Index("ix_tutoring_sessions_starts_at", TutoringSession.starts_at)
Index("ix_learner_profiles_enrolled_at", LearnerProfile.enrolled_at)
Index("ix_pairings_created_at", Pairing.created_at)
