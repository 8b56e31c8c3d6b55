"""Rollups kept current in the same transaction: listeners on attempts, sessions,
enrolments and pairings recount the learner's or volunteer's rows they touch."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Date,
    Executable,
    Index,
    Integer,
    bindparam,
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
from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import get_history

from exercises.model import SKILLS
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.clock import local_day, month_bounds
from tutoring.core.database import built_once, utcnow
from tutoring.indicators.models import (
    LEVEL_RANKS,
    LearnerLevels,
    LearnerYear,
    PracticeDay,
    PracticeMonth,
    SessionMonth,
    TutorMonth,
)
from tutoring.learning.models import Attempt, ExternalLevel
from tutoring.pairing.models import Pairing, PairingStatus
from tutoring.sessions.models import Attendance, SessionStatus, TutoringSession

LEARNER_ATTRIBUTES = (
    "public_category",
    "partner_id",
    "sex",
    "age_band",
    "arrival_year",
)


def _upsert_learner_year(
    connection: Connection, learner_id: int, year: int, values: dict[str, Any],
    changes: dict[str, Any],
) -> None:  # fmt: skip
    """Insert or update one `learner_years` row; a new row copies the learner's
    enrolment attributes."""
    connection.execute(
        _learner_year_upsert(
            connection.dialect.name, learner_id, literal(year),
            {name: literal(value) for name, value in values.items()}, changes,
        )  # fmt: skip
    )


def _learner_year_upsert(
    dialect: str, learner: Any, year: Any, values: dict[str, Any],
    changes: dict[str, Any],
) -> Executable:  # fmt: skip
    """The upsert of one `learner_years` row from SQL expressions (literals, or bind
    parameters for a statement `built_once`): a new row copies the learner's
    enrolment attributes, an existing one takes `changes`."""
    table, learners = LearnerYear.__table__, LearnerProfile.__table__
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    source = select(
        learners.c.id, year, *values.values(),
        *(learners.c[name] for name in LEARNER_ATTRIBUTES),
    ).where(learners.c.id == learner)  # fmt: skip
    return (
        insert(table)
        .from_select(["learner_id", "year", *values, *LEARNER_ATTRIBUTES], source)
        .on_conflict_do_update(index_elements=["learner_id", "year"], set_=changes)
    )


ALL_PUBLICS, ALL_PARTNERS = "", 0  # the keys of `tutor_months` without that filter


def meeting_cells(rows: Any) -> dict[tuple[str, int], dict[str, int]]:
    """The `tutor_months` values of one volunteer's month, by filter key, from its
    session rows given as (slot, status, attendance, minutes, starts_at, ends_at,
    public_category, partner_id)."""
    meetings: dict[tuple[str, int, str], list[Any]] = {}
    for slot, status, attendance, minutes, starts, ends, public, partner in rows:
        public = getattr(public, "value", public) or ""
        keys = {(ALL_PUBLICS, ALL_PARTNERS), (public, ALL_PARTNERS)}
        if partner is not None:
            keys |= {(ALL_PUBLICS, partner), (public, partner)}
        for key in keys:
            # held, cancelled, missed, scheduled minutes if held, learner minutes
            meeting = meetings.setdefault((*key, slot), [0, 0, 0, None, 0])
            if status == SessionStatus.HELD:
                if attendance == Attendance.PRESENT:
                    meeting[0] = 1
                    meeting[4] += minutes or 0
                elif attendance in (Attendance.ABSENT, Attendance.EXCUSED):
                    meeting[2] += 1
                length = (ends - starts).total_seconds() / 60
                meeting[3] = max(meeting[3] or 0, length)
            elif status == SessionStatus.CANCELLED:
                meeting[1] = 1
    cells: dict[tuple[str, int], list[Any]] = {}
    for (public, partner, _slot), meeting in meetings.items():
        cell = cells.setdefault((public, partner), [0, 0, 0, 0.0, 0, False])
        for i in (0, 1, 2, 4):
            cell[i] += meeting[i]
        cell[3] += meeting[3] or 0
        cell[5] = cell[5] or meeting[3] is not None
    return {
        key: {
            "held": c[0],
            "cancelled": c[1],
            "missed": c[2],
            "volunteer_minutes": round(c[3]),
            "learner_minutes": c[4],
        }
        for key, c in cells.items()
        if c[0] or c[1] or c[2] or c[5]
    }


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


@event.listens_for(Attempt, "after_insert")
def _count_attempt(_mapper: Mapper[Any], connection: Connection, attempt: Any) -> None:
    """Add the new attempt to its learner's year, day and month in the rollups."""
    moment = attempt.created_at or utcnow()
    day = local_day(moment)
    values = {
        "learner": attempt.learner_id,
        "of_year": day.year,
        "ms": max(0, attempt.time_ms or 0),
        "month_bit": 1 << (day.month - 1),
        "on_day": day,
        "on_month": day.replace(day=1),
    }
    for statement in _attempt_counts(connection.dialect.name):
        connection.execute(statement, values)


@built_once  # one set per dialect: run on every answer
def _attempt_counts(dialect: str) -> tuple[Executable, ...]:
    """The three upserts that count an attempt, with bind parameters: `learner`,
    `of_year`, `ms` (time spent), `month_bit` (the month's bit in the year's
    `practised`), `on_day` and `on_month` (names apart from the columns', which an
    INSERT keeps for itself)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    years = LearnerYear.__table__
    learner = bindparam("learner", type_=Integer)
    ms = bindparam("ms", type_=Integer)
    bit = bindparam("month_bit", type_=Integer)
    statements = [
        _learner_year_upsert(
            dialect, learner, bindparam("of_year", type_=Integer),
            {"attempts": literal(1), "time_ms": ms, "practised": bit},
            {
                "attempts": years.c.attempts + 1,
                "time_ms": years.c.time_ms + ms,
                "practised": years.c.practised.op("|")(bit),
            },
        )
    ]  # fmt: skip
    for table, key, when in (
        (PracticeDay.__table__, "day", bindparam("on_day", type_=Date)),
        (PracticeMonth.__table__, "month", bindparam("on_month", type_=Date)),
    ):
        statements.append(
            insert(table)
            .values({"learner_id": learner, "attempts": 1, "time_ms": ms, key: when})
            .on_conflict_do_update(
                index_elements=["learner_id", key],
                set_={
                    "attempts": table.c.attempts + 1,
                    "time_ms": table.c.time_ms + ms,
                },
            )
        )
    return tuple(statements)


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
    _upsert_learner_year(connection, learner_id, year, tutoring, tutoring)
    connection.execute(  # a row means some activity in the year
        delete(table).where(
            table.c.learner_id == learner_id,
            table.c.year == year,
            table.c.practised == 0,
            table.c.tutored == 0,
        )
    )


def recount_tutor_month(connection: Connection, tutor_id: int, month: date) -> None:
    """Recompute one volunteer's month of `tutor_months` from the raw session rows."""
    table, rows = TutorMonth.__table__, TutoringSession.__table__
    learners = LearnerProfile.__table__
    since, until = month_bounds(month)
    found = connection.execute(
        select(
            rows.c.slot,
            rows.c.status,
            rows.c.attendance,
            rows.c.minutes,
            rows.c.starts_at,
            rows.c.ends_at,
            learners.c.public_category,
            learners.c.partner_id,
        )
        .join(learners, learners.c.id == rows.c.learner_id)
        .where(
            rows.c.tutor_id == tutor_id,
            rows.c.starts_at >= since,
            rows.c.starts_at < until,
        )
    ).all()
    connection.execute(
        delete(table).where(table.c.tutor_id == tutor_id, table.c.month == month)
    )
    cells = meeting_cells(found)
    if cells:
        connection.execute(
            insert(table),
            [
                {
                    "tutor_id": tutor_id,
                    "month": month,
                    "public_category": public,
                    "partner_id": partner,
                    **values,
                }
                for (public, partner), values in cells.items()
            ],  # fmt: skip
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


@event.listens_for(LearnerProfile, "after_update")
def _learner_changed(_mapper: Mapper[Any], connection: Connection, row: Any) -> None:
    """A learner's enrolment changed: copy it to their `learner_years` rows and, for
    a new public or partner, recount the volunteer months of their sessions (whose
    filtered cells hold them)."""
    changed = {n for n in LEARNER_ATTRIBUTES if get_history(row, n).has_changes()}
    if not changed:
        return
    years, learners = LearnerYear.__table__, LearnerProfile.__table__
    connection.execute(
        update(years)
        .where(years.c.learner_id == row.id)
        .values(
            {
                name: select(learners.c[name])
                .where(learners.c.id == row.id)
                .scalar_subquery()
                for name in LEARNER_ATTRIBUTES
            }
        )
    )
    if not changed & {"public_category", "partner_id"}:
        return
    rows = TutoringSession.__table__
    found = connection.execute(
        select(rows.c.tutor_id, rows.c.starts_at).where(rows.c.learner_id == row.id)
    ).all()
    for tutor_id, month in {(t, local_day(s).replace(day=1)) for t, s in found}:
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
