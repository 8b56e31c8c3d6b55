"""Learners: enrolment, login cards, data export, erasure and the inactivity purge."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import contains_eager

from tutoring.extensions import db
from tutoring.models import (
    AgeBand,
    FrenchGoal,
    LearnerProfile,
    LoginCard,
    Partner,
    PublicCategory,
    RecoveryCode,
    Role,
    Sex,
    User,
    UserSession,
)
from tutoring.models.base import utcnow
from tutoring.services import audit
from tutoring.services.accounts import AccountError, email_taken, new_username
from tutoring.services.codes import digest, new_card_code, normalise_card_code
from tutoring.services.sessions import revoke_all_sessions

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


def _check_dates(data: LearnerData, today: date) -> None:
    if not 1950 <= data.arrival_year <= today.year:
        raise AccountError("arrival_year_range", "arrival_year")
    if data.cir_signed_on and not date(1990, 1, 1) <= data.cir_signed_on <= today:
        raise AccountError("date_range", "cir_signed_on")
    if not date(2000, 1, 1) <= data.consent_on <= today:
        raise AccountError("date_range", "consent_on")
    if data.target_date and not today <= data.target_date <= date(
        today.year + 15, 12, 31
    ):
        raise AccountError("date_range", "target_date")


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


def issue_login_card(learner: User, referent: User) -> str:
    """Revoke the learner's cards and return the code of a new one (shown once)."""
    revoke_login_cards(learner, referent, reason="reissued")
    code = new_card_code()
    db.session.add(
        LoginCard(user_id=learner.id, code_hash=digest(code), issued_by_id=referent.id)
    )
    audit.record("login_card_issued", referent, learner)
    return code


def revoke_login_cards(learner: User, referent: User, reason: str = "revoked") -> int:
    """Revoke every active card of the learner and end the sessions they opened."""
    result = db.session.execute(
        update(LoginCard)
        .where(LoginCard.user_id == learner.id, LoginCard.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )
    count = int(getattr(result, "rowcount", 0) or 0)
    if count:
        # Whoever found a lost card may be signed in with it: close every session.
        revoke_all_sessions(learner)
        audit.record("login_card_revoked", referent, learner, reason=reason)
    return count


def active_card(learner: User) -> LoginCard | None:
    return db.session.scalar(
        select(LoginCard).where(
            LoginCard.user_id == learner.id, LoginCard.revoked_at.is_(None)
        )
    )


def user_for_card(typed_code: str) -> User | None:
    """Return the learner an active card code belongs to, or None."""
    code = normalise_card_code(typed_code)
    if code is None:
        return None
    card = db.session.scalar(
        select(LoginCard).where(LoginCard.code_hash == digest(code))
    )
    if card is None or card.revoked_at is not None or not card.user.is_active:
        return None
    card.last_used_at = utcnow()
    return card.user


def export_user_data(user: User) -> dict[str, Any]:
    """Return everything the platform holds about this person, for that person."""
    profile = user.learner_profile
    cards = db.session.scalars(
        select(LoginCard).where(LoginCard.user_id == user.id)
    ).all()
    sessions = db.session.scalars(
        select(UserSession)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.id)
    ).all()

    def iso(value: date | datetime | None) -> str | None:
        return value.isoformat() if value else None

    data: dict[str, Any] = {
        "account": {
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "interface_language": user.locale,
            "has_password": user.password_hash is not None,
            "roles": sorted(r.value for r in user.roles),
            "two_factor_enabled": user.has_2fa,
            "created_at": iso(user.created_at),
            "last_seen_at": iso(user.last_seen_at),
        },
        "login_cards": [
            {
                "issued_at": iso(c.issued_at),
                "last_used_at": iso(c.last_used_at),
                "revoked_at": iso(c.revoked_at),
            }
            for c in cards
        ],
        "sign_ins": [
            {
                "started_at": iso(s.created_at),
                "shared_computer": s.shared_device,
                "ended_at": iso(s.revoked_at),
            }
            for s in sessions
        ],
    }
    if user.tutor_profile is not None:
        data["volunteer"] = {
            "status": user.tutor_profile.status.value,
            "charter_version": user.tutor_profile.charter_version,
            "charter_accepted_at": iso(user.tutor_profile.charter_accepted_at),
        }
    if profile is not None:
        data["practice"] = _practice_data(profile)
        data["enrolment"] = {
            "structure": profile.structure.name,
            "referring_partner": profile.partner.name if profile.partner else None,
            "public_category": profile.public_category.value,
            "arrival_year": profile.arrival_year,
            "cir_signed_on": iso(profile.cir_signed_on),
            "sex": profile.sex.value if profile.sex else None,
            "age_band": profile.age_band.value if profile.age_band else None,
            "french_goal": profile.goal.value,
            "languages_spoken": profile.languages,
            "consent_on": iso(profile.consent_on),
            "privacy_notice_version": profile.consent_notice_version,
            "enrolled_at": iso(profile.enrolled_at),
            "erasure_requested_at": iso(profile.erasure_requested_at),
        }
    return data


def _practice_data(profile: LearnerProfile) -> list[dict[str, Any]]:
    from tutoring.models import Attempt, ItemVersion

    rows = db.session.execute(
        select(Attempt, ItemVersion.item_id)
        .join(ItemVersion, Attempt.item_version_id == ItemVersion.id)
        .where(Attempt.learner_id == profile.id)
        .order_by(Attempt.id)
    ).all()
    return [
        {
            "item": item_id,
            "answered_at": attempt.created_at.isoformat(),
            "score": attempt.score,
            "text": attempt.submission.text if attempt.submission else None,
            "recording": bool(attempt.submission and attempt.submission.audio_file),
        }
        for attempt, item_id in rows
    ]


def request_erasure(profile: LearnerProfile, by: User) -> None:
    """Record the learner's wish to be erased; a referent carries it out."""
    if profile.erasure_requested_at is None:
        profile.erasure_requested_at = utcnow()
        audit.record("erasure_requested", by, profile.user)


def erase_learner(profile: LearnerProfile, actor: User | None) -> None:
    """Delete the learner's account and personal fields; keep the anonymous enrolment.

    The enrolment row keeps only categories needed by aggregated indicators and
    its random pseudonym, so that past figures do not change.
    """
    user = profile.user
    if user is None:
        return
    pseudonym = profile.pseudonym
    profile.user_id = None
    profile.languages = []
    profile.cir_signed_on = None
    profile.consent_collected_by_id = None
    profile.enrolled_by_id = None
    profile.erased_at = utcnow()
    db.session.flush()
    _erase_productions(profile)
    for model in (LoginCard, UserSession, RecoveryCode):
        db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.delete(user)
    audit.record("learner_erased", actor, None, profile=pseudonym)


def _erase_productions(profile: LearnerProfile) -> None:
    """Delete written texts and recordings: they are personal, unlike scores."""
    from tutoring.models import Attempt
    from tutoring.services.practice import audio_path

    attempts = db.session.scalars(
        select(Attempt).where(Attempt.learner_id == profile.id)
    ).all()
    for attempt in attempts:
        submission = attempt.submission
        if submission is not None:
            if submission.audio_file:
                audio_path(submission.audio_file).unlink(missing_ok=True)
            db.session.delete(submission)
        if "text" in attempt.response:
            attempt.response = {
                k: v for k, v in attempt.response.items() if k != "text"
            }


def purge_inactive(
    now: datetime | None = None, months: int = 24, notice_days: int = 30
) -> tuple[list[User], int]:
    """Flag learners unused for `months`, erase those flagged `notice_days` ago.

    Return the newly flagged learners (for their referents to be told) and the
    number erased. A sign-in in between clears the flag (see start_session).
    """
    now = now or utcnow()
    cutoff = now - timedelta(days=30 * months)
    learners = db.session.scalars(
        select(User)
        .join(LearnerProfile, LearnerProfile.user_id == User.id)
        .where(User.erased_at.is_(None))
    ).all()
    flagged: list[User] = []
    erased = 0
    for user in learners:
        last = user.last_seen_at or user.created_at
        if last > cutoff:
            user.inactivity_notice_at = None
            continue
        if user.inactivity_notice_at is None:
            user.inactivity_notice_at = now
            flagged.append(user)
        elif now - user.inactivity_notice_at >= timedelta(days=notice_days):
            assert user.learner_profile is not None
            erase_learner(user.learner_profile, None)
            erased += 1
    return flagged, erased
