"""What indicators need beyond activity rows: outcomes recorded by referents and a
per-learner, per-day practice rollup kept current in the same transaction."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Date, ForeignKey, Index, Integer, String, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Mapper, mapped_column

from tutoring.extensions import db
from tutoring.models.accounts import enum_column
from tutoring.models.base import UTCDateTime, utcnow
from tutoring.models.practice import Attempt
from tutoring.models.profiles import LearnerProfile
from tutoring.models.tutoring import Pairing, TutoringSession

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


# Period filters of the indicators (a full year must stay fast at national scale).
Index("ix_tutoring_sessions_starts_at", TutoringSession.starts_at)
Index("ix_learner_profiles_enrolled_at", LearnerProfile.enrolled_at)
Index("ix_pairings_created_at", Pairing.created_at)
