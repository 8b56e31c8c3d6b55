"""The learner's dashboard: the learning board plus mock exams and tutoring time; what
the home page shows a learner and a referent, and a learner's file."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    select,
)
from sqlalchemy.orm import load_only

from tutoring.accounts.cards import active_card
from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile, TutorProfile, TutorStatus
from tutoring.core.database import LearnerKey, built_once
from tutoring.core.extensions import db
from tutoring.exams.models import CivicExam, LanguageExam
from tutoring.indicators.outcomes import outcomes_with_validity
from tutoring.learning.practice import (
    homework_question,
    open_homework,
    placement_question,
)
from tutoring.learning.progress import (
    external_levels,
    recent_attempts,
    weakest_skills,
)
from tutoring.learning.state import skill_board
from tutoring.learning.track import track_progress, track_questions, track_to_do
from tutoring.pairing.availability import places_of
from tutoring.pairing.fit import suggestions
from tutoring.pairing.pairings import open_pairing
from tutoring.reviews.marking import reviews_for_learner
from tutoring.sessions.agenda import (
    minutes_question,
    next_session_of,
    sessions_of_learner,
    tutoring_minutes,
)


def dashboard(
    profile: LearnerProfile,
    minutes: int | None = None,
    *,
    civic_done: bool = True,
    french_done: bool = True,
) -> dict[str, Any]:
    """Everything the learner's and referent's progress views show (`minutes`: the
    tutoring minutes, when the caller has already asked for them; `civic_done`,
    `french_done` False: the caller knows the learner has finished no such mock
    exam, the list is not read)."""
    civic: list[CivicExam] = []
    french: list[LanguageExam] = []
    if civic_done:
        civic = list(db.session.scalars(_civic_list(), {"learner_id": profile.id}))
    if french_done:
        french = list(db.session.scalars(_french_list(), {"learner_id": profile.id}))
    return {
        **skill_board(profile),
        "civic_exams": civic,
        "french_exams": french,
        "tutoring_minutes": tutoring_minutes(profile) if minutes is None else minutes,
    }


def learner_home(profile: LearnerProfile) -> dict[str, Any]:
    """A learner's home page: homework, progress, marked productions, next session.
    Its yes/no questions and the tutoring minutes are asked in one query, and a list
    the answers say is empty is not read (most learners have no mock exam, no
    homework on most visits)."""
    facts = db.session.execute(_home_facts(), {"learner_id": profile.id}).one()
    exam, track_touched, track_available, placement, minutes = facts[:5]
    homework, civic_done, french_done = facts[5:]
    return {
        "suggest_track": not exam
        and track_to_do(
            profile, touched=bool(track_touched), available=bool(track_available)
        ),
        "homework": open_homework(profile) if homework else [],
        "board": dashboard(
            profile,
            minutes=int(minutes or 0),
            civic_done=bool(civic_done),
            french_done=bool(french_done),
        ),
        "placement_done": bool(placement),
        "reviews": reviews_for_learner(profile, limit=3),
        "next_session": next_session_of(profile),
    }


@built_once
def _home_facts() -> Select[*tuple[Any, ...]]:
    learner: BindParameter[int] = bindparam("learner_id")
    touched, available = track_questions(learner)
    return select(
        exam_started(learner), touched, available, placement_question(learner),
        minutes_question(learner), homework_question(learner),
        exists().where(civic_exams_done(learner)),
        exists().where(french_exams_done(learner)),
    )  # fmt: skip


@built_once
def _civic_list() -> Select[CivicExam]:
    # The list shows a date and a score: an exam's questions and answers (some
    # 25 kB of JSON each) stay in the database.
    return (
        select(CivicExam)
        .options(load_only(CivicExam.score, CivicExam.submitted_at, CivicExam.mention))
        .where(civic_exams_done(bindparam("learner_id")))
        .order_by(CivicExam.id.desc())
        .limit(5)
    )


@built_once
def _french_list() -> Select[LanguageExam]:
    return (
        select(LanguageExam)
        .where(french_exams_done(bindparam("learner_id")))
        .order_by(LanguageExam.id.desc())
        .limit(3)
    )


def civic_exams_done(learner: LearnerKey) -> ColumnElement[bool]:
    return and_(CivicExam.learner_id == learner, CivicExam.submitted_at.is_not(None))


def french_exams_done(learner: LearnerKey) -> ColumnElement[bool]:
    return and_(
        LanguageExam.learner_id == learner, LanguageExam.finished_at.is_not(None)
    )


def exam_started(learner: LearnerKey) -> ColumnElement[bool]:
    """Whether the learner started a mock exam (French or civic), as SQL. The
    « Numérique » track comes before the first mock exam: the home page suggests it
    while the learner has started none and has not finished the track (whose
    progress is read only for a learner who has touched it)."""
    return exists().where(LanguageExam.learner_id == learner) | exists().where(
        CivicExam.learner_id == learner
    )


def referent_home(structure_id: int | None) -> dict[str, Any]:
    """A referent's home page: volunteers waiting for approval, and the structure's
    learners who asked for erasure or were told their account is inactive."""
    return {
        "pending_tutors": db.session.scalar(
            select(db.func.count())
            .select_from(TutorProfile)
            .where(TutorProfile.status == TutorStatus.PENDING)
        ),
        "erasure_requests": db.session.scalars(
            select(LearnerProfile).where(
                LearnerProfile.structure_id == structure_id,
                LearnerProfile.erasure_requested_at.is_not(None),
                LearnerProfile.user_id.is_not(None),
            )
        ).all(),
        "inactive_learners": db.session.scalars(
            select(LearnerProfile)
            .join(User, LearnerProfile.user_id == User.id)
            .where(
                LearnerProfile.structure_id == structure_id,
                User.inactivity_notice_at.is_not(None),
            )
        ).all(),
    }


def learner_file(profile: LearnerProfile) -> dict[str, Any]:
    """A learner's file for their referent: progress, levels and results, card,
    pairing and suggested tutors, sessions and the structure's places."""
    assert profile.user is not None
    board = dashboard(profile)
    return {
        "board": board,
        "weak_skills": weakest_skills(board),
        "recent": recent_attempts(profile),
        "external": external_levels(profile),
        "track": track_progress(profile),
        "outcomes": outcomes_with_validity(profile),
        "card": active_card(profile.user),
        "pairing": open_pairing(profile),
        "suggestions": suggestions(profile)[:5],
        "sessions": sessions_of_learner(profile)[:10],
        "places": places_of(profile.structure_id),
    }
