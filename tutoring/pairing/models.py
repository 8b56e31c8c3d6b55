"""Pairing tables: pairings, places and weekly availability."""

from __future__ import annotations

import enum
from datetime import datetime, time

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    String,
    Time,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import UTCDateTime, enum_column, utcnow
from tutoring.core.extensions import Model


class PairingStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"


class Pairing(Model):
    """A learner paired with a volunteer tutor: proposed → active → ended
    (or declined by the tutor)."""

    __tablename__ = "pairings"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    tutor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[PairingStatus] = mapped_column(
        enum_column(PairingStatus, "pairing_status"), default=PairingStatus.PROPOSED
    )
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(300))

    learner: Mapped[LearnerProfile] = relationship()
    tutor: Mapped[User] = relationship(foreign_keys=[tutor_id])


class Place(Model):
    """Where sessions happen: a room the referents list (Myriade's rooms, the MESA,
    the médiathèque…). One session at a time; `capacity` bounds a workshop's size."""

    __tablename__ = "places"

    id: Mapped[int] = mapped_column(primary_key=True)
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    address: Mapped[str] = mapped_column(String(200), default="")
    step_free: Mapped[bool] = mapped_column(Boolean, default=False)
    accessibility: Mapped[str] = mapped_column(String(200), default="")
    opening_hours: Mapped[str] = mapped_column(String(200), default="")
    capacity: Mapped[int] = mapped_column(Integer, default=2)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # When sessions may happen there, Millau time (the text above says it in words):
    # the days open (Monday = 0) and one opening; unset, OPEN_FROM–OPEN_UNTIL daily.
    open_days: Mapped[str] = mapped_column(
        String(7), default="0123456", server_default="0123456"
    )
    opens_at: Mapped[time | None] = mapped_column(Time(), nullable=True)
    closes_at: Mapped[time | None] = mapped_column(Time(), nullable=True)


class Availability(Model):
    """A weekly slot (Monday = 0) when a tutor or a learner is free, Millau time."""

    __tablename__ = "availabilities"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    learner_id: Mapped[int | None] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    weekday: Mapped[int] = mapped_column(Integer)
    starts: Mapped[time] = mapped_column(Time())
    ends: Mapped[time] = mapped_column(Time())
