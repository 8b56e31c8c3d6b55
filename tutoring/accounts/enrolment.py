"""Learners' enrolment by a referent: the minimal data asked, checked and saved; the
learners of a referent's structure."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from tutoring.accounts import audit
from tutoring.accounts.models import Partner, Role, User
from tutoring.accounts.profiles import (
    AgeBand,
    FrenchGoal,
    LearnerProfile,
    PublicCategory,
    Sex,
)
from tutoring.accounts.users import AccountError, email_taken, new_username
from tutoring.core.extensions import db

PRIVACY_NOTICE_VERSION = "2026-11"


@dataclass
class LearnerData:
    """What a referent records at enrolment (see the enrolment form for the why)."""

    first_name: str
    public_category: PublicCategory
    arrival_year: int
    goal: FrenchGoal
    locale: str
    consent_on: date
    last_name: str | None = None
    phone: str | None = None
    email: str | None = None
    languages: list[str] = field(default_factory=list)
    cir_signed_on: date | None = None
    target_date: date | None = None
    partner_id: int | None = None
    sex: Sex | None = None
    age_band: AgeBand | None = None


def _check_partner(referent: User, partner_id: int | None) -> None:
    if partner_id is None:
        return
    partner = db.session.get(Partner, partner_id)
    if partner is None or partner.structure_id != referent.structure_id:
        raise AccountError("unknown_partner", "partner_id")


def date_problems(
    today: date,
    arrival_year: int | None = None,
    cir_signed_on: date | None = None,
    consent_on: date | None = None,
    target_date: date | None = None,
) -> dict[str, str]:
    """Every implausible date of an enrolment, as {field: reason}, so that a form
    shows them all at once (a missing value is the form's own business)."""
    problems = {}
    if arrival_year is not None and not 1950 <= arrival_year <= today.year:
        problems["arrival_year"] = "arrival_year_range"
    if cir_signed_on and not date(1990, 1, 1) <= cir_signed_on <= today:
        problems["cir_signed_on"] = "date_range"
    if consent_on and not date(2000, 1, 1) <= consent_on <= today:
        problems["consent_on"] = "date_range"
    if target_date and not today <= target_date <= date(today.year + 15, 12, 31):
        problems["target_date"] = "date_range"
    return problems


def _check_dates(data: LearnerData, today: date) -> None:
    problems = date_problems(
        today, data.arrival_year, data.cir_signed_on, data.consent_on, data.target_date
    )
    for field_name, reason in problems.items():
        raise AccountError(reason, field_name)


def enrol_learner(referent: User, data: LearnerData, today: date | None = None) -> User:
    """Create a learner's account and enrolment in the referent's structure."""
    if referent.structure_id is None:
        raise AccountError("structure_required")
    _check_dates(data, today or date.today())
    _check_partner(referent, data.partner_id)
    if data.email and email_taken(data.email):
        raise AccountError("email_taken", "email")
    user = User(
        username=new_username(data.first_name),
        structure_id=referent.structure_id,
    )
    _apply_personal(user, data)
    user.add_role(Role.LEARNER)
    db.session.add(user)
    db.session.flush()
    profile = LearnerProfile(
        pseudonym=secrets.token_hex(8),
        user_id=user.id,
        structure_id=referent.structure_id,
        enrolled_by_id=referent.id,
        consent_collected_by_id=referent.id,
        consent_notice_version=PRIVACY_NOTICE_VERSION,
    )
    _apply_profile(profile, data)
    db.session.add(profile)
    db.session.flush()
    audit.record("account_created", referent, user, role=Role.LEARNER.value)
    return user


def update_learner(
    referent: User,
    profile: LearnerProfile,
    data: LearnerData,
    today: date | None = None,
) -> None:
    """Correct a learner's enrolment data."""
    user = profile.user
    assert user is not None
    _check_dates(data, today or date.today())
    _check_partner(referent, data.partner_id)
    if (
        data.email
        and (data.email.lower() != (user.email or ""))
        and email_taken(data.email)
    ):
        raise AccountError("email_taken", "email")
    _apply_personal(user, data)
    _apply_profile(profile, data)


def _apply_personal(user: User, data: LearnerData) -> None:
    user.first_name = data.first_name.strip()
    user.last_name = (data.last_name or "").strip() or None
    user.phone = (data.phone or "").strip() or None
    user.email = (data.email or "").strip().lower() or None
    user.locale = data.locale


def _apply_profile(profile: LearnerProfile, data: LearnerData) -> None:
    profile.public_category = data.public_category
    profile.arrival_year = data.arrival_year
    profile.cir_signed_on = data.cir_signed_on
    profile.partner_id = data.partner_id
    profile.sex = data.sex
    profile.age_band = data.age_band
    profile.goal = data.goal
    profile.languages = list(data.languages)
    profile.consent_on = data.consent_on
    profile.target_date = data.target_date


def learners_of(referent: User) -> list[LearnerProfile]:
    """Return the current learners of the referent's structure, by first name."""
    return list(
        db.session.scalars(
            select(LearnerProfile)
            .join(User, LearnerProfile.user_id == User.id)
            .options(contains_eager(LearnerProfile.user))
            .where(LearnerProfile.structure_id == referent.structure_id)
            .order_by(User.first_name, User.id)
        )
    )


def learner_for(referent: User, profile_id: int) -> LearnerProfile | None:
    """Return a learner's enrolment if the referent's structure holds it."""
    profile = db.session.get(LearnerProfile, profile_id)
    if (
        profile is None
        or profile.user is None
        or profile.structure_id != referent.structure_id
    ):
        return None
    return profile
