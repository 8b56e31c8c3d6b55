"""Rebuild the indicator rollups from the raw rows (`flask indicators rebuild`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy import func, select, text

from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.clock import local_day
from tutoring.core.extensions import db
from tutoring.indicators.listeners import levels_row, meeting_cells
from tutoring.learning.models import Attempt, ExternalLevel
from tutoring.sessions.models import Attendance, SessionStatus, TutoringSession


def _postgresql() -> bool:
    return db.session.connection().dialect.name == "postgresql"


def _count(table: str) -> int:
    return int(db.session.scalar(select(func.count()).select_from(text(table))) or 0)


def _insert(table: str, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    if rows:
        db.session.execute(
            db.metadata.tables[table].insert(),
            [dict(zip(columns, row, strict=True)) for row in rows],
        )


def _insert_batches(table: str, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows given as dicts, 10,000 at a time; return how many."""
    count, batch = 0, []
    for row in rows:
        batch.append(row)
        if len(batch) == 10_000:
            db.session.execute(db.metadata.tables[table].insert(), batch)
            count, batch = count + len(batch), []
    if batch:
        db.session.execute(db.metadata.tables[table].insert(), batch)
    return count + len(batch)


def _year_and_bit(column: str) -> tuple[str, str]:
    """SQL for the year of a DATE column and the bit of its month (m-1)."""
    if _postgresql():
        return (
            f"CAST(extract(year FROM {column}) AS integer)",
            f"1 << (CAST(extract(month FROM {column}) AS integer) - 1)",
        )
    return (
        f"CAST(strftime('%Y', {column}) AS integer)",
        f"1 << (CAST(strftime('%m', {column}) AS integer) - 1)",
    )


def rebuild_practice() -> int:
    """Recompute the daily and monthly practice rollups from every attempt."""
    for table in ("practice_months", "practice_days"):
        # Constant table names (S608 reviewed).
        db.session.execute(text(f"DELETE FROM {table}"))  # noqa: S608  # nosec B608
    if _postgresql():
        db.session.execute(
            text(
                "INSERT INTO practice_days (learner_id, day, attempts, time_ms) "
                "SELECT learner_id, (created_at AT TIME ZONE 'Europe/Paris')::date, "
                "count(*), coalesce(sum(greatest(time_ms, 0)), 0) "
                "FROM attempts GROUP BY 1, 2"
            )
        )
        month = "date_trunc('month', day)::date"
    else:
        days: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
        rows = db.session.execute(
            select(Attempt.learner_id, Attempt.created_at, Attempt.time_ms)
        )
        for learner_id, created_at, time_ms in rows:
            day = days[(learner_id, local_day(created_at))]
            day[0] += 1
            day[1] += max(0, time_ms or 0)
        _insert(
            "practice_days",
            ("learner_id", "day", "attempts", "time_ms"),
            [(k[0], k[1], v[0], v[1]) for k, v in days.items()],
        )
        month = "date(day, 'start of month')"
    db.session.execute(
        text(
            # Fixed SQL, no input (S608 reviewed).
            "INSERT INTO practice_months (learner_id, month, attempts, time_ms) "  # noqa: S608  # nosec B608
            f"SELECT learner_id, {month}, sum(attempts), sum(time_ms) "
            "FROM practice_days GROUP BY 1, 2"
        )
    )
    return _count("practice_days")


def rebuild_learner_years() -> int:
    """Recompute `learner_years` from `practice_months` and `session_months`."""
    db.session.execute(text("DELETE FROM learner_years"))
    year, bit = _year_and_bit("month")
    db.session.execute(
        text(
            # Fixed SQL, no input (S608 reviewed).
            "INSERT INTO learner_years (learner_id, year, attempts, time_ms, "  # noqa: S608  # nosec B608
            "practised, attended, minutes, tutored, public_category, partner_id, "
            "sex, age_band, arrival_year) "
            "SELECT y.*, l.public_category, l.partner_id, l.sex, l.age_band, "
            "l.arrival_year FROM ("
            " SELECT learner_id, year, sum(attempts), sum(time_ms), sum(practised),"
            " sum(attended), sum(minutes), sum(tutored) FROM ("
            f"  SELECT learner_id, {year} AS year, attempts, time_ms, {bit} AS practised,"
            "  0 AS attended, 0 AS minutes, 0 AS tutored FROM practice_months"
            "  UNION ALL"
            f"  SELECT learner_id, {year}, 0, 0, 0, attended, minutes, {bit}"
            "  FROM session_months"
            " ) months GROUP BY learner_id, year"
            ") y JOIN learner_profiles l ON l.id = y.learner_id"
        )
    )
    return _count("learner_years")


def rebuild_sessions() -> int:
    """Recompute `session_months` from every stored session."""
    db.session.execute(text("DELETE FROM session_months"))
    if _postgresql():
        db.session.execute(
            text(
                "INSERT INTO session_months (learner_id, month, attended, minutes) "
                "SELECT learner_id, "
                "date_trunc('month', starts_at AT TIME ZONE 'Europe/Paris')::date, "
                "count(*), coalesce(sum(minutes), 0) FROM tutoring_sessions "
                "WHERE status = 'held' AND attendance = 'present' GROUP BY 1, 2"
            )
        )
    else:
        months: dict[tuple[int, date], list[int]] = defaultdict(lambda: [0, 0])
        rows = db.session.execute(
            select(
                TutoringSession.learner_id,
                TutoringSession.starts_at,
                TutoringSession.minutes,
            ).where(
                TutoringSession.status == SessionStatus.HELD,
                TutoringSession.attendance == Attendance.PRESENT,
            )
        )
        for learner_id, starts_at, minutes in rows:
            cell = months[(learner_id, local_day(starts_at).replace(day=1))]
            cell[0] += 1
            cell[1] += minutes or 0
        _insert(
            "session_months",
            ("learner_id", "month", "attended", "minutes"),
            [(k[0], k[1], v[0], v[1]) for k, v in months.items()],
        )
    return _count("session_months")


def rebuild_tutor_months() -> int:
    """Recompute `tutor_months` (meetings per volunteer, month and filter) from the
    sessions, with the same function as the listeners (`meeting_cells`)."""
    db.session.execute(text("DELETE FROM tutor_months"))
    rows = db.session.execute(
        select(
            TutoringSession.tutor_id,
            TutoringSession.slot,
            TutoringSession.status,
            TutoringSession.attendance,
            TutoringSession.minutes,
            TutoringSession.starts_at,
            TutoringSession.ends_at,
            LearnerProfile.public_category,
            LearnerProfile.partner_id,
        )
        .join(LearnerProfile, LearnerProfile.id == TutoringSession.learner_id)
        .order_by(TutoringSession.tutor_id, TutoringSession.starts_at)
        .execution_options(yield_per=20_000)
    )
    month_of = lambda row: (row[0], local_day(row[5]).replace(day=1))  # noqa: E731

    def cells() -> Iterator[dict[str, Any]]:
        for (tutor_id, month), group in groupby(rows, key=month_of):
            for (public, partner), values in meeting_cells(
                r[1:] for r in group
            ).items():
                yield {"tutor_id": tutor_id, "month": month, "public_category": public,
                       "partner_id": partner, **values}  # fmt: skip

    return _insert_batches("tutor_months", cells())


def rebuild_levels() -> int:
    """Recompute `learner_levels` from every outside level record."""
    db.session.execute(text("DELETE FROM learner_levels"))
    rows = db.session.execute(
        select(
            ExternalLevel.learner_id,
            ExternalLevel.skill,
            ExternalLevel.level,
            ExternalLevel.taken_on,
        ).order_by(ExternalLevel.learner_id, ExternalLevel.taken_on, ExternalLevel.id)
    )
    return _insert_batches(
        "learner_levels",
        (
            {"learner_id": learner_id, **levels_row([row[1:] for row in group])}
            for learner_id, group in groupby(rows, key=lambda row: row[0])
        ),
    )


def rebuild_first_pairings() -> int:
    """Recompute `learner_profiles.first_paired_at` from the pairings."""
    db.session.execute(
        text(
            "UPDATE learner_profiles SET first_paired_at = ("
            "SELECT min(p.responded_at) FROM pairings p "
            "WHERE p.learner_id = learner_profiles.id "
            "AND p.status IN ('active', 'ended') AND p.responded_at IS NOT NULL)"
        )
    )
    return int(
        db.session.scalar(
            text(
                "SELECT count(*) FROM learner_profiles "
                "WHERE first_paired_at IS NOT NULL"
            )
        )
        or 0
    )


def rebuild_all() -> dict[str, int]:
    """Recompute every indicator rollup; return its size in learner-days, etc."""
    return {
        "practice_days": rebuild_practice(),
        "session_months": rebuild_sessions(),
        "learner_years": rebuild_learner_years(),
        "tutor_months": rebuild_tutor_months(),
        "learner_levels": rebuild_levels(),
        "first_pairings": rebuild_first_pairings(),
    }
