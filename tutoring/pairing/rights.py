"""The learner's erasure reaches their pairings: the reasons written when a tutor
declined or a referent ended one go; the dates and statuses stay (indicators)."""

from __future__ import annotations

from sqlalchemy import update

from tutoring.accounts.profiles import LearnerProfile
from tutoring.accounts.signals import erasing_learner
from tutoring.core.extensions import db
from tutoring.pairing.models import Pairing


@erasing_learner.connect
def erase_pairing_reasons(profile: LearnerProfile) -> None:
    db.session.execute(
        update(Pairing)
        .where(Pairing.learner_id == profile.id)
        .values(reason=None)
        .execution_options(synchronize_session="fetch")
    )
