"""Attestations of progress, each with a code anyone can check."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from tutoring.core.database import UTCDateTime, utcnow
from tutoring.core.extensions import Model


class Attestation(Model):
    """A progress record (attestation de suivi) given to a learner, checkable by its code.

    The content is frozen at issue so that the check shows what was printed.
    """

    __tablename__ = "attestations"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
