"""Tutoring: pairings of a learner with a volunteer, and tutors' reviews of productions."""

from __future__ import annotations

import enum
from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    DDL,
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    Time,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tutoring.extensions import db
from tutoring.models.accounts import User, enum_column
from tutoring.models.base import UTCDateTime, utcnow
from tutoring.models.profiles import LearnerProfile


class PairingStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"


class Pairing(db.Model):
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


class Review(db.Model):
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


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"


class Attendance(enum.StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


class Place(db.Model):
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


class Availability(db.Model):
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


class TutoringSession(db.Model):
    """One learner's place in a session: a one-to-one session has one row, a group
    workshop one row per learner sharing the same `slot` (its tutor, time and room).

    Nobody is booked twice at the same time, and a room holds one session at a time:
    PostgreSQL enforces it with exclusion constraints (below); elsewhere the booking
    service serialises its check."""

    __tablename__ = "tutoring_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    sequence: Mapped[int] = mapped_column(default=0)
    slot: Mapped[str] = mapped_column(String(64), index=True)
    series: Mapped[str | None] = mapped_column(String(64), index=True)
    workshop: Mapped[str | None] = mapped_column(String(120))
    pairing_id: Mapped[int | None] = mapped_column(
        ForeignKey("pairings.id", ondelete="CASCADE"), index=True
    )
    tutor_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(120))
    place_id: Mapped[int | None] = mapped_column(
        ForeignKey("places.id", ondelete="SET NULL"), index=True
    )
    video_url: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, "session_status"), default=SessionStatus.SCHEDULED
    )
    cancelled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    cancel_reason: Mapped[str | None] = mapped_column(String(300))
    attendance: Mapped[Attendance | None] = mapped_column(
        enum_column(Attendance, "attendance")
    )
    minutes: Mapped[int | None] = mapped_column()
    note_for_learner: Mapped[str | None] = mapped_column(Text)
    note_for_referent: Mapped[str | None] = mapped_column(Text)
    skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    change_request: Mapped[str | None] = mapped_column(String(300))
    change_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    changed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    change_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    pairing: Mapped[Pairing | None] = relationship()
    room: Mapped[Place | None] = relationship()
    tutor: Mapped[User] = relationship(foreign_keys=[tutor_id])
    learner: Mapped[LearnerProfile] = relationship()


# No double booking, enforced by PostgreSQL itself (btree_gist gives "=" and "<>"
# in GiST): a tutor or a room overlaps only with the rows of the same slot (one
# workshop), a learner never.
_NO_OVERLAP = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE tutoring_sessions ADD CONSTRAINT tutoring_sessions_tutor_no_overlap
  EXCLUDE USING gist (tutor_id WITH =, slot WITH <>,
                      tstzrange(starts_at, ends_at) WITH &&)
  WHERE (status = 'scheduled');
ALTER TABLE tutoring_sessions ADD CONSTRAINT tutoring_sessions_learner_no_overlap
  EXCLUDE USING gist (learner_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
  WHERE (status = 'scheduled');
ALTER TABLE tutoring_sessions ADD CONSTRAINT tutoring_sessions_room_no_overlap
  EXCLUDE USING gist (place_id WITH =, slot WITH <>,
                      tstzrange(starts_at, ends_at) WITH &&)
  WHERE (status = 'scheduled' AND place_id IS NOT NULL);
"""
event.listen(
    TutoringSession.__table__,
    "after_create",
    DDL(_NO_OVERLAP).execute_if(dialect="postgresql"),
)


class Channel(enum.StrEnum):
    EMAIL = "email"
    SMS = "sms"
    APP = "app"  # shown on the person's home page


class OutboxMessage(db.Model):
    """A message to send (e-mail, text) or to show on the home page. `key` makes each
    message unique, so that a reminder or a notice is never queued or sent twice."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[Channel] = mapped_column(enum_column(Channel, "channel"))
    address: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(300))


class VoiceStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class VoiceRecording(db.Model):
    """A volunteer's recording of a listening item; once a referent approves it,
    learners hear it instead of the synthetic voice."""

    __tablename__ = "voice_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), index=True)
    file_name: Mapped[str] = mapped_column(String(80))
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    status: Mapped[VoiceStatus] = mapped_column(
        enum_column(VoiceStatus, "voice_status"), default=VoiceStatus.PENDING
    )
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    recorded_by: Mapped[User | None] = relationship(foreign_keys=[recorded_by_id])
