"""Personal-data rights: export of a person's data, erasure of a learner (higher features
add and erase their part through `accounts.signals`), the inactivity purge."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, select

from tutoring.accounts import audit
from tutoring.accounts.models import (
    HandoffToken,
    LoginCard,
    PictureSignin,
    RecoveryCode,
    User,
    UserSession,
)
from tutoring.accounts.profiles import LearnerProfile
from tutoring.accounts.signals import collect_user_data, erasing_learner
from tutoring.core.database import utcnow
from tutoring.core.extensions import db


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
        "picture_sign_ins": [
            {
                "picture": p.picture,
                "issued_at": iso(p.issued_at),
                "last_used_at": iso(p.last_used_at),
                "revoked_at": iso(p.revoked_at),
            }
            for p in db.session.scalars(
                select(PictureSignin).where(PictureSignin.user_id == user.id)
            )
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
        for _receiver, sections in collect_user_data.send(profile):
            data.update(sections)
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
    erasing_learner.send(profile)
    for model in (LoginCard, PictureSignin, UserSession, RecoveryCode, HandoffToken):
        db.session.execute(delete(model).where(model.user_id == user.id))
    db.session.delete(user)
    audit.record("learner_erased", actor, None, profile=pseudonym)





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
