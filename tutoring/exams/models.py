"""Mock exams: the civic exam (40 questions, 45 minutes, 32 to pass) and the French exam."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from tutoring.core.database import UTCDateTime, utcnow
from tutoring.core.extensions import Model


class CivicExam(Model):
    """One sitting of the mock civic exam. The questions are copied in, so that a
    later edit of the bank never changes a past result."""

    __tablename__ = "civic_exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    mention: Mapped[str] = mapped_column(String(8))
    questions: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    answers: Mapped[list[int | None]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[int | None] = mapped_column(Integer)


class LanguageExam(Model):
    """A mock French exam in the TCF IRN format: four timed sections, each a practice
    set (`practice_sets.exam_id`), taken in order, one try each."""

    __tablename__ = "language_exams"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("learner_profiles.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[str] = mapped_column(String(8))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Per skill, whether the section's estimated level reached `target`, stored when
    # the exam finishes (`exams.language.record_language_outcome`, the rule of
    # `language_results`) and again when a tutor marks one of its productions. NULL:
    # not finished, or answers still waiting for a tutor (or older than these columns:
    # `flask indicators language-exams` fills them).
    passed_co: Mapped[bool | None] = mapped_column(Boolean)
    passed_ce: Mapped[bool | None] = mapped_column(Boolean)
    passed_ee: Mapped[bool | None] = mapped_column(Boolean)
    passed_eo: Mapped[bool | None] = mapped_column(Boolean)
    # The speaking part taken live with a tutor during a session (instead of recorded):
    # the learner asks for it, the tutor draws the three prompts
    # (`live_item_version_ids`) when opening it and records the marks, per task, on
    # the review rubric (`live_marks`); the marks then become the section's answers.
    speaking_live: Mapped[bool] = mapped_column(Boolean, default=False)
    live_item_version_ids: Mapped[list[int] | None] = mapped_column(JSON)
    live_marks: Mapped[list[dict[str, int]] | None] = mapped_column(JSON)
    live_tutor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
