"""The SQL behind the CTAI indicators: one aggregate query per group of figures."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from copy import deepcopy
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import wraps
from typing import Any, TypeVar, TypeVarTuple

from flask import current_app, g, has_app_context
from sqlalchemy import (
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.selectable import CTE, CompoundSelect, Subquery

from exercises.civic import PASS_MARK
from exercises.model import SKILLS
from tutoring.accounts.profiles import LearnerProfile
from tutoring.core.clock import local_midnight
from tutoring.core.database import UTCDateTime
from tutoring.core.extensions import db
from tutoring.exams.models import CivicExam, LanguageExam
from tutoring.indicators.listeners import ALL_PARTNERS, ALL_PUBLICS
from tutoring.indicators.models import (
    LEVEL_RANKS,
    LearnerLevels,
    LearnerOutcome,
    LearnerYear,
    PracticeDay,
    PracticeMonth,
    SessionMonth,
    TutorMonth,
)
from tutoring.learning.models import Assignment, ExternalLevel
from tutoring.pairing.models import Pairing, PairingStatus
from tutoring.sessions.models import Attendance, SessionStatus, TutoringSession

GOAL_RANKS = {"a2": 3, "b1": 4, "b2": 5}


LP = LearnerProfile


@dataclass(frozen=True)
class Scope:
    """A period of whole days (Millau time, both ends included) and the filters."""

    start: date
    end: date
    category: str | None = None
    partner_id: int | None = None

    @property
    def since(self) -> datetime:
        return local_midnight(self.start)

    @property
    def until(self) -> datetime:
        """The first instant after the period."""
        return local_midnight(self.end + timedelta(days=1))


def _learner_filter(scope: Scope, table: Any = LP) -> list[ColumnElement[bool]]:
    """The scope's filter on learners, on their enrolment or on the copy of it that
    `learner_years` holds."""
    clauses: list[ColumnElement[bool]] = []
    if scope.category:
        clauses.append(table.public_category == scope.category)
    if scope.partner_id:
        clauses.append(table.partner_id == scope.partner_id)
    return clauses


def _scalar(statement: Select[Any]) -> Any:
    return db.session.execute(statement).scalar()


def _median(values: Subquery) -> Any:
    """Return the median of column `v` of `values`, computed by the database."""
    ordered = select(
        values.c.v,
        func.row_number().over(order_by=values.c.v).label("rn"),
        func.count().over().label("n"),
    ).subquery()
    middle = select(func.avg(ordered.c.v)).where(
        ordered.c.rn.in_([(ordered.c.n + 1) // 2, (ordered.c.n + 2) // 2])
    )
    return _scalar(middle)


def _days_between(later: Any, earlier: Any) -> ColumnElement[float | Decimal]:
    """Return `later - earlier` in days, as a number (a Decimal on PostgreSQL), on
    SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


F = TypeVar("F", bound=Callable[..., Any])
Row = TypeVarTuple("Row")


def _key(function: Callable[..., Any], args: tuple[Any, ...]) -> tuple[Any, ...]:
    return (function.__name__, *(tuple(a) if isinstance(a, list) else a for a in args))


def per_request(function: F) -> F:
    """Compute a group of figures once per request (a page shows the same figure
    in several places, and complementary suppression needs other groups)."""

    @wraps(function)
    def wrapper(*args: Any) -> Any:
        if not has_app_context():
            return function(*args)
        cache = g.setdefault("_indicators", {})
        key = _key(function, args)
        if key not in cache:
            cache[key] = function(*args)
        return deepcopy(cache[key])

    return wrapper  # type: ignore[return-value]


def prefetch(calls: list[tuple[Callable[..., Any], tuple[Any, ...]]]) -> None:
    """Compute these `per_request` groups at the same time, each on its own
    database connection, and keep their results for this request.

    Only on PostgreSQL, whose server runs the queries on several cores (SQLite,
    for development and tests, computes them one after the other when asked).
    The threads read committed data: the pages that call this never write."""
    threads = current_app.config["INDICATORS_THREADS"]
    if db.engine.dialect.name != "postgresql" or threads < 2:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    cache = g.setdefault("_indicators", {})
    todo = [(f, args) for f, args in calls if _key(f, args) not in cache]

    def run(function: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        with app.app_context():
            try:
                return function.__wrapped__(*args)  # type: ignore[attr-defined]
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [(f, args, pool.submit(run, f, args)) for f, args in todo]
        for function, args, future in futures:
            cache[_key(function, args)] = future.result()


Tile = tuple[str, date, date]  # ("year" | "month" | "day", first day, last day)


def _month_end(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def tiles(start: date, end: date) -> list[Tile]:
    """Split the days from `start` to `end` into runs of whole calendar years, whole
    months and single days, so that each run reads the coarsest rollup."""
    pieces: list[Tile] = []
    day = start
    while day <= end:
        if (day.month, day.day) == (1, 1) and date(day.year, 12, 31) <= end:
            grain, last = "year", date(day.year, 12, 31)
        elif day.day == 1 and _month_end(day) <= end:
            grain, last = "month", _month_end(day)
        else:
            grain, last = "day", min(end, _month_end(day))
        if pieces and pieces[-1][0] == grain:
            pieces[-1] = (grain, pieces[-1][1], last)
        else:
            pieces.append((grain, day, last))
        day = last + timedelta(days=1)
    return pieces


def whole_months(scope: Scope) -> bool:
    """Whether the period is made of whole calendar months (no day tile)."""
    return all(grain != "day" for grain, _first, _last in tiles(scope.start, scope.end))


def _practice(scope: Scope) -> list[Select[*tuple[Any, ...]]]:
    """Selects of rollup rows (learner_id, attempts, v = time_ms) covering the
    period: one per learner and year, month or day tile (a learner may have
    several)."""
    parts = []
    for grain, first, last in tiles(scope.start, scope.end):
        if grain == "year":
            table: Any = LearnerYear
            where = and_(
                LearnerYear.year.between(first.year, last.year),
                LearnerYear.practised != 0,
            )
        elif grain == "month":
            table, where = PracticeMonth, PracticeMonth.month.between(first, last)
        else:
            table, where = PracticeDay, PracticeDay.day.between(first, last)
        parts.append(
            select(table.learner_id, table.attempts, table.time_ms.label("v")).where(
                where
            )
        )
    return parts


def _active_in(months: int) -> ColumnElement[bool]:
    """`learner_years` rows with practice or tutoring in one of these months."""
    return LearnerYear.practised.op("|")(LearnerYear.tutored).op("&")(months) != 0


def _month_bits(scope: Scope) -> dict[int, int]:
    """The whole months of the period, as bits of each year (bit m-1: month m)."""
    bits: dict[int, int] = {}
    for grain, first, last in tiles(scope.start, scope.end):
        if grain == "day":
            continue
        for month in months_between(first, last):
            bits[month.year] = bits.get(month.year, 0) | 1 << (month.month - 1)
    return bits


def active_learner_ids(scope: Scope) -> Select[Any] | CompoundSelect[Any]:
    """Learners with practice or an attended tutoring session in the period: the
    bits of `learner_years` for whole months, the day rollup and the session rows
    for the days of a partial month."""
    parts: list[Select[Any]] = []
    for year, bits in _month_bits(scope).items():
        parts.append(
            select(LearnerYear.learner_id.label("learner_id")).where(
                LearnerYear.year == year, _active_in(bits)
            )
        )
    for grain, first, last in tiles(scope.start, scope.end):
        if grain == "day":
            parts += [
                select(PracticeDay.learner_id).where(
                    PracticeDay.day.between(first, last)
                ),
                select(TutoringSession.learner_id).where(
                    _ATTENDED, _sessions_between(first, last)
                ),
            ]
    return parts[0] if len(parts) == 1 else union(*parts)


def beneficiaries(scope: Scope) -> dict[str, int]:
    """Return active learners, new enrolments and the cumulative count."""
    active = sum(active_by_all(scope)["public_category"].values())
    return {"active": active, **enrolments(scope)}


@per_request
def enrolments(scope: Scope) -> dict[str, int]:
    """Return new enrolments in the period and enrolments since the start."""
    new, cumulative = db.session.execute(
        select(
            func.count().filter(LP.enrolled_at >= scope.since),
            func.count(),
        )
        .where(LP.enrolled_at < scope.until)
        .where(*_learner_filter(scope))
    ).one()
    return {"new": new or 0, "cumulative": cumulative or 0}


DIMENSIONS = ("public_category", "sex", "age_band", "partner_id", "years_since_arrival")


@per_request
def active_by_all(scope: Scope) -> dict[str, dict[str, int]]:
    """Return active learners counted by each attribute of their enrolment.

    One query groups by all five attributes together; the five margins are then
    summed from those aggregate counts (never from rows about people).
    """
    bits = _month_bits(scope)
    if len(bits) == 1 and whole_months(scope):
        # Whole months of one year: `learner_years` alone, with its copy of the
        # learners' attributes.
        ((year, months),) = bits.items()
        table: Any = LearnerYear
        where = [
            LearnerYear.year == year,
            _active_in(months),
            *_learner_filter(scope, LearnerYear),
        ]
        source: Any = LearnerYear
    else:
        table = LP
        active = active_learner_ids(scope).subquery()
        where = _learner_filter(scope)
        source = active.join(LP, LP.id == active.c.learner_id)
    years = scope.end.year - table.arrival_year
    arrival = case((years >= 5, "5+"), (years <= 0, "0"), else_=cast(years, db.String))
    columns = [
        table.public_category,
        table.sex,
        table.age_band,
        table.partner_id,
        arrival,
    ]
    rows = db.session.execute(
        select(*columns, func.count())
        .select_from(source)
        .where(*where)
        .group_by(*columns)
    ).all()
    margins: dict[str, dict[str, int]] = {d: {} for d in DIMENSIONS}
    for row in rows:
        n = int(row[-1])
        for dimension, key in zip(DIMENSIONS, row[:-1], strict=True):
            name = "" if key is None else str(getattr(key, "value", key))
            margins[dimension][name] = margins[dimension].get(name, 0) + n
    return margins


def active_by(scope: Scope, dimension: str) -> dict[str, int]:
    """Return active learners counted by one attribute of their enrolment."""
    return active_by_all(scope)[dimension]


def _one_row_per_learner(scope: Scope) -> bool:
    """Whether the period is one calendar year or one month: its rollup rows are
    then one per learner, with nothing to add up."""
    pieces = tiles(scope.start, scope.end)
    if len(pieces) != 1:
        return False
    grain, first, last = pieces[0]
    if grain == "year":
        return first.year == last.year
    return grain == "month" and first.replace(day=1) == last.replace(day=1)


def _per_learner(
    parts: list[Select[*tuple[Any, ...]]], scope: Scope, *names: str
) -> Subquery:
    """(learner_id, *names) of the scope's learners, summed per learner over the
    tiles' rollup rows (`parts`); read as they are when there is one row each."""
    rows = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    if _one_row_per_learner(scope):
        statement = select(rows.c.learner_id, *(rows.c[name] for name in names))
        return _for_learners(statement, rows.c.learner_id, scope).subquery()
    statement = select(
        rows.c.learner_id, *(func.sum(rows.c[name]).label(name) for name in names)
    )
    return (
        _for_learners(statement, rows.c.learner_id, scope)
        .group_by(rows.c.learner_id)
        .subquery()
    )


def _count_sum_median(values: Subquery, *extra: Any) -> tuple[Any, ...]:
    """Count of rows, sum and median of column `v`, then the `extra` aggregates.

    PostgreSQL reads the rows once (`percentile_cont`); SQLite has no ordered-set
    aggregate, so the median is a second query there."""
    aggregates = [func.count(), func.sum(values.c.v), *extra]
    if db.engine.dialect.name == "postgresql":
        median = func.percentile_cont(0.5).within_group(values.c.v)
        return tuple(db.session.execute(select(*aggregates, median)).one())
    row = tuple(db.session.execute(select(*aggregates)).one())
    return (*row, _median(values))


@per_request
def practice(scope: Scope) -> dict[str, Any]:
    """Return learners practising, exercises done, time and homework completion."""
    per_learner = _per_learner(_practice(scope), scope, "attempts", "v")
    learners, time_ms, attempts, median_ms = _count_sum_median(
        per_learner, func.sum(per_learner.c.attempts)
    )
    due = _for_learners(
        select(Assignment.learner_id, Assignment.completed_at).where(
            Assignment.due_on.between(scope.start, scope.end)
        ),
        Assignment.learner_id,
        scope,
    ).subquery()
    done = and_(due.c.completed_at.is_not(None))
    homework_learners, homework_due, homework_done = db.session.execute(
        select(
            func.count(func.distinct(due.c.learner_id)),
            func.count(),
            func.sum(case((done, 1), else_=0)),
        )
    ).one()
    return {
        "learners": learners or 0,
        "attempts": int(attempts or 0),
        "hours": float(time_ms or 0) / 3_600_000,
        "median_hours": None if median_ms is None else float(median_ms) / 3_600_000,
        "homework_learners": homework_learners or 0,
        "homework_due": homework_due or 0,
        "homework_done": int(homework_done or 0),
    }


def _level_rank(column: Any) -> ColumnElement[int]:
    return case(*((column == lvl, n) for lvl, n in LEVEL_RANKS.items()), else_=0)


def _skills_cte() -> CTE:
    rows = [select(literal(s).label("skill")) for s in SKILLS]
    return union_all(*rows).cte("skills")


_ENTRY = {skill: f"entry_{skill.lower()}" for skill in SKILLS}


_LATEST = {skill: f"latest_{skill.lower()}" for skill in SKILLS}


def _levels_known_later(scope: Scope) -> Subquery:
    """Per learner whose levels changed after the period, one row in the shape of
    `learner_levels`, recomputed from the raw rows taken up to the period's end."""
    changed = select(LearnerLevels.learner_id).where(LearnerLevels.last_on > scope.end)
    skills = _skills_cte()
    partition = (ExternalLevel.learner_id, skills.c.skill)
    expanded = (
        select(
            ExternalLevel.learner_id,
            skills.c.skill,
            _level_rank(ExternalLevel.level).label("rank"),
            func.row_number()
            .over(
                partition_by=partition,
                order_by=(ExternalLevel.taken_on, ExternalLevel.id),
            )
            .label("n"),
            func.count().over(partition_by=partition).label("total"),
        )
        .join(
            skills,
            or_(ExternalLevel.skill.is_(None), ExternalLevel.skill == skills.c.skill),
        )
        .where(ExternalLevel.taken_on <= scope.end)
        .where(ExternalLevel.learner_id.in_(changed))
        .subquery()
    )
    # One sort: the first level is row 1, the latest the last row of its partition.
    columns = []
    for skill in SKILLS:
        on_skill = expanded.c.skill == skill
        first = and_(on_skill, expanded.c.n == 1)
        last = and_(on_skill, expanded.c.n == expanded.c.total)
        columns += [
            func.max(case((first, expanded.c.rank))).label(_ENTRY[skill]),
            func.max(case((last, expanded.c.rank))).label(_LATEST[skill]),
        ]
    return (
        select(expanded.c.learner_id, *columns)
        .group_by(expanded.c.learner_id)
        .subquery()
    )


def _levels(scope: Scope) -> Subquery:
    """First and latest level per skill, one row per learner with a level by the
    period's end: the `learner_levels` rollup, or the raw rows for the learners
    whose levels changed after the period."""
    columns = [name for skill in SKILLS for name in (_ENTRY[skill], _LATEST[skill])]
    current = select(
        LearnerLevels.learner_id, *(LearnerLevels.__table__.c[c] for c in columns)
    ).where(LearnerLevels.last_on <= scope.end)
    later = _levels_known_later(scope)
    return union_all(
        current, select(later.c.learner_id, *(later.c[c] for c in columns))
    ).subquery()


@per_request
def progress(scope: Scope) -> dict[str, Any]:
    """Return gains since entry and learners at their target, by skill and overall."""
    levels = _levels(scope)
    goal = case(*((LP.goal == g_, n) for g_, n in GOAL_RANKS.items()), else_=99)
    gains = {
        skill: levels.c[_LATEST[skill]] > levels.c[_ENTRY[skill]] for skill in SKILLS
    }
    at_goal = and_(*(levels.c[_LATEST[skill]] >= goal for skill in SKILLS))
    row = db.session.execute(
        select(
            func.sum(case((or_(*gains.values()), 1), else_=0)),
            func.sum(case((at_goal, 1), else_=0)),
            *(
                func.sum(case((levels.c[_ENTRY[skill]].is_not(None), 1), else_=0))
                for skill in SKILLS
            ),
            *(func.sum(case((gains[skill], 1), else_=0)) for skill in SKILLS),
        )
        .join(LP, LP.id == levels.c.learner_id)
        .where(*_learner_filter(scope))
    ).one()
    gained, at_target = row[0], row[1]
    n = len(SKILLS)
    by_skill = {
        skill: (int(row[2 + i] or 0), int(row[2 + n + i] or 0))
        for i, skill in enumerate(SKILLS)
    }
    return {
        "by_skill": by_skill,
        "gained": int(gained or 0),
        "at_target": int(at_target or 0),
    }


@per_request
def exams(scope: Scope) -> dict[str, int]:
    """Return mock exams taken and passed in the period: civic (32/40), and French per
    skill and in all four skills of one exam (outcomes stored when it finished)."""
    civic = (
        select(
            func.count(func.distinct(CivicExam.learner_id)),
            func.count(
                func.distinct(
                    case((CivicExam.score >= PASS_MARK, CivicExam.learner_id))
                )
            ),
        )
        .join(LP, LP.id == CivicExam.learner_id)
        .where(CivicExam.submitted_at >= scope.since)
        .where(CivicExam.submitted_at < scope.until)
        .where(*_learner_filter(scope))
    )
    civic_taken, civic_passed = db.session.execute(civic).one()
    passed = {
        skill.lower(): getattr(LanguageExam, f"passed_{skill.lower()}").is_(True)
        for skill in SKILLS
    }

    def learners_where(condition: ColumnElement[bool]) -> Any:
        return func.count(func.distinct(case((condition, LanguageExam.learner_id))))

    language = (
        select(
            func.count(func.distinct(LanguageExam.learner_id)),
            *(learners_where(c) for c in passed.values()),
            learners_where(and_(*passed.values())),
        )
        .join(LP, LP.id == LanguageExam.learner_id)
        .where(LanguageExam.finished_at >= scope.since)
        .where(LanguageExam.finished_at < scope.until)
        .where(*_learner_filter(scope))
    )
    language_taken, *by_skill, all_four = db.session.execute(language).one()
    return {
        "civic_taken": civic_taken or 0,
        "civic_passed": civic_passed or 0,
        "language_taken": language_taken or 0,
        **{
            f"language_passed_{skill}": n or 0
            for skill, n in zip(passed, by_skill, strict=True)
        },
        "language_passed_all": all_four or 0,
    }


@per_request
def outcomes(scope: Scope) -> dict[str, int]:
    """Return learners with each outcome recorded as obtained in the period."""
    rows = db.session.execute(
        select(
            LearnerOutcome.kind, func.count(func.distinct(LearnerOutcome.learner_id))
        )
        .join(LP, LP.id == LearnerOutcome.learner_id)
        .where(LearnerOutcome.obtained_on.between(scope.start, scope.end))
        .where(*_learner_filter(scope))
        .group_by(LearnerOutcome.kind)
    ).all()
    return {kind.value: int(n) for kind, n in rows}


_STARTED = (PairingStatus.ACTIVE, PairingStatus.ENDED)


@per_request
def pairings(scope: Scope) -> dict[str, Any]:
    """Return pairings started, running and ended, and the waiting list."""
    started = and_(Pairing.status.in_(_STARTED), Pairing.responded_at.is_not(None))
    begun = Pairing.responded_at < scope.until
    new, active, ended = db.session.execute(
        _for_learners(
            select(
                func.count().filter(
                    started, begun, Pairing.responded_at >= scope.since
                ),
                func.count().filter(
                    started,
                    begun,
                    or_(Pairing.ended_at.is_(None), Pairing.ended_at >= scope.since),
                ),
                func.count().filter(
                    Pairing.status == PairingStatus.ENDED,
                    Pairing.ended_at >= scope.since,
                    Pairing.ended_at < scope.until,
                ),
            ),
            Pairing.learner_id,
            scope,
        )
    ).one()
    first_at = LP.first_paired_at
    # One pass over the learners: those enrolled and not yet paired at the end of
    # the period (the waiting list), and the wait of those first paired in it.
    waited = and_(first_at >= scope.since, first_at < scope.until)
    learners = (
        select(
            case(
                (
                    and_(
                        or_(LP.erased_at.is_(None), LP.erased_at >= scope.until),
                        or_(first_at.is_(None), first_at >= scope.until),
                    ),
                    1,
                ),
                else_=0,
            ).label("waiting"),
            case((waited, _days_between(first_at, LP.enrolled_at))).label("v"),
        )
        .where(LP.enrolled_at < scope.until)
        .where(*_learner_filter(scope))
        .subquery()
    )
    waits = select(learners.c.v.label("v")).where(learners.c.v.is_not(None)).subquery()
    waiting = func.sum(learners.c.waiting)
    if db.engine.dialect.name == "postgresql":
        waiting_n, waited_n, median = db.session.execute(
            select(
                waiting,
                func.count(learners.c.v),
                func.percentile_cont(0.5).within_group(learners.c.v),
            )
        ).one()
    else:
        waiting_n, waited_n = db.session.execute(
            select(waiting, func.count(learners.c.v))
        ).one()
        median = _median(waits)
    return {
        "new": new or 0,
        "active": active or 0,
        "ended": ended or 0,
        "waiting": int(waiting_n or 0),
        "first_paired": waited_n or 0,
        "median_wait_days": None if median is None else float(median),
    }


def months_between(first: date, last: date) -> list[date]:
    """Return the first day of every month from `first`'s to `last`'s."""
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def _months_cte(months: list[date]) -> CTE:
    rows = []
    for i, month in enumerate(months):
        following = (month + timedelta(days=32)).replace(day=1)
        rows.append(
            select(
                literal(i).label("idx"),
                literal(month, db.Date).label("first_day"),
                literal(following - timedelta(days=1), db.Date).label("last_day"),
                literal(local_midnight(month), UTCDateTime()).label("since"),
                literal(local_midnight(following), UTCDateTime()).label("until"),
            )
        )
    return union_all(*rows).cte("months")


def _people_by_month(scope: Scope, months: list[date]) -> dict[str, list[int]]:
    """Learners active, practising and tutored in each month. `learner_years` rows
    are counted by year and by their two sets of months (a few thousand groups at
    national scale, whatever the number of learners); the months are then read from
    those counts."""
    index = {month: i for i, month in enumerate(months)}
    result = {key: [0] * len(months) for key in ("active", "practising", "tutored")}
    groups = (
        select(
            LearnerYear.year, LearnerYear.practised, LearnerYear.tutored, func.count()
        )
        .where(LearnerYear.year.between(months[0].year, months[-1].year))
        .where(*_learner_filter(scope, LearnerYear))
        .group_by(LearnerYear.year, LearnerYear.practised, LearnerYear.tutored)
    )
    for year, practised, tutored, n in db.session.execute(groups):
        for m in range(12):
            i = index.get(date(int(year), m + 1, 1))
            if i is None:
                continue
            bit = 1 << m
            if (practised | tutored) & bit:
                result["active"][i] += n
            if practised & bit:
                result["practising"][i] += n
            if tutored & bit:
                result["tutored"][i] += n
    return result


@per_request
def trend(scope: Scope, months: list[date]) -> dict[str, list[Any]]:
    """Return, for each month, active learners, new enrolments, practice and tutoring."""
    cte = _months_cte(months)
    filters = _learner_filter(scope)
    index = {month: i for i, month in enumerate(months)}
    size = len(months)
    result: dict[str, list[Any]] = dict(_people_by_month(scope, months))
    result["attempts"] = [0] * size
    result["new"] = [0] * size
    for month, attempts in db.session.execute(
        _for_learners(
            select(PracticeMonth.month, func.sum(PracticeMonth.attempts)).where(
                PracticeMonth.month.between(months[0], months[-1])
            ),
            PracticeMonth.learner_id,
            scope,
        ).group_by(PracticeMonth.month)
    ):
        result["attempts"][index[_as_date(month)]] = int(attempts or 0)
    for idx, n in db.session.execute(
        select(cte.c.idx, func.count())
        .join(LP, and_(LP.enrolled_at >= cte.c.since, LP.enrolled_at < cte.c.until))
        .where(*filters)
        .group_by(cte.c.idx)
    ):
        result["new"][idx] = int(n)
    result.update(_sessions_trend(cte, scope, size))
    return result


def _as_date(value: Any) -> date:
    """A month read back from a union (SQLite gives text)."""
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


_MEETING: Any = TutoringSession.slot


_ATTENDED = and_(
    TutoringSession.status == SessionStatus.HELD,
    TutoringSession.attendance == Attendance.PRESENT,
)


_MISSED = and_(
    TutoringSession.status == SessionStatus.HELD,
    TutoringSession.attendance.in_((Attendance.ABSENT, Attendance.EXCUSED)),
)


def _sessions_between(first: date, last: date) -> ColumnElement[bool]:
    """Sessions starting from `first` to `last` (whole days, Millau time)."""
    return and_(
        TutoringSession.starts_at >= local_midnight(first),
        TutoringSession.starts_at < local_midnight(last + timedelta(days=1)),
    )


def _for_learners(
    statement: Select[*Row], learner_id: Any, scope: Scope
) -> Select[*Row]:
    """Restrict to the scope's learners; no join when there is no filter (every row
    names an existing learner)."""
    filters = _learner_filter(scope)
    if not filters:
        return statement
    return statement.join(LP, LP.id == learner_id).where(*filters)


def _attended(scope: Scope) -> list[Select[*tuple[Any, ...]]]:
    """Selects of (learner_id, v = minutes) of attended sessions covering the
    period: from `learner_years` and `session_months` for whole years and months,
    from the session rows for the days of a partial month."""
    parts: list[Select[*tuple[Any, ...]]] = []
    for grain, first, last in tiles(scope.start, scope.end):
        if grain == "year":
            table: Any = LearnerYear
            where: Any = and_(
                LearnerYear.year.between(first.year, last.year),
                LearnerYear.tutored != 0,
            )
            v: Any = LearnerYear.minutes
        elif grain == "month":
            table, where = SessionMonth, SessionMonth.month.between(first, last)
            v = SessionMonth.minutes
        else:
            table = TutoringSession
            where = and_(_ATTENDED, _sessions_between(first, last))
            v = TutoringSession.minutes
        parts.append(
            select(table.learner_id.label("learner_id"), v.label("v")).where(where)
        )
    return parts


def _meetings_raw(scope: Scope, first: date, last: date) -> Subquery:
    """Per meeting of the session rows of the scope's learners, from `first` to
    `last`: held, cancelled, missed, volunteer minutes, tutor."""
    held = TutoringSession.status == SessionStatus.HELD
    scheduled = _days_between(TutoringSession.ends_at, TutoringSession.starts_at)
    return (
        _for_learners(
            select(
                func.max(case((_ATTENDED, 1), else_=0)).label("held"),
                func.max(
                    case(
                        (TutoringSession.status == SessionStatus.CANCELLED, 1), else_=0
                    )
                ).label("cancelled"),
                func.sum(case((_MISSED, 1), else_=0)).label("missed"),
                func.max(case((held, scheduled * (24 * 60)))).label("minutes"),
                func.max(TutoringSession.tutor_id).label("tutor"),
            ).where(_sessions_between(first, last)),
            TutoringSession.learner_id,
            scope,
        )
        .group_by(_MEETING)
        .subquery()
    )


def _filter_key(scope: Scope) -> ColumnElement[bool]:
    """The `tutor_months` rows of the scope's filter on learners."""
    return and_(
        TutorMonth.public_category == (scope.category or ALL_PUBLICS),
        TutorMonth.partner_id == (scope.partner_id or ALL_PARTNERS),
    )


def _meetings(scope: Scope) -> tuple[Subquery, Subquery]:
    """(totals, tutors): held, cancelled, missed and volunteer minutes of the
    period's meetings, in one row; and the volunteers who held one (the learner
    present or not), one row each.

    Whole months come from `tutor_months` (the rows of the scope's filter: with a
    filter, a meeting counts when one of its learners is in it); the days of a
    partial month from the session rows."""
    parts: list[Select[*tuple[Any, ...]]] = []
    tutors: list[Select[Any]] = []
    for grain, first, last in tiles(scope.start, scope.end):
        if grain == "day":
            raw = _meetings_raw(scope, first, last)
            parts.append(
                select(raw.c.held, raw.c.cancelled, raw.c.missed, raw.c.minutes)
            )
            tutors.append(select(raw.c.tutor).where(raw.c.minutes.is_not(None)))
            continue
        cells = and_(TutorMonth.month.between(first, last), _filter_key(scope))
        parts.append(
            select(
                TutorMonth.held,
                TutorMonth.cancelled,
                TutorMonth.missed,
                TutorMonth.volunteer_minutes.label("minutes"),
            ).where(cells)
        )
        held_one = or_(
            TutorMonth.held > 0, TutorMonth.missed > 0, TutorMonth.volunteer_minutes > 0
        )
        tutors.append(select(TutorMonth.tutor_id).where(cells, held_one))
    rows = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery()
    totals = select(
        func.sum(rows.c.held).label("held"),
        func.sum(rows.c.cancelled).label("cancelled"),
        func.sum(rows.c.missed).label("missed"),
        func.sum(rows.c.minutes).label("minutes"),
    ).subquery()
    people = (tutors[0] if len(tutors) == 1 else union(*tutors)).subquery()
    return totals, people


@per_request
def sessions(scope: Scope) -> dict[str, Any]:
    """Return sessions held, cancelled and missed, hours, learners and tutors."""
    totals, people = _meetings(scope)
    held, cancelled, missed, volunteer = db.session.execute(select(totals)).one()
    tutors = _scalar(select(func.count(func.distinct(people.c[0]))).select_from(people))
    learners, minutes, median = _count_sum_median(
        _per_learner(_attended(scope), scope, "v")
    )
    return {
        "held": int(held or 0),
        "cancelled": int(cancelled or 0),
        "missed": int(missed or 0),
        "hours": float(minutes or 0) / 60,
        "median_hours": None if median is None else float(median) / 60,
        "learners": learners or 0,
        "tutors": tutors or 0,
        "volunteer_hours": round(float(volunteer or 0)) / 60,
    }


def _sessions_trend(cte: CTE, scope: Scope, size: int) -> dict[str, list[Any]]:
    """Meetings held and tutoring hours per month of the trend, from the
    `tutor_months` rows of the scope's filter."""
    held = [0] * size
    hours = [0.0] * size
    for idx, n, minutes in db.session.execute(
        select(
            cte.c.idx,
            func.sum(TutorMonth.held),
            func.sum(TutorMonth.learner_minutes),
        )
        .join(TutorMonth, TutorMonth.month == cte.c.first_day)
        .where(_filter_key(scope))
        .group_by(cte.c.idx)
    ):
        held[idx], hours[idx] = int(n or 0), float(minutes or 0) / 60
    return {"sessions": held, "tutoring_hours": hours}
