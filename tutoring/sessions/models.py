"""Session tables: tutoring sessions, with no double booking enforced by PostgreSQL."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    DDL,
    JSON,
    ForeignKey,
    String,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.database import UTCDateTime, enum_column, utcnow
from tutoring.core.extensions import Model
from tutoring.pairing.models import Pairing, Place


class SessionStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"


class Attendance(enum.StrEnum):
    PRESENT = "present"
    EXCUSED = "excused"
    ABSENT = "absent"


class TutoringSession(Model):
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
    DDL(_NO_OVERLAP).execute_if(dialect="postgresql"),  # type: ignore[no-untyped-call]  # DDL.__init__ is unannotated in SQLAlchemy
)
