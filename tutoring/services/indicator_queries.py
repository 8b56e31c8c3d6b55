"""The SQL behind the CTAI indicators: one aggregate query per group of figures.

Every function returns plain numbers computed by the database (counts, sums,
medians through window functions), never rows about people. The caller applies
small-cell protection. Tutoring-session queries are grouped in the `_sessions_*`
section at the end, the only place that knows how attendance is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import g, has_app_context
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
from sqlalchemy.sql.selectable import CTE, Subquery

from exercises.model import SKILLS
from tutoring.extensions import db
from tutoring.models import (
    Assignment,
    Attendance,
    CivicExam,
    ExternalLevel,
    LanguageExam,
    LearnerOutcome,
    LearnerProfile,
    Pairing,
    PairingStatus,
    PracticeDay,
    PracticeMonth,
    SessionMonth,
    SessionStatus,
    TutoringSession,
)
from tutoring.models.base import UTCDateTime
from tutoring.models.indicators import LOCAL_ZONE
from tutoring.services.exams import PASS_MARK

LEVEL_RANKS = {"A1.1": 1, "A1": 2, "A2": 3, "B1": 4, "B2": 5, "C1": 6, "C2": 7}
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


def local_midnight(day: date) -> datetime:
    """Return midnight in Millau on `day`, as a UTC instant."""
    return datetime.combine(day, time(0), LOCAL_ZONE).astimezone(UTC)


def _learner_filter(scope: Scope) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if scope.category:
        clauses.append(LP.public_category == scope.category)
    if scope.partner_id:
        clauses.append(LP.partner_id == scope.partner_id)
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


def _days_between(later: Any, earlier: Any) -> ColumnElement[float]:
    """Return `later - earlier` in days, as a number, on SQLite and PostgreSQL."""
    if db.engine.dialect.name == "postgresql":
        return func.extract("epoch", later - earlier) / 86400.0
    return func.julianday(later) - func.julianday(earlier)


# --- Practice rollups ----------------------------------------------------------------


def whole_months(scope: Scope) -> bool:
    """Whether the period is made of whole calendar months (then months are read)."""
    return scope.start.day == 1 and (scope.end + timedelta(days=1)).day == 1


def _practice(scope: Scope) -> Subquery:
    """Rollup rows (learner_id, attempts, time_ms) of the period, by day or month."""
    if whole_months(scope):
        table: Any = PracticeMonth
        where = PracticeMonth.month.between(scope.start, scope.end)
    else:
        table, where = PracticeDay, PracticeDay.day.between(scope.start, scope.end)
    return (
        select(table.learner_id, table.attempts, table.time_ms).where(where).subquery()
    )


# --- Beneficiaries ----------------------------------------------------------------


def active_learner_ids(scope: Scope) -> Select[Any]:
    """Learners with practice or an attended tutoring session in the period."""
    rows = _practice(scope)
    practising = select(rows.c.learner_id.label("learner_id"))
    return union(practising, _sessions_attended_learners(scope))


def beneficiaries(scope: Scope) -> dict[str, int]:
    """Return active learners, new enrolments and the cumulative count."""
    active = active_learner_ids(scope).subquery()
    active_n = _scalar(
        select(func.count())
        .select_from(active.join(LP, LP.id == active.c.learner_id))
        .where(*_learner_filter(scope))
    )
    new = _scalar(
        select(func.count())
        .select_from(LP)
        .where(LP.enrolled_at >= scope.since, LP.enrolled_at < scope.until)
        .where(*_learner_filter(scope))
    )
    cumulative = _scalar(
        select(func.count())
        .select_from(LP)
        .where(LP.enrolled_at < scope.until)
        .where(*_learner_filter(scope))
    )
    return {"active": active_n or 0, "new": new or 0, "cumulative": cumulative or 0}


DIMENSIONS = ("public_category", "sex", "age_band", "partner_id", "years_since_arrival")


def active_by_all(scope: Scope) -> dict[str, dict[str, int]]:
    """Return active learners counted by each attribute of their enrolment.

    One query groups by all five attributes together; the five margins are then
    summed from those aggregate counts (never from rows about people).
    """
    years = scope.end.year - LP.arrival_year
    arrival = case((years >= 5, "5+"), (years <= 0, "0"), else_=cast(years, db.String))
    columns = [LP.public_category, LP.sex, LP.age_band, LP.partner_id, arrival]
    active = active_learner_ids(scope).subquery()
    rows = db.session.execute(
        select(*columns, func.count())
        .select_from(active.join(LP, LP.id == active.c.learner_id))
        .where(*_learner_filter(scope))
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


# --- Digital practice --------------------------------------------------------------


def practice(scope: Scope) -> dict[str, Any]:
    """Return learners practising, exercises done, time and homework completion."""
    rows = _practice(scope)
    per_learner = (
        select(
            rows.c.learner_id,
            func.sum(rows.c.attempts).label("attempts"),
            func.sum(rows.c.time_ms).label("v"),
        )
        .join(LP, LP.id == rows.c.learner_id)
        .where(*_learner_filter(scope))
        .group_by(rows.c.learner_id)
        .subquery()
    )
    learners, attempts, time_ms = db.session.execute(
        select(
            func.count(), func.sum(per_learner.c.attempts), func.sum(per_learner.c.v)
        )
    ).one()
    median_ms = _median(per_learner)
    due = (
        select(Assignment.learner_id, Assignment.completed_at)
        .join(LP, LP.id == Assignment.learner_id)
        .where(Assignment.due_on.between(scope.start, scope.end))
        .where(*_learner_filter(scope))
        .subquery()
    )
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
        "hours": (time_ms or 0) / 3_600_000,
        "median_hours": None if median_ms is None else float(median_ms) / 3_600_000,
        "homework_learners": homework_learners or 0,
        "homework_due": homework_due or 0,
        "homework_done": int(homework_done or 0),
    }


# --- Progress ----------------------------------------------------------------------


def _level_rank(column: Any) -> ColumnElement[int]:
    return case(*((column == lvl, n) for lvl, n in LEVEL_RANKS.items()), else_=0)


def _skills_cte() -> CTE:
    rows = [select(literal(s).label("skill")) for s in SKILLS]
    return union_all(*rows).cte("skills")


def _levels_per_skill(scope: Scope) -> Subquery:
    """First and latest recorded level per learner and skill, up to the period's end."""
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
        .subquery()
    )
    # One sort: the first level is row 1, the latest the last row of its partition.
    return _for_learners(
        select(
            expanded.c.learner_id,
            expanded.c.skill,
            func.max(case((expanded.c.n == 1, expanded.c.rank))).label("entry"),
            func.max(
                case((expanded.c.n == expanded.c.total, expanded.c.rank))
            ).label("latest"),
        ),
        expanded.c.learner_id,
        scope,
    ).group_by(expanded.c.learner_id, expanded.c.skill).subquery()


def progress(scope: Scope) -> dict[str, Any]:
    """Return gains since entry and learners at their target, by skill and overall."""
    cache = g.setdefault("_progress", {}) if has_app_context() else {}
    if scope in cache:
        return dict(cache[scope])
    levels = _levels_per_skill(scope)
    gain = case((levels.c.latest > levels.c.entry, 1), else_=0)
    goal = case(*((LP.goal == g_, n) for g_, n in GOAL_RANKS.items()), else_=99)
    # One row per learner (at most one level row per skill), so that the figures by
    # skill and by learner come from a single pass over the levels.
    per_skill = []
    for i, skill in enumerate(SKILLS):
        on_skill = levels.c.skill == skill
        per_skill += [
            func.sum(case((on_skill, 1), else_=0)).label(f"assessed_{i}"),
            func.sum(case((on_skill, gain), else_=0)).label(f"gained_{i}"),
        ]
    per_learner = (
        select(
            func.sum(gain).label("gains"),
            func.sum(case((levels.c.latest >= goal, 1), else_=0)).label("at_goal"),
            *per_skill,
        )
        .join(LP, LP.id == levels.c.learner_id)
        .group_by(levels.c.learner_id)
        .subquery()
    )
    row = db.session.execute(
        select(
            func.sum(case((per_learner.c.gains > 0, 1), else_=0)),
            func.sum(case((per_learner.c.at_goal == len(SKILLS), 1), else_=0)),
            *(func.sum(per_learner.c[f"assessed_{i}"]) for i in range(len(SKILLS))),
            *(func.sum(per_learner.c[f"gained_{i}"]) for i in range(len(SKILLS))),
        )
    ).one()
    gained, at_target = row[0], row[1]
    n = len(SKILLS)
    by_skill = {
        skill: (int(row[2 + i] or 0), int(row[2 + n + i] or 0))
        for i, skill in enumerate(SKILLS)
    }
    result = {
        "by_skill": by_skill,
        "gained": int(gained or 0),
        "at_target": int(at_target or 0),
    }
    cache[scope] = result
    return dict(result)


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


# --- Pairings and waiting list -----------------------------------------------------

_STARTED = (PairingStatus.ACTIVE, PairingStatus.ENDED)


def pairings(scope: Scope) -> dict[str, Any]:
    """Return pairings started, running and ended, and the waiting list."""
    started = and_(Pairing.status.in_(_STARTED), Pairing.responded_at.is_not(None))
    base = (
        select(func.count()).select_from(Pairing).join(LP, LP.id == Pairing.learner_id)
    )
    base = base.where(*_learner_filter(scope))
    new = _scalar(
        base.where(
            started,
            Pairing.responded_at >= scope.since,
            Pairing.responded_at < scope.until,
        )
    )
    active = _scalar(
        base.where(
            started,
            Pairing.responded_at < scope.until,
            or_(Pairing.ended_at.is_(None), Pairing.ended_at >= scope.since),
        )
    )
    ended = _scalar(
        base.where(
            Pairing.status == PairingStatus.ENDED,
            Pairing.ended_at >= scope.since,
            Pairing.ended_at < scope.until,
        )
    )
    first_start = (
        select(Pairing.learner_id, func.min(Pairing.responded_at).label("first_at"))
        .where(started)
        .group_by(Pairing.learner_id)
        .subquery()
    )
    waiting = _scalar(
        select(func.count())
        .select_from(LP)
        .outerjoin(first_start, first_start.c.learner_id == LP.id)
        .where(LP.enrolled_at < scope.until)
        .where(or_(LP.erased_at.is_(None), LP.erased_at >= scope.until))
        .where(
            or_(first_start.c.first_at.is_(None), first_start.c.first_at >= scope.until)
        )
        .where(*_learner_filter(scope))
    )
    waited = (
        select(_days_between(first_start.c.first_at, LP.enrolled_at).label("v"))
        .select_from(first_start)
        .join(LP, LP.id == first_start.c.learner_id)
        .where(first_start.c.first_at >= scope.since)
        .where(first_start.c.first_at < scope.until)
        .where(*_learner_filter(scope))
        .subquery()
    )
    waited_n = _scalar(select(func.count()).select_from(waited))
    median = _median(waited)
    return {
        "new": new or 0,
        "active": active or 0,
        "ended": ended or 0,
        "waiting": waiting or 0,
        "first_paired": waited_n or 0,
        "median_wait_days": None if median is None else float(median),
    }


# --- Monthly trend -----------------------------------------------------------------


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


def trend(scope: Scope, months: list[date]) -> dict[str, list[Any]]:
    """Return, for each month, active learners, new enrolments and practice."""
    cte = _months_cte(months)
    filters = _learner_filter(scope)
    index = {month: i for i, month in enumerate(months)}
    practising = (
        select(
            PracticeMonth.month.label("month"),
            PracticeMonth.learner_id.label("learner_id"),
            PracticeMonth.attempts,
        )
        .where(PracticeMonth.month.between(months[0], months[-1]))
        .subquery()
    )
    tutored = _sessions_attended_by_month(cte)
    by_month = select(cte.c.first_day.label("month"), tutored.c.learner_id).join(
        tutored, tutored.c.idx == cte.c.idx
    )
    both = union(
        select(practising.c.month, practising.c.learner_id), by_month
    ).subquery()
    size = len(months)
    result: dict[str, list[Any]] = {
        "active": [0] * size,
        "new": [0] * size,
        "attempts": [0] * size,
        "practising": [0] * size,
    }
    for month, n in db.session.execute(
        select(both.c.month, func.count())
        .join(LP, LP.id == both.c.learner_id)
        .where(*filters)
        .group_by(both.c.month)
    ):
        result["active"][index[_as_date(month)]] = int(n)
    for month, n, attempts in db.session.execute(
        select(
            practising.c.month,
            func.count(func.distinct(practising.c.learner_id)),
            func.sum(practising.c.attempts),
        )
        .join(LP, LP.id == practising.c.learner_id)
        .where(*filters)
        .group_by(practising.c.month)
    ):
        result["practising"][index[_as_date(month)]] = int(n)
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


# --- Tutoring sessions -------------------------------------------------------------
# Everything that reads attendance lives below. A session row is one learner's place
# in a meeting; a group workshop is one row per learner sharing a `slot`, so
# `_MEETING` (the slot) identifies the meeting itself: a workshop counts once in
# sessions held and in volunteer hours.

_MEETING: Any = TutoringSession.slot

_ATTENDED = and_(
    TutoringSession.status == SessionStatus.HELD,
    TutoringSession.attendance == Attendance.PRESENT,
)
_MISSED = and_(
    TutoringSession.status == SessionStatus.HELD,
    TutoringSession.attendance.in_((Attendance.ABSENT, Attendance.EXCUSED)),
)


def _sessions_in(scope: Scope) -> ColumnElement[bool]:
    return and_(
        TutoringSession.starts_at >= scope.since,
        TutoringSession.starts_at < scope.until,
    )


def _for_learners(statement: Select[Any], learner_id: Any, scope: Scope) -> Select[Any]:
    """Restrict to the scope's learners; no join when there is no filter (every row
    names an existing learner)."""
    filters = _learner_filter(scope)
    if not filters:
        return statement
    return statement.join(LP, LP.id == learner_id).where(*filters)


def _sessions_attended_learners(scope: Scope) -> Select[Any]:
    """Learner ids with at least one attended session in the period."""
    if whole_months(scope):
        return select(SessionMonth.learner_id.label("learner_id")).where(
            SessionMonth.month.between(scope.start, scope.end)
        )
    return select(TutoringSession.learner_id.label("learner_id")).where(
        _ATTENDED, _sessions_in(scope)
    )


def _sessions_attended_by_month(cte: CTE) -> Subquery:
    """(idx, learner_id) of learners with an attended session in each month."""
    return (
        select(cte.c.idx, SessionMonth.learner_id.label("learner_id"))
        .join(SessionMonth, SessionMonth.month == cte.c.first_day)
        .subquery()
    )


def _attended_per_learner(scope: Scope) -> Subquery:
    """(learner_id, v): minutes of attended sessions per learner in the period,
    from the monthly rollup when the period is made of whole months."""
    if whole_months(scope):
        statement = select(
            SessionMonth.learner_id, func.sum(SessionMonth.minutes).label("v")
        ).where(SessionMonth.month.between(scope.start, scope.end))
        learner_id: Any = SessionMonth.learner_id
    else:
        statement = select(
            TutoringSession.learner_id, func.sum(TutoringSession.minutes).label("v")
        ).where(_ATTENDED, _sessions_in(scope))
        learner_id = TutoringSession.learner_id
    return (
        _for_learners(statement, learner_id, scope).group_by(learner_id).subquery()
    )


def sessions(scope: Scope) -> dict[str, Any]:
    """Return sessions held, cancelled and missed, hours, learners and tutors."""
    held_status = TutoringSession.status == SessionStatus.HELD
    cancelled_status = TutoringSession.status == SessionStatus.CANCELLED
    scheduled = _days_between(TutoringSession.ends_at, TutoringSession.starts_at)
    # One row per meeting (hashed, not sorted): whether it was attended, cancelled,
    # its missed places and, if held, its scheduled length for volunteer hours.
    meetings = (
        _for_learners(
            select(
                func.max(case((_ATTENDED, 1), else_=0)).label("attended"),
                func.max(case((cancelled_status, 1), else_=0)).label("cancelled"),
                func.sum(case((_MISSED, 1), else_=0)).label("missed"),
                func.max(case((held_status, scheduled * (24 * 60)))).label("v"),
            ).where(_sessions_in(scope)),
            TutoringSession.learner_id,
            scope,
        )
        .group_by(_MEETING)
        .subquery()
    )
    held, cancelled, missed, volunteer = db.session.execute(
        select(
            func.sum(meetings.c.attended),
            func.sum(meetings.c.cancelled),
            func.sum(meetings.c.missed),
            func.sum(meetings.c.v),
        )
    ).one()
    tutors = _scalar(
        _for_learners(
            select(func.count(func.distinct(TutoringSession.tutor_id))).where(
                held_status, _sessions_in(scope)
            ),
            TutoringSession.learner_id,
            scope,
        )
    )
    per_learner = _attended_per_learner(scope)
    learners, minutes = db.session.execute(
        select(func.count(), func.sum(per_learner.c.v))
    ).one()
    median = _median(per_learner)
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
    held = [0] * size
    hours = [0.0] * size
    tutored = [0] * size
    meetings = (
        _for_learners(
            select(cte.c.idx)
            .join(
                TutoringSession,
                and_(
                    TutoringSession.starts_at >= cte.c.since,
                    TutoringSession.starts_at < cte.c.until,
                ),
            )
            .where(_ATTENDED),
            TutoringSession.learner_id,
            scope,
        )
        .group_by(cte.c.idx, _MEETING)
        .subquery()
    )
    for idx, n in db.session.execute(
        select(meetings.c.idx, func.count()).group_by(meetings.c.idx)
    ):
        held[idx] = int(n)
    for idx, minutes, learners in db.session.execute(
        _for_learners(
            select(cte.c.idx, func.sum(SessionMonth.minutes), func.count()).join(
                SessionMonth, SessionMonth.month == cte.c.first_day
            ),
            SessionMonth.learner_id,
            scope,
        ).group_by(cte.c.idx)
    ):
        hours[idx], tutored[idx] = float(minutes or 0) / 60, int(learners)
    return {"sessions": held, "tutoring_hours": hours, "tutored": tutored}
