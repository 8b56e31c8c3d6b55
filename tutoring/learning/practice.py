"""Practice: build sets (adaptive, theme, review, placement, homework), record answers,
close timed sets, assign homework."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime
from statistics import mean
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, select

from exercises.estimate import best_level, estimate, level_of
from exercises.model import LEVELS, Item
from exercises.placement import next_item
from exercises.scoring import InvalidResponse, Result, grade
from exercises.selection import KEYBOARD_FREE_TYPES, adaptive_set, select_set
from tutoring.accounts.enrolment import learners_of
from tutoring.accounts.models import Role, User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.bank import (
    ContentError,
    active_items,
    active_versions,
    item_by_version,
    item_of,
)
from tutoring.content.models import ItemVersion
from tutoring.content.recordings import store_audio
from tutoring.core.database import LearnerKey, built_once, utcnow
from tutoring.core.extensions import db
from tutoring.learning import state as learner_state
from tutoring.learning.models import (
    Assignment,
    Attempt,
    PracticeSet,
    SetMode,
    Submission,
)
from tutoring.learning.progress import (
    after_attempt,
    difficulty_of,
    due_reviews,
    skill_estimates,
)
from tutoring.learning.signals import set_finished
from tutoring.pairing.pairings import tutor_learner_ids

DEFAULT_LEVEL = "A1"


class PracticeError(ContentError):
    """A request that breaks a practice rule; `code` says which."""


SHORT_TOLERANCE = 0.5  # seconds: stopping a hair early is not refused


def too_short(data: dict[str, Any], seconds: object) -> bool:
    """Whether a recording the page timed is shorter than the task asks. A length
    of 0 means the page could not time it (a file from the phone's own recorder):
    the tutor judges then."""
    if not isinstance(seconds, (int, float)) or seconds <= 0:
        return False
    return seconds + SHORT_TOLERANCE < float(data.get("min_seconds", 0))


def practice_level(profile: LearnerProfile) -> str:
    """The level of theme sets: the one chosen, else the one the estimates suggest."""
    if profile.practice_level:
        return profile.practice_level
    estimates = learner_state.estimates(profile)
    return best_level(mean(e.value for e in estimates.values()))


def choose_level(profile: LearnerProfile, level: str) -> None:
    """The level of the learner's theme sets from now on."""
    if level not in LEVELS:
        raise PracticeError("level")
    profile.practice_level = level


def set_target_date(
    profile: LearnerProfile, day: date | None, today: date | None = None
) -> None:
    """The day the learner needs their level by (None: no date): from today to the
    end of the year fifteen years on."""
    today = today or date.today()
    if day is not None and day < today:
        raise PracticeError("target_past")
    if day is not None and day > latest_target(today):
        raise PracticeError("target_far")
    profile.target_date = day


def latest_target(today: date) -> date:
    """The last day a learner's target date may fall on."""
    return date(today.year + 15, 12, 31)


def start_practice(profile: LearnerProfile, theme: str | None) -> PracticeSet:
    """A set of the learner's level: adaptive, or of one theme."""
    if theme is None:
        return start_adaptive_set(profile)
    return start_set(profile, level=practice_level(profile), theme=theme)


def recent_item_ids(profile: LearnerProfile, limit: int = 60) -> frozenset[str]:
    rows = db.session.execute(
        select(ItemVersion.item_id)
        .join(Attempt, Attempt.item_version_id == ItemVersion.id)
        .where(Attempt.learner_id == profile.id)
        .order_by(Attempt.id.desc())
        .limit(limit)
    )
    return frozenset(r[0] for r in rows)


def start_adaptive_set(
    profile: LearnerProfile, rng: random.Random | None = None
) -> PracticeSet:
    """ "Practise my level": the weakest skill first, each skill at a comfortable level,
    due reviews mixed in."""
    estimates = learner_state.estimates(profile)
    levels = {skill: best_level(e.value) for skill, e in estimates.items()}
    weakest = min(("CO", "CE", "EE"), key=lambda s: estimates[s].value)
    index = active_items()
    items = [item for _, item in index.values()]
    by_id = {i.id: i for i in items}
    reviews = [by_id[i] for i in due_reviews(profile) if i in by_id]
    chosen = adaptive_set(
        items,
        rng or random.Random(),  # noqa: S311 - choosing exercises, not security  # nosec B311
        levels=levels,
        weakest=weakest,
        reviews=reviews,
        recent=recent_item_ids(profile),
        typing=not profile.cannot_type,
    )
    if not chosen:
        raise PracticeError("no_items")
    practice = PracticeSet(
        learner_id=profile.id,
        mode=SetMode.LEVEL,
        level=levels[weakest],
        item_version_ids=[index[i.id][0] for i in chosen],
    )
    db.session.add(practice)
    db.session.flush()
    return practice


def start_placement(
    profile: LearnerProfile, *, reads: bool, rng: random.Random | None = None
) -> PracticeSet:
    """Start the adaptive placement test (the picture-and-sound path if not reading)."""
    practice = PracticeSet(
        learner_id=profile.id,
        mode=SetMode.PLACEMENT,
        level="A1" if reads else "A1.1",
        item_version_ids=[],
    )
    db.session.add(practice)
    db.session.flush()
    if not _add_placement_item(profile, practice, rng):
        raise PracticeError("no_items")
    return practice


def placement_length(practice: PracticeSet) -> int:
    return practice.planned


def _add_placement_item(
    profile: LearnerProfile, practice: PracticeSet, rng: random.Random | None = None
) -> bool:
    """Append the next placement item, chosen from this test's answers so far."""
    versions = {v.item_id: v for v in active_versions()}
    done = set_attempts(practice)
    answers: dict[str, list[tuple[float, float]]] = {
        "CO": [],
        "CE": [],
        "EE": [],
        "EO": [],
    }
    for attempt in done:
        if attempt.score is not None:
            version = attempt.item_version
            answers[version.skill].append((difficulty_of(version), attempt.score))
    abilities = {skill: estimate(values).value for skill, values in answers.items()}
    seen = frozenset(
        v.item_id for v in versions.values() if v.id in set(practice.item_version_ids)
    )
    item = next_item(
        [item_of(v) for v in versions.values()],
        rng or random.Random(),  # noqa: S311 - choosing exercises, not security  # nosec B311
        answered=len(practice.item_version_ids),
        abilities=abilities,
        seen=seen,
        reads=practice.level != "A1.1",
        typing=not profile.cannot_type,
    )
    if item is None:
        return False
    practice.item_version_ids = [*practice.item_version_ids, versions[item.id].id]
    return True


def finish_placement(profile: LearnerProfile) -> None:
    """Set the practice level from the placement's estimates."""
    estimates = skill_estimates(profile)
    profile.practice_level = level_of(
        mean(estimates[s].value for s in ("CO", "CE", "EE"))
    )


def placement_question(learner: LearnerKey) -> ColumnElement[bool]:
    """Whether the learner finished a placement test, as SQL (to be asked in one
    query with a page's other questions)."""
    return exists().where(
        PracticeSet.learner_id == learner,
        PracticeSet.mode == SetMode.PLACEMENT,
        PracticeSet.finished_at.is_not(None),
    )


def placement_done(profile: LearnerProfile) -> bool:
    return bool(db.session.scalar(_placement_done(), {"learner_id": profile.id}))


@built_once
def _placement_done() -> Select[bool]:
    return select(placement_question(bindparam("learner_id")))


def start_review_set(profile: LearnerProfile) -> PracticeSet:
    """A set of up to ten missed items whose review is due."""
    due = due_reviews(profile)
    versions = {
        v.item_id: v
        for v in active_versions()
        if v.item_id in set(due)
        and (not profile.cannot_type or v.type in KEYBOARD_FREE_TYPES)
    }
    due = [i for i in due if i in versions][:10]
    ids = [versions[i].id for i in due if i in versions]
    if not ids:
        raise PracticeError("no_items")
    practice = PracticeSet(
        learner_id=profile.id,
        mode=SetMode.LEVEL,
        level=versions[due[0]].level if due[0] in versions else DEFAULT_LEVEL,
        item_version_ids=ids,
    )
    db.session.add(practice)
    db.session.flush()
    return practice


def start_set(
    profile: LearnerProfile,
    *,
    level: str,
    theme: str | None = None,
    rng: random.Random | None = None,
) -> PracticeSet:
    """Create a set of up to ten items at `level` (and `theme`) for the learner."""
    index = active_items(level, theme)
    chosen = select_set(
        [item for _, item in index.values()],
        rng or random.Random(),  # noqa: S311 - choosing exercises, not security  # nosec B311
        level=level,
        theme=theme,
        recent=recent_item_ids(profile),
        typing=not profile.cannot_type,
    )
    if not chosen:
        raise PracticeError("no_items")
    practice = PracticeSet(
        learner_id=profile.id,
        mode=SetMode.THEME if theme else SetMode.LEVEL,
        level=level,
        theme=theme,
        item_version_ids=[index[i.id][0] for i in chosen],
    )
    db.session.add(practice)
    db.session.flush()
    return practice


def start_homework(profile: LearnerProfile, assignment: Assignment) -> PracticeSet:
    """Open (or reopen) the practice set of a homework."""
    existing = db.session.scalar(
        select(PracticeSet)
        .where(
            PracticeSet.assignment_id == assignment.id,
            PracticeSet.learner_id == profile.id,
        )
        .order_by(PracticeSet.id.desc())
    )
    if existing is not None and existing.finished_at is None:
        return existing
    first = db.session.get(ItemVersion, assignment.item_version_ids[0])
    practice = PracticeSet(
        learner_id=profile.id,
        mode=SetMode.HOMEWORK,
        level=first.level if first else DEFAULT_LEVEL,
        assignment_id=assignment.id,
        item_version_ids=list(assignment.item_version_ids),
    )
    db.session.add(practice)
    db.session.flush()
    return practice


def unfinished_set(profile: LearnerProfile) -> PracticeSet | None:
    return db.session.scalar(_unfinished_set(), {"learner_id": profile.id})


@built_once
def _unfinished_set() -> Select[PracticeSet]:
    return (
        select(PracticeSet)
        .where(
            PracticeSet.learner_id == bindparam("learner_id"),
            PracticeSet.finished_at.is_(None),
            PracticeSet.mode.in_([SetMode.LEVEL, SetMode.THEME, SetMode.PLACEMENT]),
            PracticeSet.exam_id.is_(None),
        )
        .order_by(PracticeSet.id.desc())
    )


def current_version(practice: PracticeSet) -> ItemVersion | None:
    if practice.position >= len(practice.item_version_ids):
        return None
    return db.session.get(ItemVersion, practice.item_version_ids[practice.position])


def current_item(practice: PracticeSet) -> Item | None:
    """The item to answer now (None once the set is done), without reading its
    version row when the application has already read it."""
    if practice.position >= len(practice.item_version_ids):
        return None
    return item_by_version(practice.item_version_ids[practice.position])


def stored_attempt(client_id: str | None) -> Attempt | None:
    """The attempt already stored under this client id, if any."""
    if not client_id:
        return None
    return db.session.scalar(select(Attempt).where(Attempt.client_id == client_id))


def record_answer(
    profile: LearnerProfile,
    practice: PracticeSet,
    *,
    position: int,
    client_id: str,
    response: dict[str, Any],
    time_ms: int | None,
    audio: tuple[bytes, str] | None = None,
    answered_at: datetime | None = None,
) -> Attempt:
    """Grade and store the answer to the set's current item; a resubmit is harmless.

    The same `client_id` sent again returns the stored attempt without a new row.
    `answered_at`: when it was given, for an answer kept offline and sent later.
    """
    try:
        uuid.UUID(client_id)
    except ValueError as exc:
        raise PracticeError("client_id") from exc
    existing = db.session.scalar(select(Attempt).where(Attempt.client_id == client_id))
    if existing is not None:
        if existing.learner_id != profile.id:
            raise PracticeError("client_id")
        return existing
    if practice.deadline is not None and close_if_expired(practice):
        raise PracticeError("time_over")
    if practice.finished_at is not None or position != practice.position:
        raise PracticeError("stale_position")
    version = current_version(practice)
    if version is None:
        raise PracticeError("stale_position")
    item = item_of(version)
    if item.type == "oral_production":
        if audio is None:
            raise PracticeError("audio_missing")
        if too_short(item.data, response.get("seconds")):
            raise PracticeError("too_short", str(item.data["min_seconds"]))
    try:
        result: Result = grade(item, response)
    except InvalidResponse as exc:
        raise PracticeError("invalid_response", str(exc)) from exc
    attempt = Attempt(
        client_id=client_id,
        learner_id=profile.id,
        set_id=practice.id,
        position=position,
        item_version_id=version.id,
        response=response,
        score=result.score,
        result={
            "parts": result.parts,
            "accents": result.accents,
            "checks": result.checks,
        },
        time_ms=time_ms if time_ms is not None and 0 <= time_ms < 86_400_000 else None,
        **({"created_at": answered_at} if answered_at is not None else {}),
    )
    if item.reviewed:
        submission = Submission(text=response.get("text"))
        if audio is not None:
            submission.audio_file = store_audio(*audio)
            submission.audio_mime = audio[1].split(";")[0]
        attempt.submission = submission
    db.session.add(attempt)
    db.session.flush()
    if result.score is not None and item.track is None:  # a track trains no French
        # The item's difficulty moves by how surprising the answer was for the
        # learner's ability before it (an Elo step), read from the learner's rows.
        after_attempt(profile, attempt, learner_state.ability(profile, item.skill))
    practice.position += 1
    if (
        practice.mode == SetMode.PLACEMENT
        and practice.position >= len(practice.item_version_ids)
        and practice.position < placement_length(practice)
    ):
        _add_placement_item(profile, practice)
    if practice.position >= len(practice.item_version_ids):
        practice.finished_at = utcnow()
        if practice.assignment is not None and practice.assignment.completed_at is None:
            practice.assignment.completed_at = utcnow()
        db.session.flush()
        set_finished.send(practice)
        if practice.mode == SetMode.PLACEMENT:
            db.session.flush()
            if practice.level == "A1.1":
                profile.practice_level = "A1.1"
            else:
                finish_placement(profile)
    db.session.flush()
    return attempt


def close_if_expired(practice: PracticeSet, now: datetime | None = None) -> bool:
    """Close a timed set whose time is over; return whether the set is closed."""
    now = now or utcnow()
    if practice.finished_at is None and practice.deadline and now >= practice.deadline:
        practice.finished_at = practice.deadline
        db.session.flush()
        set_finished.send(practice)
        return True
    return practice.finished_at is not None


def set_attempts(practice: PracticeSet) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.set_id == practice.id)
            .order_by(Attempt.position)
        )
    )


def attempt_at(practice: PracticeSet, position: int) -> Attempt | None:
    return next((a for a in set_attempts(practice) if a.position == position), None)


def tally(attempts: list[Attempt]) -> dict[str, float | int]:
    """A set's score (of its marked answers), how many are marked, how many wait."""
    graded = [a for a in attempts if a.score is not None]
    return {
        "score": round(sum(a.score or 0 for a in graded), 1),
        "graded": len(graded),
        "pending": len(attempts) - len(graded),
    }


def assignable_learners(user: User) -> list[tuple[LearnerProfile, User]]:
    """Who may get homework from this person, with their account: a referent's
    learners, a volunteer's paired learners."""
    profiles: dict[int, LearnerProfile] = {}
    if user.has_role(Role.REFERENT):
        profiles.update((p.id, p) for p in learners_of(user) if p.user)
    if user.is_approved_tutor:
        paired = tutor_learner_ids(user)
        if paired:
            profiles.update(
                (p.id, p)
                for p in db.session.scalars(
                    select(LearnerProfile).where(LearnerProfile.id.in_(paired))
                )
                if p.user is not None
            )
    found = [(p, p.user) for p in profiles.values() if p.user is not None]
    return sorted(found, key=lambda pair: (pair[1].first_name, pair[0].id))


def assign_homework(
    creator: User,
    profile: LearnerProfile,
    *,
    title: str,
    item_version_ids: list[int],
    due_on: date,
    today: date | None = None,
) -> Assignment:
    """Ask a learner to do these items by `due_on`."""
    if not item_version_ids or len(item_version_ids) > 20:
        raise PracticeError("homework_size")
    if due_on < (today or date.today()):
        raise PracticeError("due_in_past")
    found = db.session.scalars(
        select(ItemVersion.id).where(
            ItemVersion.id.in_(item_version_ids), ItemVersion.active
        )
    ).all()
    if len(set(found)) != len(set(item_version_ids)):
        raise PracticeError("unknown_item")
    assignment = Assignment(
        learner_id=profile.id,
        created_by_id=creator.id,
        title=title,
        item_version_ids=list(dict.fromkeys(item_version_ids)),
        due_on=due_on,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def homework_question(learner: LearnerKey) -> ColumnElement[bool]:
    """Whether the learner has homework still to do, as SQL (to be asked in one
    query with a page's other questions)."""
    return exists().where(_homework_open(learner))


def _homework_open(learner: LearnerKey) -> ColumnElement[bool]:
    """The learner's homework still to do (a condition on assignments)."""
    return and_(Assignment.learner_id == learner, Assignment.completed_at.is_(None))


def open_homework(profile: LearnerProfile) -> list[Assignment]:
    return list(db.session.scalars(_open_homework(), {"learner_id": profile.id}))


@built_once
def _open_homework() -> Select[Assignment]:
    return (
        select(Assignment)
        .where(_homework_open(bindparam("learner_id")))
        .order_by(Assignment.due_on)
    )
