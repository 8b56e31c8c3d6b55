"""Progress: item difficulties learned from answers, spaced-review cards, outside levels."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tutoring.extensions import db
from tutoring.models.accounts import User, enum_column
from tutoring.models.base import UTCDateTime, utcnow


class ItemStat(db.Model):
    """An item's difficulty on the ability scale, refined from every learner's answers."""

    __tablename__ = "item_stats"

    item_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    adjustment: Mapped[float] = mapped_column(Float, default=0.0)
    answers: Mapped[int] = mapped_column(Integer, default=0)


class ReviewCard(db.Model):
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


class ExternalLevel(db.Model):
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
