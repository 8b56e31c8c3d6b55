"""Content tables: item versions synced from the bank, volunteers' recorded voices."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tutoring.accounts.models import User
from tutoring.core.database import UTCDateTime, enum_column, utcnow
from tutoring.core.extensions import Model

if TYPE_CHECKING:
    pass


class ItemVersion(Model):
    """One version of a bank item. Attempts point at the version they answered."""

    __tablename__ = "item_versions"
    __table_args__ = (UniqueConstraint("item_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), index=True)
    version: Mapped[int] = mapped_column(Integer)
    unit: Mapped[str] = mapped_column(String(80))
    level: Mapped[str] = mapped_column(String(8), index=True)
    skill: Mapped[str] = mapped_column(String(4))
    theme: Mapped[str] = mapped_column(String(32))
    # The track of a track unit's item (`numerique`); None for the ordinary bank.
    track: Mapped[str | None] = mapped_column(String(32), index=True)
    type: Mapped[str] = mapped_column(String(32))
    content_hash: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VoiceStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class VoiceRecording(Model):
    """A volunteer's recording of a listening item; once a referent of the same
    structure approves it, that structure's learners hear it instead of the synthetic
    voice. `file_name` is random: the approved audio is served under it."""

    __tablename__ = "voice_recordings"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[str] = mapped_column(String(80), index=True)
    file_name: Mapped[str] = mapped_column(String(80), unique=True)
    recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # The recorder's structure: its referents moderate it, its learners hear it.
    structure_id: Mapped[int | None] = mapped_column(
        ForeignKey("structures.id"), index=True
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
