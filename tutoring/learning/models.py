"""Practice tables: sets, attempts, productions and their marks, homework, review cards,
item statistics and levels obtained elsewhere."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exercises.placement import LENGTH, LENGTH_STARTING_TO_READ
from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.models import ItemVersion
from tutoring.core.database import UTCDateTime, enum_column, utcnow
from tutoring.core.extensions import Model


class SetMode(enum.StrEnum):
    LEVEL = "level"
    THEME = "theme"
    HOMEWORK = "homework"
    PLACEMENT = "placement"
    MOCK = "mock"
    TRACK = "track"  # a unit of a track (« Numérique »), its items in order

    # A pack downloaded to practise without a connection (learning.offline): the set
    # owns the pack's item versions; its answers arrive later, in batches.
    OFFLINE = "offline"


class Assignment(Model):
    """Homework: items a tutor or referent asks a learner to do by a date."""

    __tablename__ = "assignments"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(120))
    item_version_ids: Mapped[list[int]] = mapped_column(JSON)
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    learner: Mapped[LearnerProfile] = relationship()
    created_by: Mapped[User | None] = relationship()


class PracticeSet(Model):
    """A series of items answered one per screen; it can be left and resumed."""

    __tablename__ = "practice_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    mode: Mapped[SetMode] = mapped_column(enum_column(SetMode, "set_mode"))
    level: Mapped[str] = mapped_column(String(8))
    theme: Mapped[str | None] = mapped_column(String(32))
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )
    item_version_ids: Mapped[list[int]] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A timed section of a mock exam: answers after the deadline are refused.
    exam_id: Mapped[int | None] = mapped_column(
        ForeignKey("language_exams.id", ondelete="CASCADE"), index=True
    )
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())

    assignment: Mapped[Assignment | None] = relationship()

    @property
    def planned(self) -> int:
        """How many items the set will have (the placement test grows as it goes)."""
        if self.mode == SetMode.PLACEMENT:
            return LENGTH_STARTING_TO_READ if self.level == "A1.1" else LENGTH
        return len(self.item_version_ids)


class Attempt(Model):
    """One answer to one item version. Append-only; `client_id` makes resubmits harmless."""

    __tablename__ = "attempts"
    __table_args__ = (
        # A learner's answers (its first column serves `learner_id = ?` alone), and
        # whether they answered given items: the home page asks, on every visit,
        # whether the learner touched the « Numérique » track, one probe per track
        # item whatever the number of answers, theirs or everyone's.
        Index("ix_attempts_learner_id_item_version_id", "learner_id", "item_version_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(36), unique=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE")
    )
    set_id: Mapped[int | None] = mapped_column(
        ForeignKey("practice_sets.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int | None] = mapped_column(Integer)
    item_version_id: Mapped[int] = mapped_column(
        ForeignKey("item_versions.id"), index=True
    )
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    time_ms: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, index=True
    )

    item_version: Mapped[ItemVersion] = relationship()
    learner: Mapped[LearnerProfile] = relationship()
    submission: Mapped[Submission | None] = relationship(
        back_populates="attempt", uselist=False, cascade="all, delete-orphan"
    )


class SubmissionStatus(enum.StrEnum):
    PENDING = "pending"
    REVIEWED = "reviewed"


class Submission(Model):
    """A written text or a recording waiting for a tutor's review."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), unique=True
    )
    text: Mapped[str | None] = mapped_column(Text)
    audio_file: Mapped[str | None] = mapped_column(String(80))
    audio_mime: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[SubmissionStatus] = mapped_column(
        enum_column(SubmissionStatus, "submission_status"),
        default=SubmissionStatus.PENDING,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="submission")
    review: Mapped[Review | None] = relationship(
        uselist=False, cascade="all, delete-orphan"
    )


class Review(Model):
    """A tutor's marking of a written or spoken production, on a simple rubric."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), unique=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    criteria: Mapped[dict[str, Any]] = mapped_column(JSON)
    mark: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    reviewer: Mapped[User | None] = relationship()


class ItemStat(Model):
    """An item's difficulty on the ability scale, refined from every learner's answers."""

    __tablename__ = "item_stats"

    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    adjustment: Mapped[float] = mapped_column(Float, default=0.0)
    answers: Mapped[int] = mapped_column(Integer, default=0)


class ReviewCard(Model):
    """A missed item coming back for review, scheduled by FSRS (the card's state as JSON)."""

    __tablename__ = "review_cards"
    __table_args__ = (UniqueConstraint("learner_id", "item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[str] = mapped_column(String(80))
    card: Mapped[dict[str, Any]] = mapped_column(JSON)
    due: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    reviews: Mapped[int] = mapped_column(Integer, default=0)


class LevelSource(enum.StrEnum):
    OFII = "ofii"
    TCF = "tcf"
    TEF = "tef"
    DELF = "delf"
    OTHER = "other"


class ExternalLevel(Model):
    """A level measured outside the platform (OFII positioning, TCF, DELF…)."""

    __tablename__ = "external_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    skill: Mapped[str | None] = mapped_column(String(4))  # None: all four skills
    level: Mapped[str] = mapped_column(String(8))
    source: Mapped[LevelSource] = mapped_column(
        enum_column(LevelSource, "level_source")
    )
    taken_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recorded_by: Mapped[User | None] = relationship()


class LearnerSkillState(Model):
    """A learner's ability estimate in one skill, kept current with each answer (see
    learning.state): the pages read it instead of recomputing it from the attempts."""

    __tablename__ = "learner_skill_states"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    skill: Mapped[str] = mapped_column(String(4), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    standard_error: Mapped[float] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class LearnerUnitState(Model):
    """A learner's last scores on one unit's items (enough to judge mastery)."""

    __tablename__ = "learner_unit_states"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    unit: Mapped[str] = mapped_column(String(80), primary_key=True)
    scores: Mapped[list[float]] = mapped_column(JSON)  # oldest first, the last few
    last_attempt_id: Mapped[int] = mapped_column(Integer, index=True)


class LearnerState(Model):
    """A learner's reviews due, this month's activity and latest scores, kept current
    with each answer (see learning.state)."""

    __tablename__ = "learner_states"

    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), primary_key=True
    )
    review_dues: Mapped[list[str]] = mapped_column(JSON)  # ISO times, soonest first
    month: Mapped[str] = mapped_column(String(7))  # "2026-12": the month counted
    days_active: Mapped[int] = mapped_column(Integer, default=0)
    minutes_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    month_attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_active: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recent: Mapped[list[list[Any]]] = mapped_column(
        JSON
    )  # [score, theme], newest first
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

class MockAudioPlay(Model):
    """A recording of a mock exam section served once (as in the test): the second
    request for the same position of the same section is refused."""

    __tablename__ = "mock_audio_plays"
    __table_args__ = (UniqueConstraint("set_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    set_id: Mapped[int] = mapped_column(
        ForeignKey("practice_sets.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    played_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
