"""Weekly availability as half-days a person ticks, and the places the referents list."""

from __future__ import annotations

from datetime import time

from sqlalchemy import ColumnElement, delete, select

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.pairing.models import Availability, Place

# Three periods a day, Millau time: simple to tick on a phone, with the person.
PERIODS: dict[str, tuple[time, time]] = {
    "morning": (time(9, 0), time(12, 0)),
    "afternoon": (time(14, 0), time(17, 30)),
    "evening": (time(17, 30), time(20, 0)),
}


WEEKDAYS = range(7)  # Monday = 0


def _owner(owner: User | LearnerProfile) -> ColumnElement[bool]:
    if isinstance(owner, User):
        return Availability.user_id == owner.id
    return Availability.learner_id == owner.id


def ticked(owner: User | LearnerProfile) -> set[str]:
    """The half-days ticked, as "weekday:period" values of the form."""
    by_times = {times: name for name, times in PERIODS.items()}
    values = set()
    for slot in db.session.scalars(select(Availability).where(_owner(owner))):
        name = by_times.get((slot.starts, slot.ends))
        if name:
            values.add(f"{slot.weekday}:{name}")
    return values


def parse(values: list[str]) -> set[tuple[int, str]] | None:
    """Read ticked boxes; None when one was forged."""
    out = set()
    for value in values:
        day, _sep, period = value.partition(":")
        if not day.isdigit() or int(day) not in WEEKDAYS or period not in PERIODS:
            return None
        out.add((int(day), period))
    return out


def save(owner: User | LearnerProfile, slots: set[tuple[int, str]]) -> None:
    """Replace the person's weekly availability."""
    db.session.execute(delete(Availability).where(_owner(owner)))
    for day, period in sorted(slots):
        starts, ends = PERIODS[period]
        db.session.add(
            Availability(
                user_id=owner.id if isinstance(owner, User) else None,
                learner_id=owner.id if isinstance(owner, LearnerProfile) else None,
                weekday=day,
                starts=starts,
                ends=ends,
            )
        )


def places_of(structure_id: int | None, *, active_only: bool = True) -> list[Place]:
    stmt = select(Place).where(Place.structure_id == structure_id)
    if active_only:
        stmt = stmt.where(Place.active)
    return list(db.session.scalars(stmt.order_by(Place.name)))


def place_ids(structure_id: int | None, values: list[str]) -> list[int] | None:
    """Read ticked places of the structure; None when one was forged."""
    known = {p.id for p in places_of(structure_id)}
    ids = []
    for value in values:
        if not value.isdigit() or int(value) not in known:
            return None
        ids.append(int(value))
    return sorted(set(ids))
