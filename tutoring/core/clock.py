"""Tutoring sessions: booking without double booking, cancelling, reports, calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tutoring.pairing.pairings import TutoringError

PARIS = ZoneInfo("Europe/Paris")


def to_utc(day: date, at: time) -> datetime:
    """Turn a wall-clock time in Millau into UTC; refuse a time skipped by the
    spring change, and take the first of the two autumn 2 a.m.–3 a.m. hours."""
    local = datetime.combine(day, at).replace(tzinfo=PARIS, fold=0)
    utc = local.astimezone(ZoneInfo("UTC"))
    if utc.astimezone(PARIS).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TutoringError("no_such_time")
    return utc


def local(moment: datetime) -> datetime:
    return moment.astimezone(PARIS)


LOCAL_ZONE = ZoneInfo("Europe/Paris")


def local_day(moment: datetime) -> date:
    """Return the calendar day in Millau of a timezone-aware instant."""
    return moment.astimezone(LOCAL_ZONE).date()


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """Return the first instant of `month` (its first day) and of the next, in UTC."""
    following = (month + timedelta(days=32)).replace(day=1)
    return tuple(  # type: ignore[return-value]
        datetime.combine(d, time(0), LOCAL_ZONE).astimezone(UTC)
        for d in (month, following)
    )


def local_midnight(day: date) -> datetime:
    """Return midnight in Millau on `day`, as a UTC instant."""
    return datetime.combine(day, time(0), LOCAL_ZONE).astimezone(UTC)
