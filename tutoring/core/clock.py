"""Millau's clock: the platform's one time zone and the local-time helpers.

Times are stored in UTC; people read and type them in Millau's time (Europe/Paris).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ZONE = ZoneInfo("Europe/Paris")


def local(moment: datetime) -> datetime:
    """Return a timezone-aware instant as Millau's wall-clock time."""
    return moment.astimezone(ZONE)


def local_day(moment: datetime) -> date:
    """Return the calendar day in Millau of a timezone-aware instant."""
    return moment.astimezone(ZONE).date()


def local_midnight(day: date) -> datetime:
    """Return midnight in Millau on `day`, as a UTC instant."""
    return datetime.combine(day, time(0), ZONE).astimezone(UTC)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """Return the first instant of `month` (its first day) and of the next, in UTC."""
    following = (month + timedelta(days=32)).replace(day=1)
    return local_midnight(month), local_midnight(following)
