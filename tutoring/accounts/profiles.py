"""What the association needs to know about a learner or a tutor, and no more."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tutoring.accounts.models import Partner, Structure, User
from tutoring.core.database import UTCDateTime, enum_column, utcnow
from tutoring.core.extensions import Model


class PublicCategory(enum.StrEnum):
    BPI = "bpi"
    BPT = "bpt"
    CIR = "cir"
    LEGION_FAMILY = "legion_family"
    OTHER = "other"


class FrenchGoal(enum.StrEnum):
    A2 = "a2"
    B1 = "b1"
    B2 = "b2"
    UNDECIDED = "undecided"


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class AgeBand(enum.StrEnum):
    UNDER_18 = "under_18"
    AGE_18_25 = "18_25"
    AGE_26_35 = "26_35"
    AGE_36_45 = "36_45"
    AGE_46_55 = "46_55"
    AGE_56_65 = "56_65"
    OVER_65 = "over_65"


class TutorStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class LearnerProfile(Model):
    """A learner's enrolment. Survives erasure without any personal field, so that
    past indicators do not change (the pseudonym links anonymous activity)."""

    __tablename__ = "learner_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    structure_id: Mapped[int] = mapped_column(ForeignKey("structures.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(
        ForeignKey("partners.id", ondelete="SET NULL")
    )
    public_category: Mapped[PublicCategory] = mapped_column(
        enum_column(PublicCategory, "public_category")
    )
    arrival_year: Mapped[int] = mapped_column(Integer)
    cir_signed_on: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex, "sex"))
    age_band: Mapped[AgeBand | None] = mapped_column(enum_column(AgeBand, "age_band"))
    goal: Mapped[FrenchGoal] = mapped_column(enum_column(FrenchGoal, "french_goal"))
    # The level a learner practises at, chosen by them or their referent (the
    # learner model of the progress issue will estimate it).
    practice_level: Mapped[str | None] = mapped_column(String(8))
    # The date the learner needs their level by (e.g. the residence permit's renewal).
    target_date: Mapped[date | None] = mapped_column(Date)
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Tutoring needs, filled in with the learner: reachable places, video, and
    # whether they would rather have a tutor of their own sex (never shown to tutors).
    place_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    video_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    same_sex_tutor: Mapped[bool] = mapped_column(Boolean, default=False)
    reads_latin: Mapped[bool] = mapped_column(Boolean, default=True)
    # Cannot type on a keyboard yet (set by the referent): practice serves only
    # pictures, choices and recordings.
    cannot_type: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_on: Mapped[date | None] = mapped_column(Date)
    consent_notice_version: Mapped[str | None] = mapped_column(String(16))
    consent_collected_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    enrolled_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    erasure_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When a volunteer first accepted to accompany them (waiting list indicators);
    # kept by a listener on pairings (`tutoring.indicators.listeners`), never edited.
    first_paired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User | None] = relationship(
        back_populates="learner_profile", foreign_keys=[user_id]
    )
    structure: Mapped[Structure] = relationship()
    partner: Mapped[Partner | None] = relationship()
    consent_collected_by: Mapped[User | None] = relationship(
        foreign_keys=[consent_collected_by_id]
    )


class TutorProfile(Model):
    """A volunteer's charter acceptance and approval by a referent."""

    __tablename__ = "tutor_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[TutorStatus] = mapped_column(
        enum_column(TutorStatus, "tutor_status"), default=TutorStatus.PENDING
    )
    charter_version: Mapped[str] = mapped_column(String(16))
    charter_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    structure_id: Mapped[int | None] = mapped_column(
        ForeignKey("structures.id"), index=True
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_learners: Mapped[int] = mapped_column(Integer, default=2)
    bio: Mapped[str | None] = mapped_column(String(500))
    place_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    video_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: any
    non_readers: Mapped[bool] = mapped_column(Boolean, default=False)
    workshops: Mapped[bool] = mapped_column(Boolean, default=False)
    # Optional; only used for learners who ask for a tutor of their own sex.
    sex: Mapped[Sex | None] = mapped_column(enum_column(Sex, "sex"))
    away_from: Mapped[date | None] = mapped_column(Date)
    away_until: Mapped[date | None] = mapped_column(Date)

    user: Mapped[User] = relationship(
        back_populates="tutor_profile", foreign_keys=[user_id]
    )
    structure: Mapped[Structure | None] = relationship()
