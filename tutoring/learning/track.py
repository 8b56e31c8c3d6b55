"""The « Numérique » track: using a computer as the exams ask (click, double click,
scroll, drag, type with accents, move through a form with Tab, answer in time, read an
exam screen).

Track units are bank units with `track: numerique` (exercises/FORMAT.md). They are
practised from the track's page, one unit per set, their items in order (sets of mode
TRACK). Their answers are stored like any other attempt but train the computer, not
French: the learner model ignores them (`tutoring.learning.state`), and ordinary
practice, adaptive sets, placement and mock exams never choose them
(`content.bank.active_items` and `active_versions` leave track items out unless asked
for a track). Progress on the track is read from the attempts here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, exists, select

from exercises.model import Item
from tutoring.accounts.profiles import LearnerProfile
from tutoring.content.bank import active_items
from tutoring.content.models import ItemVersion
from tutoring.core.database import LearnerKey
from tutoring.core.extensions import db
from tutoring.learning.models import Attempt, PracticeSet, SetMode
from tutoring.learning.practice import PracticeError

TRACK = "numerique"
RIGHT = 0.999  # a score at least this is a right answer


def for_computer(item: Item) -> bool:
    """Whether the item trains something done with a mouse or a keyboard (a phone
    does it another way: the page then shows the phone's wording)."""
    if item.type in ("typing", "tab_form"):
        return True
    return item.type == "pointer" and item.data.get("action") in (
        "double_click",
        "drag",
    )


@dataclass
class TrackUnit:
    """One unit of the track and how far the learner is in it."""

    unit: str
    order: int
    level: str
    title: str
    can_do: str
    items: list[tuple[int, Item]] = field(default_factory=list)  # (version id, item)
    answered: int = 0  # items answered at least once
    right: int = 0  # items answered right at least once
    best: float | None = None  # the best share right of a finished set of the unit
    open_set: int | None = None  # an unfinished set of the unit to continue

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def computer_items(self) -> int:
        return sum(1 for _vid, item in self.items if for_computer(item))

    @property
    def done(self) -> bool:
        """Every item of the unit answered (in one set or several)."""
        return self.answered >= self.total > 0


def _units() -> dict[str, TrackUnit]:
    units: dict[str, TrackUnit] = {}
    for version_id, item in active_items(track=TRACK).values():
        unit = units.get(item.unit)
        if unit is None:
            unit = units[item.unit] = TrackUnit(
                item.unit, item.track_order or 0, item.level, item.unit_title,
                item.can_do,
            )  # fmt: skip
        unit.items.append((version_id, item))
    for unit in units.values():
        unit.items.sort(key=lambda pair: pair[1].id)
    return units


def track_units(profile: LearnerProfile) -> list[TrackUnit]:
    """The track's units in track order, with the learner's progress in each."""
    units = _units()
    rows = db.session.execute(
        select(ItemVersion.unit, ItemVersion.item_id, Attempt.score)
        .join(Attempt, Attempt.item_version_id == ItemVersion.id)
        .where(Attempt.learner_id == profile.id, ItemVersion.track == TRACK)
    ).all()
    answered: dict[str, set[str]] = defaultdict(set)
    right: dict[str, set[str]] = defaultdict(set)
    for unit_name, item_id, score in rows:
        answered[unit_name].add(item_id)
        if score is not None and score >= RIGHT:
            right[unit_name].add(item_id)
    for name, unit in units.items():
        ids = {item.id for _vid, item in unit.items}
        unit.answered = len(answered[name] & ids)
        unit.right = len(right[name] & ids)
    _sets(profile, units)
    return sorted(units.values(), key=lambda u: (u.order, u.unit))


def _sets(profile: LearnerProfile, units: dict[str, TrackUnit]) -> None:
    """Each unit's best finished set and its set to continue."""
    unit_of = {vid: u for u in units.values() for vid, _item in u.items}
    sets = db.session.scalars(
        select(PracticeSet)
        .where(PracticeSet.learner_id == profile.id, PracticeSet.mode == SetMode.TRACK)
        .order_by(PracticeSet.id)
    ).all()
    scores: dict[int, list[float]] = defaultdict(list)
    finished = [s.id for s in sets if s.finished_at is not None]
    for set_id, score in (
        db.session.execute(
            select(Attempt.set_id, Attempt.score).where(Attempt.set_id.in_(finished))
        )
        if finished
        else ()
    ):
        if set_id is not None:
            scores[set_id].append(score or 0.0)
    for practice in sets:
        unit = (
            unit_of.get(practice.item_version_ids[0])
            if practice.item_version_ids
            else None
        )
        if unit is None:
            continue
        if practice.finished_at is None:
            unit.open_set = practice.id
        elif practice.item_version_ids:
            share = sum(scores[practice.id]) / len(practice.item_version_ids)
            unit.best = max(unit.best or 0.0, round(share, 4))


def start_track_set(profile: LearnerProfile, unit_name: str) -> PracticeSet:
    """The learner's unfinished set of this track unit, or a new one: the unit's
    items in order."""
    unit = _units().get(unit_name)
    if unit is None:
        raise PracticeError("no_items")
    ids = [vid for vid, _item in unit.items]
    for existing in db.session.scalars(
        select(PracticeSet)
        .where(
            PracticeSet.learner_id == profile.id,
            PracticeSet.mode == SetMode.TRACK,
            PracticeSet.finished_at.is_(None),
        )
        .order_by(PracticeSet.id.desc())
    ):
        if existing.item_version_ids == ids:
            return existing
    practice = PracticeSet(
        learner_id=profile.id, mode=SetMode.TRACK, level=unit.level, theme=TRACK,
        item_version_ids=ids,
    )  # fmt: skip
    db.session.add(practice)
    db.session.flush()
    return practice


@dataclass(frozen=True)
class TrackProgress:
    """What the referent sees of a learner's track: units done, items right."""

    units: int
    units_done: int
    items: int
    items_right: int
    started: bool

    @property
    def share_right(self) -> float:
        return self.items_right / self.items if self.items else 0.0

    @property
    def finished(self) -> bool:
        return self.units > 0 and self.units_done == self.units


def track_progress(profile: LearnerProfile) -> TrackProgress:
    units = track_units(profile)
    return TrackProgress(
        units=len(units),
        units_done=sum(1 for u in units if u.done),
        items=sum(u.total for u in units),
        items_right=sum(u.right for u in units),
        started=any(u.answered or u.open_set for u in units),
    )


def track_questions(
    learner: LearnerKey,
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """(the learner has touched the track, the track has items) as SQL, to be asked
    in one query with the page's other questions."""
    touched = exists().where(
        Attempt.learner_id == learner,
        Attempt.item_version_id == ItemVersion.id,
        ItemVersion.track == TRACK,
    ) | exists().where(
        PracticeSet.learner_id == learner, PracticeSet.mode == SetMode.TRACK
    )
    available = exists().where(ItemVersion.active, ItemVersion.track == TRACK)
    return touched, available


def track_to_do(profile: LearnerProfile, *, touched: bool, available: bool) -> bool:
    """Whether the track has units the learner has not all done, given the answers
    to `track_questions`. A learner who has never touched the track (most learners,
    on every visit of the home page) costs nothing more; the whole progress is read
    only for one who has."""
    if not touched:
        return available
    progress = track_progress(profile)
    return progress.units > 0 and not progress.finished
