"""Mock civic exams: draw, save answers page by page, submit, mark."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import load_only

from exercises.civic import (
    DURATION_MINUTES,
    MENTIONS,
    PASS_MARK,
    CivicQuestion,
    build_exam,
    load_civic,
)
from tutoring.accounts.profiles import FrenchGoal, LearnerProfile
from tutoring.core.database import built_once, utcnow
from tutoring.core.extensions import db
from tutoring.exams.models import CivicExam

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


def page_count(exam: CivicExam) -> int:
    """How many pages of PAGE_SIZE questions the exam shows."""
    return (len(exam.questions) + PAGE_SIZE - 1) // PAGE_SIZE


def page_indexes(exam: CivicExam, page: int) -> range:
    """The indexes of the questions on a page (from 0)."""
    first = page * PAGE_SIZE
    return range(first, min(first + PAGE_SIZE, len(exam.questions)))


def answer_page(
    exam: CivicExam, answers: dict[int, int], *, finish: bool = False
) -> None:
    """Record a page of answers; `finish` closes and marks the exam too."""
    save_answers(exam, answers)
    if finish:
        submit(exam)


def unanswered(exam: CivicExam) -> list[int]:
    """The indexes of the questions left without an answer, in order."""
    return [index for index, given in enumerate(exam.answers) if given is None]


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
    """The learner's civic exams for their list (date, mention, score): each exam's
    questions and answers (some 25 kB of JSON) stay in the database."""
    return list(db.session.scalars(_exams_of(), {"learner_id": profile.id}))


@built_once
def _exams_of() -> Select[CivicExam]:
    return (
        select(CivicExam)
        .options(
            load_only(
                CivicExam.started_at,
                CivicExam.mention,
                CivicExam.submitted_at,
                CivicExam.score,
            )
        )
        .where(CivicExam.learner_id == bindparam("learner_id"))
        .order_by(CivicExam.id.desc())
    )


def by_theme(exam: CivicExam) -> dict[str, tuple[int, int]]:
    """Right answers and questions per theme."""
    result: dict[str, tuple[int, int]] = {}
    for q, given in zip(exam.questions, exam.answers, strict=True):
        right, total = result.get(q["theme"], (0, 0))
        result[q["theme"]] = (right + (1 if given == q["answer"] else 0), total + 1)
    return result
