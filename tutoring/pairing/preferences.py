"""What a learner needs and what a volunteer offers, and the places: the pages
that fill them read the form, these verbs store it (flushed, never committed)."""

from __future__ import annotations

from datetime import date, time

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile, Sex, TutorProfile
from tutoring.pairing import availability
from tutoring.pairing.models import Place


def record_needs(
    profile: LearnerProfile,
    *,
    slots: set[tuple[int, str]],
    place_ids: list[int],
    video_ok: bool,
    same_sex_tutor: bool,
    reads_latin: bool,
) -> None:
    """The learner's tutoring needs: weekly half-days, places, wishes."""
    availability.save(profile, slots)
    profile.place_ids = place_ids
    profile.video_ok = video_ok
    profile.same_sex_tutor = same_sex_tutor
    profile.reads_latin = reads_latin


def update_tutor_profile(
    tutor: User,
    profile: TutorProfile,
    *,
    slots: set[tuple[int, str]],
    languages: list[str],
    max_learners: int,
    bio: str,
    place_ids: list[int],
    video_ok: bool,
    levels: list[str],
    non_readers: bool,
    workshops: bool,
    sex: str,
    away: tuple[date, date] | None,
) -> None:
    """A volunteer's languages, capacity, availability, places, preferences and
    absence (both days, or none)."""
    profile.languages = languages
    profile.max_learners = max_learners
    profile.bio = bio or None
    profile.place_ids = place_ids
    profile.video_ok = video_ok
    profile.levels = levels
    profile.non_readers = non_readers
    profile.workshops = workshops
    profile.sex = Sex(sex) if sex else None
    profile.away_from, profile.away_until = away or (None, None)
    availability.save(tutor, slots)


def set_place(
    place: Place,
    *,
    name: str,
    capacity: int,
    address: str,
    accessibility: str,
    opening_hours: str,
    step_free: bool,
    active: bool,
    open_days: str = "0123456",
    opens_at: time | None = None,
    closes_at: time | None = None,
) -> None:
    """Fill a place where sessions happen (a new one is then added by the caller)."""
    place.name = name
    place.capacity = capacity
    place.address = address
    place.accessibility = accessibility
    place.opening_hours = opening_hours
    place.step_free = step_free
    place.active = active
    place.open_days = open_days
    place.opens_at = opens_at
    place.closes_at = closes_at
