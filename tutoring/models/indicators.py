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
    and_,
    case,
    delete,
    event,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column
from sqlalchemy.orm.attributes import get_history

from exercises.model import SKILLS
from tutoring.extensions import db
from tutoring.models.accounts import enum_column
from tutoring.models.base import UTCDateTime, utcnow
from tutoring.models.practice import Attempt
from tutoring.models.profiles import LearnerProfile
from tutoring.models.progress import ExternalLevel
from tutoring.models.tutoring import (
    Attendance,
    Pairing,
    PairingStatus,
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


class LearnerYear(db.Model):
    """One learner's activity in one calendar year (Millau time): attempts and
    practice time, attended sessions and their minutes, and the months of each as
    bits (bit m-1 for month m) in `practised` and `tutored`.

    A full year reads one row per learner, with no union of practice and tutoring;
    whole months of a year read the bits to tell who was active, and the monthly
    trend groups the rows by their bits. The practice columns are added to with
    each attempt; the tutoring ones are recounted from `session_months` whenever
    one of the year's months is. A row whose bits are both zero counts as no
    activity."""

    __tablename__ = "learner_years"
    __table_args__ = (Index("ix_learner_years_year_learner", "year", "learner_id"),)

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    time_ms: Mapped[int] = mapped_column(Integer, default=0)
    practised: Mapped[int] = mapped_column(Integer, default=0)
    attended: Mapped[int] = mapped_column(Integer, default=0)
    minutes: Mapped[int] = mapped_column(Integer, default=0)
    tutored: Mapped[int] = mapped_column(Integer, default=0)


class TutorMonth(db.Model):
    """Meetings of one volunteer in one calendar month of their start (Millau time):
    held (a learner present), cancelled, places missed (learner absent or excused)
    and volunteer minutes (scheduled length of the meetings held). A group workshop
    is one meeting (its `slot`). `learner_minutes` adds the minutes each present
    learner attended (the monthly trend of tutoring hours without a filter). Only
    months with a held or cancelled meeting have a row.

    Recounted from the raw rows, in the same transaction, whenever a session row of
    that volunteer and month is inserted or changes; like `session_months`, deleting
    rows does not touch it, so the hours given by a volunteer whose account was
    deleted still count (until `flask indicators rebuild`). `tutor_id` has no
    foreign key for that reason."""

    __tablename__ = "tutor_months"
    __table_args__ = (Index("ix_tutor_months_month_tutor", "month", "tutor_id"),)

    tutor_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=False
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    held: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
    missed: Mapped[int] = mapped_column(Integer, default=0)
    volunteer_minutes: Mapped[int] = mapped_column(Integer, default=0)
    learner_minutes: Mapped[int] = mapped_column(Integer, default=0)


LEVEL_RANKS = {"A1.1": 1, "A1": 2, "A2": 3, "B1": 4, "B2": 5, "C1": 6, "C2": 7}


class LearnerLevels(db.Model):
    """Each learner's first and latest outside level per skill (ranks of
    `LEVEL_RANKS`, 0 for a level outside the scale), and the date of their latest
    level record (`last_on`): the progress indicators read one row per learner.

    Recounted from `external_levels` whenever one of the learner's rows changes. A
    period ending before `last_on` needs the levels known at its end: the queries
    read the raw rows for those learners only."""

    __tablename__ = "learner_levels"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    last_on: Mapped[date] = mapped_column(Date, index=True)
    entry_co: Mapped[int | None] = mapped_column(Integer)
    latest_co: Mapped[int | None] = mapped_column(Integer)
    entry_ce: Mapped[int | None] = mapped_column(Integer)
    latest_ce: Mapped[int | None] = mapped_column(Integer)
    entry_ee: Mapped[int | None] = mapped_column(Integer)
    latest_ee: Mapped[int | None] = mapped_column(Integer)
    entry_eo: Mapped[int | None] = mapped_column(Integer)
    latest_eo: Mapped[int | None] = mapped_column(Integer)


def levels_row(rows: list[Any]) -> dict[str, Any]:
    """The `learner_levels` values of one learner from their level records, given
    as (skill or None for all four, level, taken_on) in the order they were taken."""
    values: dict[str, Any] = {"last_on": max(row[2] for row in rows)}
    for skill, level, _taken_on in rows:
        rank = LEVEL_RANKS.get(level, 0)
        for code in (skill,) if skill else SKILLS:
            values.setdefault(f"entry_{code.lower()}", rank)
            values[f"latest_{code.lower()}"] = rank
    return values


def recount_levels(connection: Connection, learner_id: int) -> None:
    """Recompute one learner's row of `learner_levels` from `external_levels`."""
    levels, table = ExternalLevel.__table__, LearnerLevels.__table__
    rows = connection.execute(
        select(levels.c.skill, levels.c.level, levels.c.taken_on)
        .where(levels.c.learner_id == learner_id)
        .order_by(levels.c.taken_on, levels.c.id)
    ).all()
    connection.execute(delete(table).where(table.c.learner_id == learner_id))
    if rows:
        connection.execute(
            insert(table).values(learner_id=learner_id, **levels_row(list(rows)))
        )


@event.listens_for(ExternalLevel, "after_insert")
@event.listens_for(ExternalLevel, "after_update")
@event.listens_for(ExternalLevel, "after_delete")
def _recount_levels(_mapper: Mapper[Any], connection: Connection, row: Any) -> None:
    learner_ids = {row.learner_id, *(get_history(row, "learner_id").deleted or ())}
    for learner_id in learner_ids - {None}:
        recount_levels(connection, learner_id)


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
    bit = 1 << (day.month - 1)
    for table, key, when in (
        (PracticeDay.__table__, "day", day),
        (PracticeMonth.__table__, "month", day.replace(day=1)),
        (LearnerYear.__table__, "year", day.year),
    ):
        values = {"learner_id": attempt.learner_id, "attempts": 1, "time_ms": time_ms}
        changes = {
            "attempts": table.c.attempts + 1,
            "time_ms": table.c.time_ms + time_ms,
        }
        if key == "year":
            values["practised"] = bit
            changes["practised"] = table.c.practised.op("|")(bit)
        statement = insert(table).values(**values, **{key: when})
        statement = statement.on_conflict_do_update(
            index_elements=["learner_id", key], set_=changes
        )
        connection.execute(statement)


_SESSION_FIELDS = ("learner_id", "starts_at", "status", "attendance", "minutes")
_MEETING_FIELDS = (
    "tutor_id",
    "starts_at",
    "ends_at",
    "status",
    "attendance",
    "minutes",
    "slot",
)


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
    recount_session_year(connection, learner_id, month.year)


def recount_session_year(connection: Connection, learner_id: int, year: int) -> None:
    """Recompute the tutoring columns of one learner's `learner_years` row from its
    `session_months`."""
    months, table = SessionMonth.__table__, LearnerYear.__table__
    rows = connection.execute(
        select(months.c.month, months.c.attended, months.c.minutes).where(
            months.c.learner_id == learner_id,
            months.c.month.between(date(year, 1, 1), date(year, 12, 31)),
        )
    ).all()
    tutoring = {
        "attended": sum(r.attended for r in rows),
        "minutes": sum(r.minutes for r in rows),
        "tutored": sum({1 << (r.month.month - 1) for r in rows}),
    }
    insert = pg_insert if connection.dialect.name == "postgresql" else sqlite_insert
    connection.execute(
        insert(table)
        .values(learner_id=learner_id, year=year, **tutoring)
        .on_conflict_do_update(index_elements=["learner_id", "year"], set_=tutoring)
    )
    connection.execute(  # a row means some activity in the year
        delete(table).where(
            table.c.learner_id == learner_id,
            table.c.year == year,
            table.c.practised == 0,
            table.c.tutored == 0,
        )
    )


def scheduled_minutes(connection: Connection, rows: Any) -> Any:
    """The scheduled length of session rows in minutes, on SQLite and PostgreSQL."""
    if connection.dialect.name == "postgresql":
        return func.extract("epoch", rows.c.ends_at - rows.c.starts_at) / 60.0
    return (func.julianday(rows.c.ends_at) - func.julianday(rows.c.starts_at)) * 1440.0


def meeting_rows(connection: Connection, rows: Any) -> Any:
    """Per meeting (`slot`) of the session rows: held, cancelled, places missed and
    the volunteer minutes of a held meeting; the caller adds its filters."""
    held = rows.c.status == SessionStatus.HELD
    attended = and_(held, rows.c.attendance == Attendance.PRESENT)
    missed = and_(held, rows.c.attendance.in_((Attendance.ABSENT, Attendance.EXCUSED)))
    return select(
        func.max(case((attended, 1), else_=0)).label("held"),
        func.max(case((rows.c.status == SessionStatus.CANCELLED, 1), else_=0)).label(
            "cancelled"
        ),
        func.sum(case((missed, 1), else_=0)).label("missed"),
        func.max(case((held, scheduled_minutes(connection, rows)))).label("minutes"),
        func.sum(case((attended, rows.c.minutes), else_=0)).label("learner_minutes"),
    ).group_by(rows.c.slot)


def recount_tutor_month(connection: Connection, tutor_id: int, month: date) -> None:
    """Recompute one volunteer's cell of `tutor_months` from the raw session rows."""
    table, rows = TutorMonth.__table__, TutoringSession.__table__
    since, until = month_bounds(month)
    meetings = (
        meeting_rows(connection, rows)
        .where(
            rows.c.tutor_id == tutor_id,
            rows.c.starts_at >= since,
            rows.c.starts_at < until,
        )
        .subquery()
    )
    held, cancelled, missed, minutes, learner_minutes = connection.execute(
        select(
            func.sum(meetings.c.held),
            func.sum(meetings.c.cancelled),
            func.sum(meetings.c.missed),
            func.sum(meetings.c.minutes),
            func.sum(meetings.c.learner_minutes),
        )
    ).one()
    connection.execute(
        delete(table).where(table.c.tutor_id == tutor_id, table.c.month == month)
    )
    if held or cancelled or missed or minutes is not None:
        connection.execute(
            insert(table).values(
                tutor_id=tutor_id,
                month=month,
                held=int(held or 0),
                cancelled=int(cancelled or 0),
                missed=int(missed or 0),
                volunteer_minutes=round(float(minutes or 0)),
                learner_minutes=int(learner_minutes or 0),
            )
        )


def _cells(session: Any, who: str, *, old: bool) -> set[tuple[int, date]]:
    """The (person, month) cells a session row counts in, before and after a change
    when `old`; `who` is `learner_id` or `tutor_id`."""
    cells = set()
    people = {getattr(session, who)}
    starts = {session.starts_at}
    if old:
        people |= set(get_history(session, who).deleted or ())
        starts |= set(get_history(session, "starts_at").deleted or ())
    for person in people:
        for moment in starts:
            if person is not None and moment is not None:
                cells.add((person, local_day(moment).replace(day=1)))
    return cells


@event.listens_for(TutoringSession, "after_insert")
def _count_new_session(_mapper: Mapper[Any], connection: Connection, row: Any) -> None:
    if row.status == SessionStatus.HELD and row.attendance == Attendance.PRESENT:
        for learner_id, month in _cells(row, "learner_id", old=False):
            recount_session_month(connection, learner_id, month)
    if row.status in (SessionStatus.HELD, SessionStatus.CANCELLED):
        for tutor_id, month in _cells(row, "tutor_id", old=False):
            recount_tutor_month(connection, tutor_id, month)


@event.listens_for(TutoringSession, "after_update")
def _recount_session(_mapper: Mapper[Any], connection: Connection, row: Any) -> None:
    if any(get_history(row, name).has_changes() for name in _SESSION_FIELDS):
        for learner_id, month in _cells(row, "learner_id", old=True):
            recount_session_month(connection, learner_id, month)
    if any(get_history(row, name).has_changes() for name in _MEETING_FIELDS):
        for tutor_id, month in _cells(row, "tutor_id", old=True):
            recount_tutor_month(connection, tutor_id, month)


_STARTED = (PairingStatus.ACTIVE, PairingStatus.ENDED)


def recount_first_pairing(connection: Connection, learner_id: int) -> None:
    """Set `learner_profiles.first_paired_at`: when a volunteer first accepted one of
    the learner's pairings (still running or ended since)."""
    pairings, profiles = Pairing.__table__, LearnerProfile.__table__
    first = (
        select(func.min(pairings.c.responded_at))
        .where(
            pairings.c.learner_id == learner_id,
            pairings.c.status.in_(_STARTED),
            pairings.c.responded_at.is_not(None),
        )
        .scalar_subquery()
    )
    connection.execute(
        update(profiles)
        .where(profiles.c.id == learner_id)
        .values(first_paired_at=first)
    )


@event.listens_for(Pairing, "after_insert")
@event.listens_for(Pairing, "after_delete")
def _recount_first_pairing(
    _mapper: Mapper[Any], connection: Connection, row: Any
) -> None:
    if row.learner_id is not None:
        recount_first_pairing(connection, row.learner_id)


@event.listens_for(Pairing, "after_update")
def _recount_changed_pairing(
    _mapper: Mapper[Any], connection: Connection, row: Any
) -> None:
    fields = ("learner_id", "status", "responded_at")
    if any(get_history(row, name).has_changes() for name in fields):
        learner_ids = {row.learner_id, *(get_history(row, "learner_id").deleted or ())}
        for learner_id in learner_ids - {None}:
            recount_first_pairing(connection, learner_id)


# Period filters of the indicators (a full year must stay fast at national scale).
Index("ix_tutoring_sessions_starts_at", TutoringSession.starts_at)
Index("ix_learner_profiles_enrolled_at", LearnerProfile.enrolled_at)
Index("ix_pairings_created_at", Pairing.created_at)
