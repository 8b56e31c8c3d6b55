"""Mock civic exams: draw, save answers page by page, submit, mark."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import or_, select

from exercises.civic import (
    DURATION_MINUTES,
    MENTIONS,
    PASS_MARK,
    CivicQuestion,
    build_exam,
    load_civic,
)
from exercises.mock import SECTIONS
from tutoring.extensions import db
from tutoring.models import (
    CivicExam,
    FrenchGoal,
    LanguageExam,
    LearnerProfile,
    PracticeSet,
    SetMode,
)
from tutoring.models.base import utcnow

PAGE_SIZE = 5
MENTION_FOR_GOAL = {FrenchGoal.A2: "csp", FrenchGoal.B1: "cr", FrenchGoal.B2: "nat"}


class ExamError(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@cache
def civic_bank() -> tuple[CivicQuestion, ...]:
    questions, _problems = load_civic()
    return tuple(questions)


def default_mention(profile: LearnerProfile) -> str:
    return MENTION_FOR_GOAL.get(profile.goal, "csp")


def start_civic_exam(
    profile: LearnerProfile, mention: str, rng: random.Random | None = None
) -> CivicExam:
    """Draw a new exam following the official blueprint, avoiding questions seen."""
    if mention not in MENTIONS:
        raise ExamError("mention")
    seen = {
        q["id"]
        for exam in db.session.scalars(
            select(CivicExam).where(CivicExam.learner_id == profile.id)
        )
        for q in exam.questions
    }
    rng = rng or random.Random()  # noqa: S311 - drawing questions, not security  # nosec B311
    try:
        drawn = build_exam(list(civic_bank()), mention, rng, frozenset(seen))
    except ValueError as exc:
        raise ExamError("bank") from exc
    questions = []
    for q in drawn:
        order = list(range(4))
        rng.shuffle(order)
        questions.append(
            {
                "id": q.id, "version": q.version, "theme": q.theme, "kind": q.kind,
                "question": q.question, "choices": [q.choices[i] for i in order],
                "answer": order.index(q.choices.index(q.answer)),
                "explanation": q.explanation,
            }
        )  # fmt: skip
    exam = CivicExam(
        learner_id=profile.id, mention=mention, questions=questions,
        answers=[None] * len(questions),
    )  # fmt: skip
    db.session.add(exam)
    db.session.flush()
    return exam


def deadline(exam: CivicExam) -> datetime:
    return exam.started_at + timedelta(minutes=DURATION_MINUTES)


def time_left(exam: CivicExam, now: datetime | None = None) -> timedelta:
    return max(timedelta(0), deadline(exam) - (now or utcnow()))


def save_answers(
    exam: CivicExam, answers: dict[int, int], now: datetime | None = None
) -> None:
    """Record answers (question index -> choice index) while time is left."""
    if exam.submitted_at is not None:
        raise ExamError("submitted")
    if time_left(exam, now) <= timedelta(0):
        submit(exam, now)
        raise ExamError("time_over")
    current = list(exam.answers)
    for index, choice in answers.items():
        if not 0 <= index < len(current) or not 0 <= choice < 4:
            raise ExamError("invalid")
        current[index] = choice
    exam.answers = current


def submit(exam: CivicExam, now: datetime | None = None) -> int:
    """Close the exam and mark it: one point per right answer."""
    if exam.submitted_at is None:
        exam.submitted_at = min(now or utcnow(), deadline(exam))
        exam.score = sum(
            1
            for q, given in zip(exam.questions, exam.answers, strict=True)
            if given == q["answer"]
        )
    return exam.score or 0


def close_if_expired(exam: CivicExam, now: datetime | None = None) -> None:
    if exam.submitted_at is None and time_left(exam, now) <= timedelta(0):
        submit(exam, now)


def passed(exam: CivicExam) -> bool:
    return (exam.score or 0) >= PASS_MARK


def exams_of(profile: LearnerProfile) -> list[CivicExam]:
    return list(
        db.session.scalars(
            select(CivicExam)
            .where(CivicExam.learner_id == profile.id)
            .order_by(CivicExam.id.desc())
        )
    )


def by_theme(exam: CivicExam) -> dict[str, tuple[int, int]]:
    """Right answers and questions per theme."""
    result: dict[str, tuple[int, int]] = {}
    for q, given in zip(exam.questions, exam.answers, strict=True):
        right, total = result.get(q["theme"], (0, 0))
        result[q["theme"]] = (right + (1 if given == q["answer"] else 0), total + 1)
    return result


# --- Mock French exam in the TCF IRN format -------------------------------------------


def start_language_exam(profile: LearnerProfile) -> LanguageExam:
    """Open a mock French exam; its four sections start one after the other."""
    from tutoring.services.progress import target_level

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
    result: list[PracticeSet | None] = list(rows)[: len(SECTIONS)]
    return result + [None] * (len(SECTIONS) - len(result))


def close_expired_section(practice: PracticeSet, now: datetime | None = None) -> bool:
    """Close a timed section whose time is over; return whether it is closed now."""
    now = now or utcnow()
    if practice.finished_at is None and practice.deadline and now >= practice.deadline:
        practice.finished_at = practice.deadline
        if practice.exam_id is not None:
            exam = db.session.get(LanguageExam, practice.exam_id)
            if exam is not None:
                finish_if_complete(exam)
        return True
    return practice.finished_at is not None


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
    from exercises.mock import draw_section
    from tutoring.services.practice import active_versions, item_of, recent_item_ids

    sets = section_sets(exam)
    for practice in sets:
        if practice is not None and practice.finished_at is None:
            close_expired_section(practice)
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
    from exercises.estimate import estimate, level_of, reaches
    from tutoring.services.practice import set_attempts
    from tutoring.services.progress import difficulty_of

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
