"""The learner's erasure reaches their sessions: the texts written about them or by
them go, the anonymous facts (date, length, attendance, skills) stay for the
indicators."""

from __future__ import annotations

from sqlalchemy import delete, or_, select, update

from tutoring.accounts.outbox import OutboxMessage
from tutoring.accounts.profiles import LearnerProfile
from tutoring.accounts.signals import erasing_learner
from tutoring.core.extensions import db
from tutoring.sessions.models import TutoringSession


@erasing_learner.connect
def erase_session_texts(profile: LearnerProfile) -> None:
    """Empty the notes, reasons, change requests and video links of the learner's
    sessions, and delete the messages that told the tutor about them (they quote
    the learner's name and words)."""
    rows = db.session.execute(
        select(TutoringSession.id, TutoringSession.slot).where(
            TutoringSession.learner_id == profile.id
        )
    ).all()
    if not rows:
        return
    db.session.execute(
        update(TutoringSession)
        .where(TutoringSession.learner_id == profile.id)
        .values(
            note_for_learner=None,
            note_for_referent=None,
            cancel_reason=None,
            change_request=None,
            change_reason=None,
            video_url=None,
        )
        .execution_options(synchronize_session="fetch")
    )
    # keys of sessions.booking_input: change:<session>:…, cancelled:<slot>:<session>:…
    for session_id, slot in rows:
        db.session.execute(
            delete(OutboxMessage)
            .where(
                or_(
                    OutboxMessage.key.startswith(
                        f"change:{session_id}:", autoescape=True
                    ),
                    OutboxMessage.key.startswith(
                        f"cancelled:{slot}:{session_id}:", autoescape=True
                    ),
                )
            )
            .execution_options(synchronize_session=False)
        )
