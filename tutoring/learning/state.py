"""The learner's state in rows: per-skill estimates, units' last scores, reviews due,
this month's activity and the latest scores.

Answers to track items (the « Numérique » track: using a computer for the exams) are
stored like any other but count only as activity (days, minutes, answers this month,
last active): never in the estimates, the units' rows, the latest scores (weak themes,
needs-help flags) nor the reviews due. Their progress is read from the attempts by
`tutoring.learning.track`.

The rows are recomputed for the learner (and only the skills and units touched) in
the same transaction as each change: an answer, a tutor's mark, a level chosen or
set by the placement test, a level measured outside. Mapper events note what
changed; a `before_commit` hook refreshes the rows before the commit, so a rollback
leaves them as they were. The pages read the rows instead of recomputing everything
from the attempts on each request.

One thing moves the estimates without the learner doing anything: every answer also
refines the item's difficulty (`item_stats`), which the estimates of the other learners
who answered that item use too. Their rows take it in at their next answer, or when
`flask learning rebuild-state` runs (nightly; it is also the command to run after a
bulk load that bypasses the ORM, like `flask demo generate`).
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, event, func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, object_session
from sqlalchemy.orm.attributes import get_history
from sqlalchemy.orm.util import identity_key

from exercises.estimate import Estimate, progress_towards, reaches, sublevel_of
from exercises.mastery import WINDOW, mastery
from exercises.model import SKILLS
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.models import ItemVersion
from tutoring.core.database import built_once, kept_by_row, utcnow
from tutoring.core.extensions import db
from tutoring.learning.models import (
    Attempt,
    ExternalLevel,
    LearnerSkillState,
    LearnerState,
    LearnerUnitState,
    ReviewCard,
)
from tutoring.learning.progress import (
    Activity,
    UnitProgress,
    external_levels,
    skill_estimates,
    target_level,
)

MARKS = (
    "learner_state_marks"  # session.info: {learner id: item version ids, or None: all}
)
# session.info: {learner id: attempts inserted in this transaction, or None when an
# attempt of theirs was changed or deleted (or a savepoint rolled back): the
# learner-wide row then is recomputed}
APPENDED = "learner_state_appended"
HELD = "learner_state_held"  # session.info: rows read before the commit's refresh
# session.info: {learner id: [(old due or None for a new card, new due)] of their
# review cards in this transaction, in order, or None when a move is not known
# exactly (a card deleted or given to another learner): the reviews due are then
# read again}
MOVES = "learner_state_review_moves"
RECENT = 100  # latest scored answers kept for weak themes and help flags
CAPPED_MS = 15 * 60_000  # an answer counts for at most 15 minutes of practice


ALL = -1  # a mark for all the learner's rows
LEARNER_ROW = 0  # a mark for the learner-wide row only (reviews due)


def mark(session: Session | None, learner_id: int, version_id: int) -> None:
    """Note that the learner's rows need a refresh before the commit: for one item
    version's skill and unit, everything (ALL) or the learner-wide row only."""
    if session is None:
        return
    marks: dict[int, set[int] | None] = session.info.setdefault(MARKS, {})
    if version_id == ALL or (learner_id in marks and marks[learner_id] is None):
        marks[learner_id] = None
        return
    versions = marks.setdefault(learner_id, set())
    assert versions is not None  # checked above
    if version_id != LEARNER_ROW:
        versions.add(version_id)


def _month_key(now: datetime) -> str:
    return f"{now.year:04d}-{now.month:02d}"


def computed(
    profile: LearnerProfile,
    versions: set[int] | None = None,
    now: datetime | None = None,
    learner: bool = True,
    units_too: bool = True,
) -> dict[str, Any]:
    """The rows' values recomputed from the attempts: all of them, or the skills and
    units of `versions`; the learner-wide row unless `learner` is false, the units'
    rows unless `units_too` is false."""
    now = now or utcnow()
    if versions is None:
        skills: list[str] = list(SKILLS)
        units: set[str] | None = None
    else:
        touched = _skills_and_units(versions)
        skills = sorted({skill for skill, _unit in touched})
        units = {unit for _skill, unit in touched}
    if len(skills) == 1:
        estimates = skill_estimates(profile, only=skills[0])
    elif skills:
        estimates = {
            k: v for k, v in skill_estimates(profile).items() if k in set(skills)
        }
    else:
        estimates = {}
    return {
        "skills": {
            skill: (e.value, e.standard_error, e.attempts)
            for skill, e in estimates.items()
        },
        "units": _units(profile, units) if units_too else {},
        "learner": _learner_row(profile, now) if learner else None,
    }


def _skills_and_units(versions: set[int]) -> list[tuple[str, str]]:
    """The (skill, unit) of each item version: from the session when the answer
    already read them (the usual case), else in one query."""
    known = [
        db.session.identity_map.get(identity_key(ItemVersion, version_id))
        for version_id in versions
    ]
    if all(version is not None for version in known):
        return [(version.skill, version.unit) for version in known if version]
    return [
        (skill, unit)
        for skill, unit in db.session.execute(
            select(ItemVersion.skill, ItemVersion.unit).where(
                ItemVersion.id.in_(versions)
            )
        )
    ]


def _units(profile: LearnerProfile, units: set[str] | None) -> dict[str, Any]:
    """Per unit: (last WINDOW scores oldest first, id of the last scored attempt);
    None for a unit without a scored answer any more."""
    stmt = (
        select(ItemVersion.unit, Attempt.id, Attempt.score)
        .join(Attempt, Attempt.item_version_id == ItemVersion.id)
        .where(
            Attempt.learner_id == profile.id,
            Attempt.score.is_not(None),
            ItemVersion.track.is_(None),
        )
        .order_by(Attempt.id)
    )
    if units is not None:
        stmt = stmt.where(ItemVersion.unit.in_(units))
    if units is not None and len(units) == 1:
        # One unit (an answer's): only its last WINDOW scores count, whatever the
        # learner's history on it.
        tail = stmt.order_by(None).order_by(Attempt.id.desc()).limit(WINDOW).subquery()
        stmt = select(tail.c.unit, tail.c.id, tail.c.score).order_by(tail.c.id)
    scores: dict[str, list[float]] = defaultdict(list)
    last: dict[str, int] = {}
    for unit, attempt_id, score in db.session.execute(stmt):
        assert score is not None  # the query keeps scored attempts only
        scores[unit].append(score)
        last[unit] = attempt_id
    result: dict[str, Any] = dict.fromkeys(units or (), None)
    for unit, values in scores.items():
        result[unit] = (values[-WINDOW:], last[unit])
    return result


def _review_dues(learner_id: int) -> list[str]:
    dues = db.session.scalars(
        select(ReviewCard.due)
        .where(ReviewCard.learner_id == learner_id)
        .order_by(ReviewCard.due, ReviewCard.id)
    ).all()
    return [_due_text(due) for due in dues]


def _due_text(due: datetime) -> str:
    """A review's due time as the row keeps it: ISO, in UTC (the text's order is then
    the times' order)."""
    return due.astimezone(UTC).isoformat()


def _moved(dues: list[str], moves: list[tuple[str | None, str]]) -> list[str] | None:
    """The reviews due with this transaction's moves applied; None when a card's old
    due time is not among them (only a reading is exact then)."""
    result = list(dues)
    for old, new in moves:
        if old is not None:
            if old not in result:
                return None
            result.remove(old)
        insort(result, new)
    return result


def _learner_row(profile: LearnerProfile, now: datetime) -> dict[str, Any]:
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month = db.session.execute(
        select(Attempt.created_at, Attempt.time_ms).where(
            Attempt.learner_id == profile.id, Attempt.created_at >= month_start
        )
    ).all()
    recent = db.session.execute(
        select(Attempt.score, ItemVersion.theme)
        .join(ItemVersion, Attempt.item_version_id == ItemVersion.id)
        .where(
            Attempt.learner_id == profile.id,
            Attempt.score.is_not(None),
            ItemVersion.track.is_(None),
        )
        .order_by(Attempt.id.desc())
        .limit(RECENT)
    ).all()
    return {
        "review_dues": _review_dues(profile.id),
        "month": _month_key(now),
        "days_active": len({created.date() for created, _ms in month}),
        "minutes_ms": sum(min(ms or 0, CAPPED_MS) for _c, ms in month),
        "month_attempts": len(month),
        # The latest answer is this month's latest when there is one this month.
        "last_active": max(created for created, _ms in month)
        if month
        else db.session.scalar(
            select(func.max(Attempt.created_at)).where(Attempt.learner_id == profile.id)
        ),
        "recent": [[score, theme] for score, theme in recent],
    }


def _appended_row(
    row: LearnerState | None,
    attempts: list[Attempt],
    now: datetime,
    moves: list[tuple[str | None, str]] | None = None,
) -> dict[str, Any] | None:
    """This month's activity and the latest scores with `attempts` (just inserted)
    added to the stored row, without reading the learner's history again; None when
    only a recomputation is exact: no row yet, a row of another month, or an answer
    older than the row's latest (an offline batch sent late)."""
    if row is None or not attempts or row.month != _month_key(now):
        return None
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    last = row.last_active
    for attempt in attempts:
        created = attempt.created_at
        if created is None or created < month_start:
            return None
        if last is not None and created <= last:  # equal: perhaps counted already
            return None
    versions = {v.id: v for v in _versions_of(attempts)}
    if len(versions) != len({a.item_version_id for a in attempts}):
        return None
    # Every earlier answer of the month is at or before `last`: a new day is one
    # after it (dates in UTC, as the database gives them back).
    known_day = last.astimezone(UTC).date() if last and last >= month_start else None
    days = {a.created_at.astimezone(UTC).date() for a in attempts} - {known_day}
    newest_first = sorted(attempts, key=lambda a: a.id, reverse=True)
    scored = [
        [a.score, versions[a.item_version_id].theme]
        for a in newest_first
        if a.score is not None and versions[a.item_version_id].track is None
    ]
    dues = _moved(list(row.review_dues), moves) if moves is not None else None
    return {
        "review_dues": dues if dues is not None else _review_dues(row.learner_id),
        "month": row.month,
        "days_active": row.days_active + len(days),
        "minutes_ms": row.minutes_ms
        + sum(min(a.time_ms or 0, CAPPED_MS) for a in attempts),
        "month_attempts": row.month_attempts + len(attempts),
        "last_active": max(a.created_at for a in attempts),
        "recent": (scored + [list(pair) for pair in row.recent])[:RECENT],
    }


def _appended_units(
    learner_id: int, attempts: list[Attempt], versions: set[int] | None
) -> dict[str, Any] | None:
    """The rows of the units of `attempts` (just inserted) with their scores added at
    the end, without reading the units' answers again; None when only a
    recomputation is exact: other items marked, a unit without a row yet, or an
    answer older than the row's last (another answer of the learner stored first)."""
    found = {v.id: v for v in _versions_of(attempts)}
    if not versions or set(found) != versions:
        return None
    by_unit: dict[str, list[Attempt]] = {}
    for attempt in sorted(attempts, key=lambda a: a.id):
        version = found[attempt.item_version_id]
        scored = by_unit.setdefault(version.unit, [])
        if attempt.score is not None and version.track is None:
            scored.append(attempt)
    result: dict[str, Any] = {}
    held = db.session.info.setdefault(HELD, [])
    for unit, scored in by_unit.items():
        row = db.session.get(LearnerUnitState, (learner_id, unit))
        held.append(row)  # written by the refresh just after: not read twice
        if not scored:  # nothing scored here: the row stays as it is
            result[unit] = (list(row.scores), row.last_attempt_id) if row else None
            continue
        if row is None or row.last_attempt_id is None:
            return None
        if scored[0].id <= row.last_attempt_id:
            return None
        scores = [*row.scores, *(a.score for a in scored)][-WINDOW:]
        result[unit] = (scores, scored[-1].id)
    return result


def _versions_of(attempts: list[Attempt]) -> list[ItemVersion]:
    """The attempts' item versions (already in the session: the answer read them)."""
    found = []
    for version_id in {a.item_version_id for a in attempts}:
        version = db.session.get(ItemVersion, version_id)
        if version is not None:
            found.append(version)
    return found


def refresh(
    profile: LearnerProfile,
    versions: set[int] | None = None,
    now: datetime | None = None,
    appended: list[Attempt] | None = None,
    moves: list[tuple[str | None, str]] | None = None,
) -> None:
    """Recompute and store the learner's rows (all, or those `versions` touch).

    With `appended` (the attempts this transaction inserted, and nothing else changed
    in the learner's attempts), the learner-wide row is brought forward from its
    stored values instead of recomputed from the history, its row locked first so
    that two answers of the same learner at once do not overwrite each other; with
    `moves` (every change of the learner's review cards in this transaction), the
    reviews due are brought forward too."""
    now = now or utcnow()
    learner = None
    row_values = None
    if appended:
        learner = db.session.get(
            LearnerState, profile.id, with_for_update=True, populate_existing=True
        )
        row_values = _appended_row(learner, appended, now, moves)
    # The units are brought forward under the learner's row lock too (read after it:
    # an answer of the same learner committed meanwhile is seen).
    unit_values = (
        _appended_units(profile.id, appended, versions)
        if appended and row_values is not None
        else None
    )
    values = computed(
        profile,
        versions,
        now,
        learner=row_values is None,
        units_too=unit_values is None,
    )
    if unit_values is not None:
        values["units"] = unit_values
    if row_values is None:
        # Recomputed from the answers and review cards stored so far: the answers
        # and card moves noted earlier in this transaction are in it, and must not
        # be added again at the commit.
        noted = db.session.info.get(APPENDED)
        if noted and profile.id in noted:
            noted[profile.id] = None
        moved = db.session.info.get(MOVES)
        if moved and profile.id in moved:
            moved[profile.id] = []
    for skill, (value, error, attempts) in values["skills"].items():
        row = db.session.get(LearnerSkillState, (profile.id, skill))
        if row is None:
            row = LearnerSkillState(learner_id=profile.id, skill=skill)
            db.session.add(row)
        row.value, row.standard_error, row.attempts = value, error, attempts
        row.updated_at = now
    if versions is None:  # units no longer scored (answers erased, marks undone)
        for unit_row in db.session.scalars(
            select(LearnerUnitState).where(LearnerUnitState.learner_id == profile.id)
        ):
            if unit_row.unit not in values["units"]:
                db.session.delete(unit_row)
    for unit, kept in values["units"].items():
        existing = db.session.get(LearnerUnitState, (profile.id, unit))
        if kept is None:
            if existing is not None:
                db.session.delete(existing)
            continue
        if existing is None:
            existing = LearnerUnitState(learner_id=profile.id, unit=unit)
            db.session.add(existing)
        existing.scores, existing.last_attempt_id = kept
    if learner is None:
        learner = db.session.get(LearnerState, profile.id)
    if learner is None:
        learner = LearnerState(learner_id=profile.id)
        db.session.add(learner)
    for key, value in (row_values or values["learner"]).items():
        setattr(learner, key, value)
    learner.updated_at = now


def stored(profile_id: int) -> dict[str, Any]:
    """The rows as stored, in the shape of `computed()` (for the consistency check)."""
    skills = {
        row.skill: (row.value, row.standard_error, row.attempts)
        for row in db.session.scalars(
            select(LearnerSkillState).where(LearnerSkillState.learner_id == profile_id)
        )
    }
    units = {
        row.unit: (list(row.scores), row.last_attempt_id)
        for row in db.session.scalars(
            select(LearnerUnitState).where(LearnerUnitState.learner_id == profile_id)
        )
    }
    learner = db.session.get(LearnerState, profile_id)
    keys = (
        "review_dues", "month", "days_active", "minutes_ms", "month_attempts",
        "last_active", "recent",
    )  # fmt: skip
    return {
        "skills": skills,
        "units": units,
        "learner": {k: getattr(learner, k) for k in keys} if learner else None,
    }


def rebuild_all(batch: int = 200) -> int:
    """Recompute every learner's rows; return how many learners."""
    ids = db.session.scalars(
        select(LearnerProfile.id).order_by(LearnerProfile.id)
    ).all()
    for n, learner_id in enumerate(ids, 1):
        profile = db.session.get(LearnerProfile, learner_id)
        if profile is not None:
            refresh(profile)
        if n % batch == 0:
            db.session.flush()
            db.session.expunge_all()
    db.session.info.pop(MARKS, None)
    db.session.info.pop(APPENDED, None)
    return len(ids)


# What the pages read.


def estimates(profile: LearnerProfile) -> dict[str, Estimate]:
    """The four skills' estimates, from the rows (computed when a row is missing,
    e.g. a learner enrolled before the rows existed and no rebuild since)."""
    rows = {
        row.skill: Estimate(row.value, row.standard_error, row.attempts)
        for row in db.session.scalars(_skill_rows(), {"learner_id": profile.id})
    }
    if len(rows) < len(SKILLS):
        return skill_estimates(profile)
    return rows


@built_once
def _skill_rows() -> Select[LearnerSkillState]:
    return select(LearnerSkillState).where(
        LearnerSkillState.learner_id == bindparam("learner_id")
    )


def ability(profile: LearnerProfile, skill: str) -> float:
    """The learner's ability in `skill` before the answer being recorded: the row
    (the rows are refreshed at the commit), computed when the learner has none yet."""
    row = db.session.get(LearnerSkillState, (profile.id, skill))
    if row is not None:
        # Held until the commit, whose refresh writes this row: the session keeps
        # unchanged rows only weakly, and would read it again.
        db.session.info.setdefault(HELD, []).append(row)
        return row.value
    return skill_estimates(profile, only=skill)[skill].value


def learner_row(profile: LearnerProfile) -> LearnerState:
    row = db.session.get(LearnerState, profile.id)
    if row is None:
        refresh(profile)
        row = db.session.get(LearnerState, profile.id)
        assert row is not None  # just stored
    return row


def reviews_due(profile: LearnerProfile, now: datetime | None = None) -> int:
    """How many reviews are due at `now`: the row keeps their times in order, as
    text whose order is the times' order, so the count is a binary search (not a
    parse of every due time: a learner of many months has hundreds)."""
    return bisect_right(learner_row(profile).review_dues, _due_text(now or utcnow()))


def activity(profile: LearnerProfile, now: datetime | None = None) -> Activity:
    """This month's regularity and time, weak themes and needs-help flags."""
    now = now or utcnow()
    row = learner_row(profile)
    result = Activity(last_active=row.last_active)
    if row.month == _month_key(now):
        result.days_active = row.days_active
        result.minutes = round(row.minutes_ms / 60_000)
        result.attempts = row.month_attempts
    by_theme: dict[str, list[float]] = defaultdict(list)
    for score, theme in row.recent:
        by_theme[theme].append(score)
    result.weak_themes = sorted(
        t
        for t, scores in by_theme.items()
        if len(scores) >= 3 and sum(scores) / len(scores) < 0.6
    )
    last_five = [score for score, _theme in row.recent[:5]]
    if len(last_five) >= 3 and sum(1 for s in last_five if s < 0.5) >= 3:
        result.flags.append("failures")
    reference = result.last_active or profile.enrolled_at
    if now - reference > timedelta(days=14):
        result.flags.append("inactive")
    return result


def recent_units(
    profile: LearnerProfile, limit: int = 12
) -> list[tuple[str, list[float]]]:
    """The units last worked on, most recent first, with their last scores."""
    rows = db.session.execute(_recent_units(limit), {"learner_id": profile.id}).all()
    return [(unit, list(scores)) for unit, scores in rows]


@built_once  # one statement per limit
def _recent_units(limit: int) -> Select[str, list[float]]:
    return (
        select(LearnerUnitState.unit, LearnerUnitState.scores)
        .where(LearnerUnitState.learner_id == bindparam("learner_id"))
        .order_by(LearnerUnitState.last_attempt_id.desc())
        .limit(limit)
    )


def unit_info(units: list[str]) -> dict[str, tuple[str, str, str]]:
    """Title, can-do and level of each unit, from its first version.

    Versions are only ever added, so a unit's first version never changes: what was
    read once is kept for the application's life."""
    known: dict[str, tuple[str, str, str]] = kept_by_row("unit_info")
    missing = [unit for unit in units if unit not in known]
    if missing:
        first = (
            select(func.min(ItemVersion.id))
            .where(ItemVersion.unit.in_(missing))
            .group_by(ItemVersion.unit)
        )
        for unit, level, payload in db.session.execute(
            select(ItemVersion.unit, ItemVersion.level, ItemVersion.payload).where(
                ItemVersion.id.in_(first)
            )
        ):
            known[unit] = (payload["unit_title"], payload["can_do"], level)
    return {unit: known[unit] for unit in units}


def unit_mastery(profile: LearnerProfile, limit: int = 12) -> list[UnitProgress]:
    """Can-do statements the learner has worked on, most recent first, with mastery."""
    recent = recent_units(profile, limit)
    info = unit_info([unit for unit, _scores in recent])
    result = []
    for unit, scores in recent:
        judged = mastery(scores)
        title, can_do, level = info[unit]
        result.append(
            UnitProgress(
                unit, title, can_do, level, judged.right, WINDOW, judged.mastered
            )
        )
    return result


def skill_board(profile: LearnerProfile) -> dict[str, Any]:
    """Per skill, the estimate and the way to the target level; reviews due, units
    and activity: what the learner's progress views show of practice, from the rows."""
    target = target_level(profile)
    # Held here so that the session's (weak) identity map keeps it for the two
    # readers below: one query instead of two.
    _held = learner_row(profile)
    # Without answers, an outside level or a chosen level, there is nothing to show yet.
    informed_start = bool(profile.practice_level or external_levels(profile))
    skills = {}
    for skill, est in estimates(profile).items():
        level, third = sublevel_of(est.value)
        skills[skill] = {
            "estimate": est,
            "level": level,
            "third": third,
            "progress": progress_towards(est.value, target)
            if est.attempts or informed_start
            else 0.0,
            "reached": est.enough and reaches(est.value, target),
        }
    return {
        "target": target,
        "skills": dict(sorted(skills.items(), key=lambda kv: SKILLS.index(kv[0]))),
        "reviews_due": reviews_due(profile),
        "units": unit_mastery(profile),
        "activity": activity(profile),
    }


# Keeping the rows current: mapper events note, the commit refreshes.


def _note_appended(
    session: Session | None, attempt: Attempt | None, learner_id: int
) -> None:
    """Note an inserted attempt (or, `attempt` None, that the learner's attempts
    changed otherwise: their learner-wide row must be recomputed)."""
    if session is None:
        return
    appended: dict[int, list[Attempt] | None] = session.info.setdefault(APPENDED, {})
    if attempt is None:
        appended[learner_id] = None
    elif learner_id not in appended:
        appended[learner_id] = [attempt]
    elif (listed := appended[learner_id]) is not None:
        listed.append(attempt)


@event.listens_for(Attempt, "after_insert")
def _attempt_added(
    _mapper: Mapper[Any], _connection: Connection, target: Attempt
) -> None:
    session = object_session(target)
    mark(session, target.learner_id, target.item_version_id)
    _note_appended(session, target, target.learner_id)


@event.listens_for(Attempt, "after_update")
def _attempt_changed(
    _mapper: Mapper[Any], _connection: Connection, target: Attempt
) -> None:
    session = object_session(target)
    mark(session, target.learner_id, target.item_version_id)
    _note_appended(session, None, target.learner_id)


@event.listens_for(Attempt, "after_delete")
def _attempt_deleted(
    _mapper: Mapper[Any], _connection: Connection, target: Attempt
) -> None:
    session = object_session(target)
    mark(session, target.learner_id, ALL)
    _note_appended(session, None, target.learner_id)


def _note_move(
    session: Session | None,
    learner_id: int,
    move: tuple[datetime | None, datetime] | None,
) -> None:
    """Note how a review card of the learner moved (None: not known exactly)."""
    if session is None:
        return
    moves: dict[int, list[Any] | None] = session.info.setdefault(MOVES, {})
    if move is None:
        moves[learner_id] = None
    elif (listed := moves.setdefault(learner_id, [])) is not None:
        old, new = move
        listed.append((_due_text(old) if old is not None else None, _due_text(new)))


@event.listens_for(ReviewCard, "after_insert")
def _review_added(
    _mapper: Mapper[Any], _connection: Connection, target: ReviewCard
) -> None:
    session = object_session(target)
    mark(session, target.learner_id, LEARNER_ROW)
    _note_move(session, target.learner_id, (None, target.due))


@event.listens_for(ReviewCard, "after_update")
def _review_moved(
    _mapper: Mapper[Any], _connection: Connection, target: ReviewCard
) -> None:
    session = object_session(target)
    mark(session, target.learner_id, LEARNER_ROW)
    owner = get_history(target, "learner_id")
    if owner.has_changes():  # given to another learner: both read again
        for learner_id in [*owner.deleted, *owner.added]:
            _note_move(session, learner_id, None)
        return
    due = get_history(target, "due")
    if due.added and due.deleted:
        _note_move(session, target.learner_id, (due.deleted[0], due.added[0]))
    elif due.added:  # the old time was not loaded: not known exactly
        _note_move(session, target.learner_id, None)


@event.listens_for(ReviewCard, "after_delete")
def _review_deleted(
    _mapper: Mapper[Any], _connection: Connection, target: ReviewCard
) -> None:
    session = object_session(target)
    mark(session, target.learner_id, LEARNER_ROW)
    _note_move(session, target.learner_id, None)


@event.listens_for(ExternalLevel, "after_insert")
@event.listens_for(ExternalLevel, "after_update")
@event.listens_for(ExternalLevel, "after_delete")
def _level_changed(
    _mapper: Mapper[Any], _connection: Connection, target: ExternalLevel
) -> None:
    mark(object_session(target), target.learner_id, ALL)


@event.listens_for(LearnerProfile, "after_insert")
def _learner_enrolled(
    _mapper: Mapper[Any], _connection: Connection, target: LearnerProfile
) -> None:
    mark(object_session(target), target.id, ALL)


@event.listens_for(LearnerProfile, "after_update")
def _learner_changed(
    _mapper: Mapper[Any], _connection: Connection, target: LearnerProfile
) -> None:
    """The starting point of the estimates is the practice level: a new one (chosen,
    set by the placement test or by the referent) moves all four."""
    if get_history(target, "practice_level").has_changes():
        mark(object_session(target), target.id, ALL)


@event.listens_for(Session, "before_commit")
def _refresh_marked(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released (`added_once`): the rows move at the real commit
    session.flush()  # the commit's own flush comes after this hook: the marks first
    while marks := session.info.pop(MARKS, None):
        appended = session.info.pop(APPENDED, {})
        moves = session.info.pop(MOVES, {})
        for learner_id, versions in _items(marks):
            profile = session.get(LearnerProfile, learner_id)
            if profile is not None:
                refresh(
                    profile,
                    versions,
                    appended=appended.get(learner_id),
                    moves=moves.get(learner_id, []),
                )
        session.flush()
    session.info.pop(HELD, None)


def _items(marks: dict[int, set[int] | None]) -> Iterable[tuple[int, set[int] | None]]:
    return sorted(marks.items(), key=lambda kv: kv[0])


@event.listens_for(Session, "after_rollback")
def _forget_marks(session: Session) -> None:
    """A rollback forgets what the transaction changed. A savepoint's rollback
    (`begin_nested`) keeps the marks of what came before it (a mark of an undone
    change costs only a recomputation), but the attempts it undid may be among the
    noted ones: those learners' rows are recomputed, not brought forward."""
    if session.in_nested_transaction():
        for key in (APPENDED, MOVES):
            noted: dict[int, Any] = session.info.get(key) or {}
            for learner_id in noted:
                noted[learner_id] = None
        return
    session.info.pop(MARKS, None)
    session.info.pop(APPENDED, None)
    session.info.pop(HELD, None)
    session.info.pop(MOVES, None)
