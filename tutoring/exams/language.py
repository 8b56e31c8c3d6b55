"""Mock French exams in four skills: timed sections drawn from the bank, results per
skill against the target level, outcome recorded when a section or a mark lands."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import or_, select

from exercises.estimate import estimate, level_of, reaches
from exercises.mock import SECTIONS, draw_section
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.bank import active_versions, item_of
from tutoring.core.database import utcnow
from tutoring.core.extensions import db
from tutoring.exams.civic import ExamError
from tutoring.exams.models import LanguageExam
from tutoring.learning.models import PracticeSet, SetMode
from tutoring.learning.practice import close_if_expired, recent_item_ids, set_attempts
from tutoring.learning.progress import difficulty_of, target_level
from tutoring.learning.signals import set_finished


def start_language_exam(profile: LearnerProfile) -> LanguageExam:
    """Open a mock French exam; its four sections start one after the other."""
    exam = LanguageExam(learner_id=profile.id, target=target_level(profile))
    db.session.add(exam)
    db.session.flush()
    return exam


def section_sets(exam: LanguageExam) -> list[PracticeSet | None]:
    """The practice set of each section, in order (None: not started)."""
    rows = db.session.scalars(
        select(PracticeSet)
        .where(PracticeSet.exam_id == exam.id)
        .order_by(PracticeSet.id)
    ).all()
    result: list[PracticeSet | None] = [*rows[: len(SECTIONS)]]
    return result + [None] * (len(SECTIONS) - len(result))


def finish_if_complete(exam: LanguageExam) -> None:
    sets = section_sets(exam)
    if exam.finished_at is None and all(s is not None and s.finished_at for s in sets):
        exam.finished_at = max(s.finished_at for s in sets if s and s.finished_at)
        record_language_outcome(exam)


PASSED_COLUMNS = {
    section.skill: f"passed_{section.skill.lower()}" for section in SECTIONS
}


def record_language_outcome(exam: LanguageExam) -> None:
    """Store, per skill, whether a finished exam reached its target level (None while
    answers of that section wait for a tutor), as `language_results` shows it."""
    if exam.finished_at is None:
        return
    for result in language_results(exam):
        setattr(exam, PASSED_COLUMNS[str(result["skill"])], result["passed"])


def record_outcome_after_review(practice_set_id: int | None) -> None:
    """A tutor marked an answer: update the outcome of its mock exam, if finished."""
    practice = db.session.get(PracticeSet, practice_set_id) if practice_set_id else None
    if practice is None or practice.exam_id is None:
        return
    exam = db.session.get(LanguageExam, practice.exam_id)
    if exam is not None:
        record_language_outcome(exam)


def backfill_language_outcomes(everything: bool = False, batch: int = 200) -> int:
    """Record the outcome of finished exams that have none yet (all with
    `everything`); return how many exams were examined."""
    query = select(LanguageExam.id).where(LanguageExam.finished_at.is_not(None))
    if not everything:
        query = query.where(
            or_(*(getattr(LanguageExam, c).is_(None) for c in PASSED_COLUMNS.values()))
        )
    ids = list(db.session.scalars(query.order_by(LanguageExam.id)))
    for start in range(0, len(ids), batch):
        for exam in db.session.scalars(
            select(LanguageExam).where(LanguageExam.id.in_(ids[start : start + batch]))
        ):
            record_language_outcome(exam)
        db.session.flush()
    return len(ids)


def start_section(
    profile: LearnerProfile, exam: LanguageExam, rng: random.Random | None = None
) -> PracticeSet:
    """Start the next section: its items drawn, its clock running."""
    sets = section_sets(exam)
    for practice in sets:
        if practice is not None and practice.finished_at is None:
            close_if_expired(practice)
            if practice.finished_at is None:
                return practice  # the current section goes on
    index = next((n for n, s in enumerate(sets) if s is None), None)
    if index is None:
        raise ExamError("finished")
    section = SECTIONS[index]
    versions = {v.item_id: v for v in active_versions()}
    items = draw_section(
        [item_of(v) for v in versions.values()],
        section,
        rng or random.Random(),  # noqa: S311 - drawing items, not security  # nosec B311
        recent_item_ids(profile),
    )
    if not items:
        raise ExamError("bank")
    practice = PracticeSet(
        learner_id=profile.id,
        mode=SetMode.MOCK,
        level=exam.target,
        exam_id=exam.id,
        item_version_ids=[versions[i.id].id for i in items],
        deadline=utcnow() + timedelta(minutes=section.minutes),
    )
    db.session.add(practice)
    db.session.flush()
    return practice


def language_results(exam: LanguageExam) -> list[dict[str, object]]:
    """Per section: right answers, the level they suggest, answers awaiting a tutor, and
    whether the target level is reached (None while answers await a tutor).

    A section is passed when its estimated ability reaches the lower bound of the
    exam's target level (`reaches`, the rule of the learner's progress bars); a
    section with no answer keeps the starting ability, below A2, so it is not passed.
    """
    results = []
    for section, practice in zip(SECTIONS, section_sets(exam), strict=True):
        attempts = set_attempts(practice) if practice is not None else []
        marked = [a for a in attempts if a.score is not None]
        answers = [(difficulty_of(a.item_version), a.score or 0.0) for a in marked]
        est = estimate(answers)
        results.append(
            {
                "skill": section.skill,
                "right": round(sum(a.score or 0 for a in marked), 1),
                "total": len(practice.item_version_ids) if practice else 0,
                "answered": len(attempts),
                "pending": len(attempts) - len(marked),
                "level": level_of(est.value) if marked else None,
                "passed": None
                if len(attempts) > len(marked)
                else reaches(est.value, exam.target),
            }
        )
    return results


def language_exams_of(profile: LearnerProfile) -> list[LanguageExam]:
    return list(
        db.session.scalars(
            select(LanguageExam)
            .where(LanguageExam.learner_id == profile.id)
            .order_by(LanguageExam.id.desc())
        )
    )


@set_finished.connect
def _close_exam_when_sections_done(practice: PracticeSet) -> None:
    """A finished section may finish its mock exam (and record the outcome)."""
    if practice.exam_id is None:
        return
    exam = db.session.get(LanguageExam, practice.exam_id)
    if exam is not None:
        finish_if_complete(exam)
