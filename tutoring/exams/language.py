"""Mock French exams in four skills: timed sections drawn from the bank, results per
skill against the target level, outcome recorded when a section or a mark lands."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Select, bindparam, or_, select

from exercises.estimate import LEVEL_CENTRE, estimate, level_of, reaches
from exercises.mock import (
    SCALE_MAX,
    SECTIONS,
    SPEAKING_TASKS,
    draw_section,
    indicative_score,
    threshold,
)
from exercises.model import Item
from exercises.voicing import audio_name
from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.audio import AUDIO, recorded_path
from tutoring.content.bank import active_versions, item_of
from tutoring.content.models import ItemVersion
from tutoring.content.voices import approved_for
from tutoring.content.voices import file_of as voice_file_of
from tutoring.core.database import added_once, built_once, utcnow
from tutoring.core.extensions import db
from tutoring.exams.civic import ExamError
from tutoring.exams.models import LanguageExam
from tutoring.learning.models import Attempt, MockAudioPlay, PracticeSet, SetMode
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
    if section.skill == "EO" and exam.speaking_live:
        raise ExamError("live")  # the tutor opens it during a session
    versions = {v.item_id: v for v in active_versions()}
    items = draw_section(
        [item_of(v) for v in versions.values()],
        section,
        rng or random.Random(),  # noqa: S311 - drawing items, not security  # nosec B311
        recent_item_ids(profile) | mock_item_ids(profile),
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


def mock_item_ids(profile: LearnerProfile) -> frozenset[str]:
    """The items already drawn in the learner's mock exams, answered or not: a new
    mock prefers others, so that mocks in a row do not repeat an item."""
    version_ids: set[int] = set()
    for ids in db.session.scalars(
        select(PracticeSet.item_version_ids).where(
            PracticeSet.learner_id == profile.id, PracticeSet.mode == SetMode.MOCK
        )
    ):
        version_ids.update(ids or ())
    if not version_ids:
        return frozenset()
    return frozenset(
        db.session.scalars(
            select(ItemVersion.item_id).where(ItemVersion.id.in_(version_ids))
        )
    )


def next_skill(exam: LanguageExam) -> str | None:
    """The skill of the section to start next (None: all started)."""
    sets = section_sets(exam)
    index = next((n for n, s in enumerate(sets) if s is None), None)
    return None if index is None else SECTIONS[index].skill


def choose_speaking(exam: LanguageExam, live: bool) -> None:
    """The learner takes the speaking part recorded, or live with a tutor in a
    session; the choice can change until the speaking part has started."""
    if next_skill(exam) != "EO" or exam.finished_at is not None:
        raise ExamError("order")
    exam.speaking_live = live
    if not live:
        exam.live_item_version_ids = None
        exam.live_tutor_id = None


def claim_audio(practice: PracticeSet, position: int) -> bool:
    """Whether the recording at `position` of a mock section may be served: once only
    (True the first time, and it is then noted)."""
    exists = db.session.scalar(
        select(MockAudioPlay.id).where(
            MockAudioPlay.set_id == practice.id, MockAudioPlay.position == position
        )
    )
    if exists is not None:
        return False
    return added_once(MockAudioPlay(set_id=practice.id, position=position))


def mock_audio_file(item: Item, structure_id: int | None) -> tuple[Path, str]:
    """The file of an item's recording (the one `audio_url` points to) and its type."""
    voice = approved_for(item.id, structure_id)
    if voice is not None:
        return voice_file_of(voice)
    recorded = recorded_path(item.id)
    if recorded.exists():
        return recorded, "audio/ogg"
    return AUDIO / "items" / audio_name(item.id, item.audio or "", item.level), "audio/ogg"


def live_exams_for(learner_ids: set[int]) -> dict[int, LanguageExam]:
    """Per learner, the mock exam whose speaking part waits for a tutor (the latest)."""
    if not learner_ids:
        return {}
    waiting: dict[int, LanguageExam] = {}
    for exam in db.session.scalars(
        select(LanguageExam)
        .where(
            LanguageExam.learner_id.in_(learner_ids),
            LanguageExam.speaking_live.is_(True),
            LanguageExam.finished_at.is_(None),
        )
        .order_by(LanguageExam.id)
    ):
        if section_sets(exam)[-1] is None:
            waiting[exam.learner_id] = exam
    return waiting


def live_prompts(
    exam: LanguageExam, tutor: User, rng: random.Random | None = None
) -> list[ItemVersion]:
    """The three speaking prompts of a live speaking part, drawn when the tutor first
    opens it (then kept, so a reload shows the same ones)."""
    if not exam.speaking_live or section_sets(exam)[-1] is not None:
        raise ExamError("not_live")
    if not exam.live_item_version_ids:
        profile = db.session.get(LearnerProfile, exam.learner_id)
        assert profile is not None  # noqa: S101 - the exam's learner  # nosec B101
        versions = {v.item_id: v for v in active_versions()}
        items = draw_section(
            [item_of(v) for v in versions.values()],
            SECTIONS[-1],
            rng or random.Random(),  # noqa: S311 - drawing items, not security  # nosec B311
            recent_item_ids(profile) | mock_item_ids(profile),
        )
        if len(items) < len(SPEAKING_TASKS):
            raise ExamError("bank")
        exam.live_item_version_ids = [versions[i.id].id for i in items]
        exam.live_tutor_id = tutor.id
        db.session.flush()
    return [
        v
        for v in (db.session.get(ItemVersion, i) for i in exam.live_item_version_ids)
        if v is not None
    ]


def record_live_speaking(
    exam: LanguageExam, tutor: User, marks: list[dict[str, int]], rubric_max: int
) -> PracticeSet:
    """The tutor's marks of the three speaking tasks become the answers of the
    speaking section (one mark per task: the share of the rubric's points), which is
    then finished, and so may finish the exam."""
    prompts = live_prompts(exam, tutor)
    if len(marks) != len(prompts):
        raise ExamError("invalid")
    now = utcnow()
    practice = PracticeSet(
        learner_id=exam.learner_id, mode=SetMode.MOCK, level=exam.target,
        exam_id=exam.id, item_version_ids=[v.id for v in prompts],
        position=len(prompts), deadline=None,
    )  # fmt: skip
    db.session.add(practice)
    db.session.flush()
    for position, (version, criteria) in enumerate(zip(prompts, marks, strict=True)):
        score = round(sum(criteria.values()) / (rubric_max * len(criteria)), 4)
        db.session.add(
            Attempt(
                client_id=str(uuid.uuid4()), learner_id=exam.learner_id,
                set_id=practice.id, position=position, item_version_id=version.id,
                response={"live": True}, score=score,
                result={"live": True, "criteria": criteria, "tutor_id": tutor.id},
            )
        )  # fmt: skip
    exam.live_marks = marks
    exam.live_tutor_id = tutor.id
    practice.finished_at = now
    db.session.flush()
    set_finished.send(practice)
    return practice


def language_results(exam: LanguageExam) -> list[dict[str, object]]:
    """Per section: right answers, the level they suggest, answers awaiting a tutor, and
    whether the target level is reached (None while answers await a tutor).

    A section is passed when its estimated ability reaches the lower bound of the
    exam's target level (`reaches`, the rule of the learner's progress bars); a
    section with no answer keeps the starting ability, below A2, so it is not passed.
    """
    results: list[dict[str, object]] = []
    for section, practice in zip(SECTIONS, section_sets(exam), strict=True):
        attempts = set_attempts(practice) if practice is not None else []
        marked = [a for a in attempts if a.score is not None]
        answers = [(difficulty_of(a.item_version), a.score or 0.0) for a in marked]
        est = estimate(answers)
        results.append(
            {
                "skill": section.skill,
                "ability": est.value if marked else None,
                # an estimate on the TCF's scale, from practice items: never official
                "score": indicative_score(section.skill, est.value) if marked else None,
                "scale_max": SCALE_MAX[section.skill],
                "threshold": threshold(section.skill, exam.target),
                "live": bool(
                    section.skill == "EO" and exam.speaking_live and exam.live_marks
                ),
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


def furthest_skill(exam: LanguageExam, results: list[dict[str, object]]) -> str | None:
    """The skill furthest below the level the learner's card needs (None when every
    marked skill reaches it, or none is marked yet)."""
    goal = LEVEL_CENTRE[exam.target] - 0.5
    gaps = {
        str(r["skill"]): goal - float(r["ability"])  # type: ignore[arg-type]
        for r in results
        if r["ability"] is not None and r["passed"] is not True
    }
    gaps = {skill: gap for skill, gap in gaps.items() if gap > 0}
    return max(gaps, key=lambda skill: gaps[skill]) if gaps else None


def language_exams_of(profile: LearnerProfile) -> list[LanguageExam]:
    return list(db.session.scalars(_language_exams_of(), {"learner_id": profile.id}))


@built_once
def _language_exams_of() -> Select[LanguageExam]:
    return (
        select(LanguageExam)
        .where(LanguageExam.learner_id == bindparam("learner_id"))
        .order_by(LanguageExam.id.desc())
    )


@set_finished.connect
def _close_exam_when_sections_done(practice: PracticeSet) -> None:
    """A finished section may finish its mock exam (and record the outcome)."""
    if practice.exam_id is None:
        return
    exam = db.session.get(LanguageExam, practice.exam_id)
    if exam is not None:
        finish_if_complete(exam)
