"""The learner's erasure reaches their attestations: they are deleted, so that their
public check page (/attestation/<code>) says the attestation does not exist instead
of showing the learner's name and structure."""

from __future__ import annotations

from sqlalchemy import delete

from tutoring.accounts.profiles import LearnerProfile
from tutoring.accounts.signals import erasing_learner
from tutoring.core.extensions import db
from tutoring.home.models import Attestation, ParcoursAnswers


@erasing_learner.connect
def erase_attestations(profile: LearnerProfile) -> None:
    db.session.execute(
        delete(Attestation)
        .where(Attestation.learner_id == profile.id)
        .execution_options(synchronize_session="fetch")
    )


@erasing_learner.connect
def erase_parcours(profile: LearnerProfile) -> None:
    """The « Mon parcours » answers (protection, age) go with the learner."""
    db.session.execute(
        delete(ParcoursAnswers)
        .where(ParcoursAnswers.learner_id == profile.id)
        .execution_options(synchronize_session="fetch")
    )
