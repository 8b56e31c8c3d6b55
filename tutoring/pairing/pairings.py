"""Pairings of a learner with a volunteer: propose, answer, end; who waits, who tutors whom."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from tutoring.accounts import audit, outbox
from tutoring.accounts.enrolment import learner_for
from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile, TutorProfile, TutorStatus
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.core.messages import deferred_gettext
from tutoring.core.urls import ID_MAX
from tutoring.pairing.models import Pairing, PairingStatus

OPEN = (PairingStatus.PROPOSED, PairingStatus.ACTIVE)


class TutoringError(ValueError):
    """A refused tutoring action; `dates` names the clashing times of a booking."""

    def __init__(self, code: str, dates: list[Any] | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.dates = dates or []


def open_pairing(profile: LearnerProfile) -> Pairing | None:
    return db.session.scalar(
        select(Pairing).where(
            Pairing.learner_id == profile.id, Pairing.status.in_(OPEN)
        )
    )


def load_of(tutor: User) -> int:
    return len(
        db.session.scalars(
            select(Pairing.id).where(
                Pairing.tutor_id == tutor.id, Pairing.status.in_(OPEN)
            )
        ).all()
    )


def _tutors(structure_id: int | None) -> Select[User]:
    return (
        select(User)
        .join(TutorProfile, TutorProfile.user_id == User.id)
        .where(
            TutorProfile.status == TutorStatus.APPROVED,
            TutorProfile.approved_at.is_not(None),
            TutorProfile.structure_id == structure_id,
            User.active,
            User.erased_at.is_(None),
        )
    )


def tutors_of(structure_id: int | None) -> list[User]:
    """Approved, active volunteers of a structure."""
    return list(db.session.scalars(_tutors(structure_id).order_by(User.first_name)))


def tutor_of(structure_id: int | None, tutor_id: int) -> User | None:
    """The approved, active volunteer of this structure with this id, else None
    (another structure's volunteer, one awaiting approval, or not a volunteer)."""
    if not 0 < tutor_id <= ID_MAX:  # beyond the database's integers: nobody
        return None
    return db.session.scalar(_tutors(structure_id).where(User.id == tutor_id))


def waiting_learners(structure_id: int | None) -> list[LearnerProfile]:
    """Learners with no open pairing: the level's deadline first, then waiting time."""
    paired = select(Pairing.learner_id).where(Pairing.status.in_(OPEN))
    rows = db.session.scalars(
        select(LearnerProfile).where(
            LearnerProfile.structure_id == structure_id,
            LearnerProfile.user_id.is_not(None),
            LearnerProfile.id.not_in(paired),
        )
    ).all()
    return sorted(
        rows,
        key=lambda p: (
            p.target_date is None,
            p.target_date or p.enrolled_at.date(),
            p.enrolled_at,
        ),
    )


def propose(referent: User, profile: LearnerProfile, tutor: User) -> Pairing:
    """Propose a tutor to a learner; the tutor accepts or declines."""
    if open_pairing(profile) is not None:
        raise TutoringError("already_paired")
    # By id, in the database: never `tutor in tutors_of(...)` on loaded objects.
    if tutor_of(profile.structure_id, tutor.id) is None or tutor.tutor_profile is None:
        raise TutoringError("not_a_tutor")
    if load_of(tutor) >= tutor.tutor_profile.max_learners:
        raise TutoringError("full")
    pairing = Pairing(
        learner_id=profile.id, tutor_id=tutor.id, proposed_by_id=referent.id
    )
    db.session.add(pairing)
    db.session.flush()
    audit.record(
        "pairing_proposed", referent, tutor, pairing=str(pairing.id),
        learner=str(profile.id),
    )  # fmt: skip
    outbox.queue(
        tutor, f"pairing:{pairing.id}:proposed",
        lambda: (
            deferred_gettext("Nouvelle proposition de jumelage"),
            deferred_gettext("L’association vous propose d’accompagner une personne : répondez "
              "dans votre espace bénévole."),
        ),
    )  # fmt: skip
    return pairing


def propose_all(referent: User, pairs: list[tuple[int, int]]) -> int:
    """Propose each (learner, tutor) of a computed distribution; a pair no longer
    possible is skipped. Returns how many were proposed. Raises LookupError when a
    learner is not the referent's or the tutor is not an approved volunteer of the
    referent's structure."""
    made = 0
    for learner_id, tutor_id in pairs:
        profile = learner_for(referent, learner_id)
        tutor = tutor_of(referent.structure_id, tutor_id)
        if profile is None or tutor is None:
            raise LookupError(learner_id, tutor_id)
        try:
            propose(referent, profile, tutor)
        except TutoringError:
            continue
        made += 1
    return made


def respond(tutor: User, pairing: Pairing, *, accept: bool, reason: str = "") -> None:
    if pairing.tutor_id != tutor.id or pairing.status != PairingStatus.PROPOSED:
        raise TutoringError("not_pending")
    pairing.status = PairingStatus.ACTIVE if accept else PairingStatus.DECLINED
    pairing.responded_at = utcnow()
    audit.record(
        "pairing_accepted" if accept else "pairing_declined", tutor, tutor,
        pairing=str(pairing.id), learner=str(pairing.learner_id),
    )  # fmt: skip
    if not accept:
        pairing.reason = reason.strip()[:300] or None
        return
    learner = pairing.learner.user
    if learner is not None:
        name = tutor.first_name or tutor.username
        outbox.queue(
            learner, f"pairing:{pairing.id}:active",
            lambda: (
                deferred_gettext("Vous avez un tuteur"),
                deferred_gettext("%(name)s, bénévole de l’association, va vous accompagner en "
                  "français. Vos séances apparaîtront dans « Mes séances ».",
                  name=name),
            ),
        )  # fmt: skip


def end(pairing: Pairing, reason: str, by: User | None = None) -> None:
    if pairing.status not in OPEN:
        raise TutoringError("not_open")
    audit.record(
        "pairing_ended", by, pairing.tutor, pairing=str(pairing.id),
        learner=str(pairing.learner_id),
    )  # fmt: skip
    was_active = pairing.status == PairingStatus.ACTIVE
    pairing.status = PairingStatus.ENDED
    pairing.ended_at = utcnow()
    pairing.reason = reason.strip()[:300] or None
    learner = pairing.learner.user
    if was_active and learner is not None:
        outbox.queue(
            learner, f"pairing:{pairing.id}:ended",
            lambda: (
                deferred_gettext("Fin de l’accompagnement"),
                deferred_gettext("Votre accompagnement avec votre tuteur s’arrête. L’association "
                  "vous proposera un autre bénévole si vous le souhaitez."),
            ),
        )  # fmt: skip
    outbox.queue(
        pairing.tutor, f"pairing:{pairing.id}:ended",
        lambda: (
            deferred_gettext("Fin d’un jumelage"),
            deferred_gettext("L’association a mis fin à un de vos jumelages. Merci pour votre "
              "engagement."),
        ),
    )  # fmt: skip


def tutor_learner_ids(tutor: User) -> set[int]:
    return set(
        db.session.scalars(
            select(Pairing.learner_id).where(
                Pairing.tutor_id == tutor.id, Pairing.status == PairingStatus.ACTIVE
            )
        )
    )


def open_pairings_of(tutor: User) -> list[Pairing]:
    """The volunteer's proposed and active pairings, oldest first."""
    return list(
        db.session.scalars(
            select(Pairing)
            .where(Pairing.tutor_id == tutor.id, Pairing.status.in_(OPEN))
            .order_by(Pairing.created_at)
        )
    )


def open_pairings_in(structure_id: int | None) -> list[Pairing]:
    """The structure's proposed pairings (waiting for the volunteer), then the
    active ones, of learners with an account, oldest first."""
    return list(
        db.session.scalars(
            select(Pairing)
            .join(LearnerProfile, LearnerProfile.id == Pairing.learner_id)
            .where(
                LearnerProfile.structure_id == structure_id,
                LearnerProfile.user_id.is_not(None),
                Pairing.status.in_(OPEN),
            )
            .order_by(Pairing.status != PairingStatus.PROPOSED, Pairing.created_at)
        )
    )


def active_pairings(tutor: User) -> dict[int, Pairing]:
    """The tutor's active pairings, by learner profile id."""
    return {
        p.learner_id: p
        for p in db.session.scalars(
            select(Pairing).where(
                Pairing.tutor_id == tutor.id, Pairing.status == PairingStatus.ACTIVE
            )
        )
    }


def active_pairing(tutor: User, profile_id: int) -> Pairing | None:
    """The active pairing of this volunteer with this learner, if any."""
    return db.session.scalar(
        select(Pairing).where(
            Pairing.tutor_id == tutor.id,
            Pairing.learner_id == profile_id,
            Pairing.status == PairingStatus.ACTIVE,
        )
    )
