"""Attestations of progress, each with a code anyone can check."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, String, Text
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


class ParcoursAnswers(Model):
    """A learner's answers to the « Mon parcours » questions, and the referent's
    correction of the result. Each answer may stay unknown (None)."""

    __tablename__ = "parcours_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), unique=True
    )
    card: Mapped[str | None] = mapped_column(String(16))  # csp, cr, naturalisation
    schooling: Mapped[bool | None] = mapped_column(Boolean)  # in France
    diploma: Mapped[bool | None] = mapped_column(Boolean)  # brevet, CAP…
    protection: Mapped[str | None] = mapped_column(String(16))
    over_65: Mapped[bool | None] = mapped_column(Boolean)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The referent's correction: a level ("A2", "B1", "B2", "none"), a civic exam
    # version ("csp", "cr", "naturalisation", "none") and a note for the learner.
    override_level: Mapped[str | None] = mapped_column(String(8))
    override_civic: Mapped[str | None] = mapped_column(String(16))
    override_note: Mapped[str | None] = mapped_column(Text)
    override_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    override_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
