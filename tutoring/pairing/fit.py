"""The fit between a learner's needs and a volunteer's offer, suggestions for one learner,
and the optimal proposal for a whole structure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from tutoring.accounts.models import User
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.extensions import db
from tutoring.pairing.models import Availability, Pairing, Place
from tutoring.pairing.pairings import OPEN, tutors_of, waiting_learners

if TYPE_CHECKING:
    import numpy as np

# numpy and scipy are imported by the functions that use them (the referent's optimal
# proposal): a web worker that never draws one does not carry them (about 60 MB).


@dataclass
class Suggestion:
    """A tutor's fit for a learner, with the reasons the referent reads in words."""

    tutor: User
    score: float
    shared_languages: list[str] = field(default_factory=list)
    capacity_left: int = 0
    level_fit: bool = True
    overlap_minutes: int | None = None  # None: someone's availability is unknown
    places: list[str] = field(default_factory=list)
    video: bool = False
    reading_fit: bool | None = None  # None: the learner reads the Latin alphabet
    sex_mismatch: bool = False
    away: bool = False


@dataclass
class Needs:
    """What the pairing fit reads of a learner, loaded once per page."""

    profile: LearnerProfile
    slots: list[tuple[int, int, int]]  # weekday, start minute, end minute


@dataclass
class Offer:
    """What the pairing fit reads of a tutor, loaded once per page."""

    tutor: User
    load: int
    slots: list[tuple[int, int, int]]


def _minutes(at: time) -> int:
    return at.hour * 60 + at.minute


def weekly_slots(
    *, user_ids: set[int] | None = None, learner_ids: set[int] | None = None
) -> dict[int, list[tuple[int, int, int]]]:
    """Weekly availability of tutors (by user id) or learners (by profile id)."""
    column = Availability.user_id if user_ids is not None else Availability.learner_id
    ids = user_ids if user_ids is not None else learner_ids or set()
    found: dict[int, list[tuple[int, int, int]]] = {i: [] for i in ids}
    if not ids:
        return found
    for owner, weekday, starts, ends in db.session.execute(
        select(column, Availability.weekday, Availability.starts, Availability.ends)
        .where(column.in_(ids))
    ):  # fmt: skip
        assert owner is not None  # in_(ids) leaves out the rows without an owner
        found[owner].append((weekday, _minutes(starts), _minutes(ends)))
    return found


def overlap(a: list[tuple[int, int, int]], b: list[tuple[int, int, int]]) -> int:
    """Minutes per week both are free."""
    return sum(
        max(0, min(e1, e2) - max(s1, s2))
        for d1, s1, e1 in a
        for d2, s2, e2 in b
        if d1 == d2
    )


def fit(
    needs: Needs, offer: Offer, place_names: dict[int, str], today: date
) -> Suggestion:
    """Score a tutor for a learner, with the reasons in words the page can show.

    Weekly hours in common weigh most (up to 4 points), then a shared language (3),
    a place both can reach (2; video for both: 1), the tutor's levels, reading
    (a learner who cannot read yet needs a tutor ready for it), free places, and
    the learner's wish for a tutor of the same sex. A full or absent tutor is never
    proposed.
    """
    profile, tutor = needs.profile, offer.tutor
    tp = tutor.tutor_profile
    assert tp is not None
    spoken = set(profile.languages or []) - {"fr"}
    shared = sorted(spoken & set(tp.languages or []))
    left = max(0, tp.max_learners - offer.load)
    score = (3.0 if shared else 0.0) + min(left, 3) * 0.5
    together: int | None = None
    if needs.slots and offer.slots:
        together = overlap(needs.slots, offer.slots)
        score += min(together / 60, 4.0) if together else -2.0
    common = sorted(set(profile.place_ids or []) & set(tp.place_ids or []))
    video = bool(profile.video_ok and tp.video_ok)
    score += 2.0 if common else 1.0 if video else 0.0
    level_fit = not tp.levels or (profile.practice_level or "A1") in tp.levels
    score += 0.0 if level_fit else -2.0
    reading = None
    if not profile.reads_latin:
        reading = tp.non_readers
        score += 1.0 if reading else -3.0
    mismatch = bool(
        profile.same_sex_tutor and profile.sex and tp.sex and profile.sex != tp.sex
    )
    score -= 5.0 if mismatch else 0.0
    away = bool(
        tp.away_from and tp.away_until and tp.away_from <= today <= tp.away_until
    )
    if left == 0 or away:
        score = -100.0  # never proposed
    return Suggestion(
        tutor=tutor, score=score, shared_languages=shared, capacity_left=left,
        level_fit=level_fit, overlap_minutes=together,
        places=[place_names[i] for i in common if i in place_names], video=video,
        reading_fit=reading, sex_mismatch=mismatch, away=away,
    )  # fmt: skip


def _offers(structure_id: int | None) -> list[Offer]:
    tutors = tutors_of(structure_id)
    ids = {t.id for t in tutors}
    loads: dict[int, int] = dict.fromkeys(ids, 0)
    if ids:
        for tutor_id, n in db.session.execute(
            select(Pairing.tutor_id, func.count())
            .where(Pairing.tutor_id.in_(ids), Pairing.status.in_(OPEN))
            .group_by(Pairing.tutor_id)
        ):  # fmt: skip
            loads[tutor_id] = n
    slots = weekly_slots(user_ids=ids)
    return [Offer(t, loads[t.id], slots[t.id]) for t in tutors]


def _needs(profiles: list[LearnerProfile]) -> list[Needs]:
    slots = weekly_slots(learner_ids={p.id for p in profiles})
    return [Needs(p, slots[p.id]) for p in profiles]


def place_names(structure_id: int | None) -> dict[int, str]:
    rows = db.session.execute(
        select(Place.id, Place.name).where(Place.structure_id == structure_id)
    )
    return {place_id: name for place_id, name in rows}


def suggestions(profile: LearnerProfile) -> list[Suggestion]:
    """Approved tutors of the learner's structure with a free place, best fit first."""
    names = place_names(profile.structure_id)
    needs = _needs([profile])[0]
    today = date.today()
    ranked = [fit(needs, o, names, today) for o in _offers(profile.structure_id)]
    return sorted((s for s in ranked if s.score > -100), key=lambda s: -s.score)


BIN = 15  # minutes: availability is compared on a grid of quarter hours


WEEK_BINS = 7 * 24 * 60 // BIN


def _week_grid(slots: list[tuple[int, int, int]]) -> np.ndarray:
    import numpy as np
    grid = np.zeros(WEEK_BINS, dtype=np.float32)
    for day, start, end in slots:
        grid[(day * 1440 + start) // BIN : (day * 1440 + end) // BIN] = 1.0
    return grid


def _one_hot(rows: list[set[Any]], keys: list[Any]) -> np.ndarray:
    import numpy as np
    index = {k: i for i, k in enumerate(keys)}
    out = np.zeros((len(rows), max(1, len(keys))), dtype=np.float32)
    for r, values in enumerate(rows):
        for value in values:
            if value in index:
                out[r, index[value]] = 1.0
    return out


def fit_matrix(needs: list[Needs], offers: list[Offer], today: date) -> np.ndarray:
    """The scores of `fit` for every learner × tutor at once, with numpy (the same
    rules; a test checks they agree), so that hundreds of learners and tutors are
    weighed in well under a second."""
    import numpy as np
    learners = [n.profile for n in needs]
    tutors = [o.tutor.tutor_profile for o in offers]
    assert all(t is not None for t in tutors)
    tps = [t for t in tutors if t is not None]
    languages = sorted({c for p in learners for c in (p.languages or [])} - {"fr"})
    shared = (
        _one_hot([set(p.languages or []) - {"fr"} for p in learners], languages)
        @ _one_hot([set(t.languages or []) for t in tps], languages).T
    ) > 0
    score = np.where(shared, 3.0, 0.0)
    left = np.array(
        [max(0, t.max_learners - o.load) for t, o in zip(tps, offers, strict=True)]
    )
    score += np.minimum(left, 3)[None, :] * 0.5
    a = np.array([_week_grid(n.slots) for n in needs])
    b = np.array([_week_grid(o.slots) for o in offers])
    together = (a @ b.T) * BIN
    known = np.outer([bool(n.slots) for n in needs], [bool(o.slots) for o in offers])
    score += np.where(
        known, np.where(together > 0, np.minimum(together / 60, 4.0), -2.0), 0.0
    )
    places = sorted({i for p in learners for i in (p.place_ids or [])})
    common = (
        _one_hot([set(p.place_ids or []) for p in learners], places)
        @ _one_hot([set(t.place_ids or []) for t in tps], places).T
    ) > 0
    video = np.outer([p.video_ok for p in learners], [t.video_ok for t in tps])
    score += np.where(common, 2.0, np.where(video, 1.0, 0.0))
    levels = sorted({p.practice_level or "A1" for p in learners})
    wanted = _one_hot([{p.practice_level or "A1"} for p in learners], levels)
    offered = np.array(
        [[1.0 if not t.levels or lv in t.levels else 0.0 for lv in levels] for t in tps]
    ).reshape(len(tps), max(1, len(levels)))
    score += np.where((wanted @ offered.T) > 0, 0.0, -2.0)
    cannot_read = np.array([not p.reads_latin for p in learners])
    ready = np.array([t.non_readers for t in tps])
    score += np.where(cannot_read[:, None], np.where(ready[None, :], 1.0, -3.0), 0.0)
    sexes = [p.sex if p.same_sex_tutor else None for p in learners]
    mismatch = np.array(
        [[bool(s and t.sex and s != t.sex) for t in tps] for s in sexes]
    ).reshape(len(learners), len(tps))
    score -= np.where(mismatch, 5.0, 0.0)
    away = np.array(
        [bool(t.away_from and t.away_until and t.away_from <= today <= t.away_until)
         for t in tps]
    )  # fmt: skip
    blocked = (left == 0) | away
    score[:, blocked] = -100.0
    return score


def optimal_proposal(structure_id: int | None) -> list[Suggestion | None]:
    """Assign waiting learners to tutors maximising the total fit under capacities.

    Each tutor appears once per free place; scipy's Hungarian algorithm picks the
    assignment. Returns, per waiting learner (same order), the chosen tutor or None
    (also when the best left is a tutor who cannot be proposed).
    """
    import numpy as np
    from scipy.optimize import linear_sum_assignment
    learners = waiting_learners(structure_id)
    offers = [o for o in _offers(structure_id) if o.tutor.tutor_profile]
    today = date.today()
    free = [max(0, o.tutor.tutor_profile.max_learners - o.load) for o in offers]  # type: ignore[union-attr]
    if not learners or not sum(free):
        return [None] * len(learners)
    needs = _needs(learners)
    scores = fit_matrix(needs, offers, today)
    columns = np.repeat(np.arange(len(offers)), free)  # one column per free place
    rows, cols = linear_sum_assignment(scores[:, columns], maximize=True)
    names = place_names(structure_id)
    result: list[Suggestion | None] = [None] * len(learners)
    for row, col in zip(rows, cols, strict=True):
        chosen = fit(needs[row], offers[columns[col]], names, today)
        result[row] = chosen if chosen.score > -100 else None
    return result
