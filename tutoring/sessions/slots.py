"""When a session fits: the places' opening, the half-days a tutor and a learner
both ticked, and the next dates that match all of them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.clock import ZONE, local
from tutoring.pairing import availability
from tutoring.pairing.models import Place

# A place whose hours no referent filled in is taken as open every day 8 a.m. to 9 p.m.
DEFAULT_OPENS = time(8, 0)
DEFAULT_CLOSES = time(21, 0)
REPORT_DAYS = 30  # a session forgotten in the calendar may be recorded this late
BOOKING_DRAFT = "booking_draft"  # a booking to confirm, kept in the browser session


def opening(place: Place) -> tuple[set[int], time, time]:
    """The days (Monday = 0) and the hours the place is open, Millau time."""
    days = {int(c) for c in place.open_days or "" if c.isdigit() and int(c) < 7}
    return days, place.opens_at or DEFAULT_OPENS, place.closes_at or DEFAULT_CLOSES


def is_open(place: Place, starts: datetime, ends: datetime) -> bool:
    """Does the session (aware instants) lie within one opening of the place?"""
    start, end = local(starts), local(ends)
    days, opens, closes = opening(place)
    if start.weekday() not in days or end.date() != start.date():
        return False
    return opens <= start.time() and end.time() <= closes


def closed_dates(
    place: Place, occurrences: list[tuple[datetime, datetime]]
) -> list[datetime]:
    """The occurrences (Millau time) that fall outside the place's opening."""
    return [local(s) for s, e in occurrences if not is_open(place, s, e)]


@dataclass
class Block:
    """A weekly half-day both people ticked, with the places open then."""

    weekday: int
    period: str
    starts: time
    ends: time
    places: list[Place] = field(default_factory=list)
    video: bool = False


def _slots(values: set[str]) -> set[tuple[int, str]]:
    return availability.parse(sorted(values)) or set()


def common_blocks(
    tutor: User, learner: LearnerProfile, places: list[Place]
) -> list[Block]:
    """Half-days free for both, each with the places both can reach that are open
    for the whole half-day (or video, when both accept it); none left out."""
    both = _slots(availability.ticked(tutor)) & _slots(availability.ticked(learner))
    profile = tutor.tutor_profile
    tutor_places = set(profile.place_ids or []) if profile else set()
    reachable = [
        p for p in places
        if (not tutor_places or p.id in tutor_places)
        and (not learner.place_ids or p.id in learner.place_ids)
    ]  # fmt: skip
    video = bool(profile and profile.video_ok and learner.video_ok)
    blocks = []
    for weekday, period in sorted(both, key=lambda s: (s[0], s[1] != "morning")):
        starts, ends = availability.PERIODS[period]
        open_places = []
        for place in reachable:
            days, opens, closes = opening(place)
            if weekday in days and opens <= starts and ends <= closes:
                open_places.append(place)
        if open_places or video:
            blocks.append(Block(weekday, period, starts, ends, open_places, video))
    return blocks


def both_ticked(tutor: User, learner: LearnerProfile) -> bool:
    """Have both people said when they are free (else there is nothing to check)?"""
    return bool(availability.ticked(tutor)) and bool(availability.ticked(learner))


def fits(blocks: list[Block], starts: datetime, ends: datetime) -> bool:
    """Is the session within one of the common half-days?"""
    start, end = local(starts), local(ends)
    return any(
        b.weekday == start.weekday()
        and start.date() == end.date()
        and b.starts <= start.time()
        and end.time() <= b.ends
        for b in blocks
    )


@dataclass
class Proposal:
    day: date
    at: time
    minutes: int
    place: Place | None  # None: video


def next_slots(
    blocks: list[Block],
    now: datetime,
    taken: Callable[[Place | None, datetime, datetime], bool],
    count: int = 3,
    minutes: int = 60,
) -> list[Proposal]:
    """The next dates of the common half-days, from tomorrow, for an hour's session
    at the start of the half-day, in a place free then (`taken` says whether the
    tutor, the learner or the place is already booked)."""
    today = local(now).date()
    out: list[Proposal] = []
    for offset in range(1, 29):
        day = today + timedelta(days=offset)
        for block in blocks:
            if block.weekday != day.weekday():
                continue
            starts = datetime.combine(day, block.starts, tzinfo=ZONE)
            ends = starts + timedelta(minutes=minutes)
            for place in [*block.places, *([None] if block.video else [])]:
                if not taken(place, starts, ends):
                    out.append(Proposal(day, block.starts, minutes, place))
                    break
            if len(out) == count:
                return out
    return out
