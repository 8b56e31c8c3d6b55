"""Indicator tables: API tokens, learners' outcomes and the rollups (practice days and
months, session months, learner years, volunteer months, learner levels)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from tutoring.core.database import UTCDateTime, utcnow
from tutoring.core.extensions import Model

if TYPE_CHECKING:
    pass
from datetime import date

from sqlalchemy import (
    Date,
    Index,
    Integer,
)

from tutoring.core.database import enum_column


class ApiToken(Model):
    """A bearer token for the CTAI coordination module. Only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The indicator groups the token may read, a JSON list of the keys of
    # `tutoring.api.scopes.SCOPE_GROUPS` ("beneficiaries", "sessions", "pairings",
    # "practice", "progress", "exams", "outcomes", "trend"). NULL means every
    # indicator, groups added later included; a token never holds an empty list.
    scope: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))

    def may_read(self, group: str) -> bool:
        """Whether this token may read the indicators of `group`."""
        return self.scope is None or group in self.scope


class OutcomeKind(enum.StrEnum):
    CERTIFICATION = "certification"
    CIVIC_EXAM = "civic_exam"
    RESIDENCE_CARD = "residence_card"


class LearnerOutcome(Model):
    """A result obtained outside the platform, recorded by a referent."""

    __tablename__ = "learner_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind, "outcome_kind"))
    level: Mapped[str | None] = mapped_column(String(8))  # certification only
    # certification only: "test" (TCF, TEF: counts two years) or "diploma" (DELF,
    # DALF, brevet, CAP…: no end); None for the rows recorded before it was asked.
    certificate: Mapped[str | None] = mapped_column(String(12))
    obtained_on: Mapped[date] = mapped_column(Date, index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PracticeDay(Model):
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


class PracticeMonth(Model):
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


class SessionMonth(Model):
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


class LearnerYear(Model):
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
    # Copies of the learner's enrolment attributes (`LEARNER_ATTRIBUTES`), so that
    # the breakdowns and filters of a year read this table alone; copied when the
    # row is created and whenever the learner's enrolment changes.
    public_category: Mapped[str | None] = mapped_column(String(20))
    partner_id: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str | None] = mapped_column(String(20))
    age_band: Mapped[str | None] = mapped_column(String(20))
    arrival_year: Mapped[int | None] = mapped_column(Integer)


class TutorMonth(Model):
    """Meetings of one volunteer in one calendar month of their start (Millau time),
    for every filter the coordinator may set: every learner (`public_category` ''
    and `partner_id` 0), one public, one referring partner, or both.

    For the learners a filter keeps, a meeting (its `slot`: a group workshop is one
    meeting) counts as held when one of them was present, cancelled when one of
    their places was, and adds their places missed (absent or excused), the
    scheduled minutes when one of their places was held (volunteer hours) and the
    minutes they attended. Only (month, filter) pairs with a held or cancelled
    place have a row.

    Recounted from the raw rows, in the same transaction, whenever a session row of
    that volunteer and month is inserted or changes, or a learner's public or
    partner changes; like `session_months`, deleting rows does not touch it, so the
    hours given by a volunteer whose account was deleted still count (until
    `flask indicators rebuild`). `tutor_id` has no foreign key for that reason."""

    __tablename__ = "tutor_months"
    __table_args__ = (
        Index("ix_tutor_months_filter_month", "public_category", "partner_id", "month"),
    )

    tutor_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=False
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    public_category: Mapped[str] = mapped_column(String(20), primary_key=True)
    partner_id: Mapped[int] = mapped_column(
        Integer, primary_key=True, autoincrement=False
    )
    held: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
    missed: Mapped[int] = mapped_column(Integer, default=0)
    volunteer_minutes: Mapped[int] = mapped_column(Integer, default=0)
    learner_minutes: Mapped[int] = mapped_column(Integer, default=0)


LEVEL_RANKS = {"A1.1": 1, "A1": 2, "A2": 3, "B1": 4, "B2": 5, "C1": 6, "C2": 7}


class LearnerLevels(Model):
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
