"""Rebuild the indicator rollups from the raw rows (`flask indicators rebuild`).

Listeners in `tutoring.models.indicators` keep every rollup current row by row;
these functions recompute them all at once, after a bulk load or to repair them.
PostgreSQL does it in SQL; SQLite (development and tests) through Python, which
knows Millau's time zone.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import groupby
from typing import Any

from sqlalchemy import func, select, text

from tutoring.extensions import db
from tutoring.models import (
    Attempt,
    Attendance,
    ExternalLevel,
    SessionStatus,
    TutoringSession,
)
from tutoring.models.indicators import levels_row, local_day


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
            "practised, attended, minutes, tutored) "
            "SELECT learner_id, year, sum(attempts), sum(time_ms), sum(practised), "
            "sum(attended), sum(minutes), sum(tutored) FROM ("
            f" SELECT learner_id, {year} AS year, attempts, time_ms, {bit} AS practised,"
            " 0 AS attended, 0 AS minutes, 0 AS tutored FROM practice_months"
            " UNION ALL"
            f" SELECT learner_id, {year}, 0, 0, 0, attended, minutes, {bit}"
            " FROM session_months"
            ") months GROUP BY learner_id, year"
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
    """Recompute `tutor_months` (meetings per volunteer and month) from the sessions."""
    db.session.execute(text("DELETE FROM tutor_months"))
    if _postgresql():
        db.session.execute(
            text(
                "INSERT INTO tutor_months "
                "(tutor_id, month, held, cancelled, missed, volunteer_minutes, "
                "learner_minutes) "
                "SELECT tutor_id, month, sum(held), sum(cancelled), sum(missed), "
                "round(coalesce(sum(minutes), 0)), sum(learner_minutes) FROM ("
                " SELECT tutor_id, "
                " date_trunc('month', starts_at AT TIME ZONE 'Europe/Paris')::date "
                " AS month,"
                " max(CASE WHEN status = 'held' AND attendance = 'present' "
                "  THEN 1 ELSE 0 END) AS held,"
                " max(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,"
                " sum(CASE WHEN status = 'held' AND attendance IN "
                "  ('absent', 'excused') THEN 1 ELSE 0 END) AS missed,"
                " max(CASE WHEN status = 'held' "
                "  THEN extract(epoch FROM ends_at - starts_at) / 60.0 END) AS minutes,"
                " sum(CASE WHEN status = 'held' AND attendance = 'present' "
                "  THEN coalesce(tutoring_sessions.minutes, 0) ELSE 0 END)"
                " AS learner_minutes"
                " FROM tutoring_sessions GROUP BY tutor_id, slot, 2"
                ") meetings GROUP BY tutor_id, month "
                "HAVING sum(held) + sum(cancelled) + sum(missed) > 0 OR count(minutes) > 0"
            )
        )
        return _count("tutor_months")
    # held, cancelled, missed, volunteer minutes, learner minutes of each meeting
    meetings: dict[tuple[int, date, str], list[Any]] = defaultdict(
        lambda: [0, 0, 0, None, 0]
    )
    rows = db.session.execute(
        select(
            TutoringSession.tutor_id,
            TutoringSession.slot,
            TutoringSession.starts_at,
            TutoringSession.ends_at,
            TutoringSession.status,
            TutoringSession.attendance,
            TutoringSession.minutes,
        )
    )
    for tutor_id, slot, starts_at, ends_at, status, attendance, minutes in rows:
        meeting = meetings[(tutor_id, local_day(starts_at).replace(day=1), slot)]
        if status == SessionStatus.HELD:
            if attendance == Attendance.PRESENT:
                meeting[0] = 1
                meeting[4] += minutes or 0
            elif attendance in (Attendance.ABSENT, Attendance.EXCUSED):
                meeting[2] += 1
            length = (ends_at - starts_at).total_seconds() / 60
            meeting[3] = max(meeting[3] or 0, length)
        elif status == SessionStatus.CANCELLED:
            meeting[1] = 1
    # held, cancelled, missed, volunteer minutes, learner minutes, and whether a
    # meeting was held at all (the learner present or not)
    cells: dict[tuple[int, date], list[float]] = defaultdict(
        lambda: [0, 0, 0, 0.0, 0, 0]
    )
    for (tutor_id, month, _slot), meeting in meetings.items():
        held, cancelled, missed, minutes, learner_minutes = meeting
        cell = cells[(tutor_id, month)]
        cell[0] += held
        cell[1] += cancelled
        cell[2] += missed
        cell[3] += minutes or 0
        cell[4] += learner_minutes
        cell[5] = cell[5] or minutes is not None
    _insert(
        "tutor_months",
        (
            "tutor_id",
            "month",
            "held",
            "cancelled",
            "missed",
            "volunteer_minutes",
            "learner_minutes",
        ),
        [
            (k[0], k[1], int(v[0]), int(v[1]), int(v[2]), round(v[3]), int(v[4]))
            for k, v in cells.items()
            if v[0] or v[1] or v[2] or v[5]
        ],  # fmt: skip
    )
    return _count("tutor_months")


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
    learners = []
    for learner_id, group in groupby(rows, key=lambda row: row[0]):
        records = [row[1:] for row in group]
        learners.append({"learner_id": learner_id, **levels_row(records)})
    for start in range(0, len(learners), 10_000):
        db.session.execute(
            db.metadata.tables["learner_levels"].insert(),
            learners[start : start + 10_000],
        )
    return len(learners)


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
