"""Rencontres are stored in UTC and shown in Europe/Paris."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from community.core.errors import Invalid

PARIS = ZoneInfo("Europe/Paris")


def paris(value: datetime) -> datetime:
    """`value` (aware) as a wall-clock time in Paris."""
    return value.astimezone(PARIS)


def _bounded(value: datetime) -> datetime:
    # Years 1 and 9999 cannot move to UTC; no rencontre is that far away either.
    if not 1900 <= value.year <= 3000:
        raise Invalid(_("Some fields are not valid."), {"starts_at": [_("Choose a date to come.")]})
    return value


def from_paris(value: datetime) -> datetime:
    """A wall-clock time in Paris (naive, as a form gives it) → aware UTC."""
    if value.tzinfo is None:
        value = _bounded(value).replace(tzinfo=PARIS)
    return _bounded(value).astimezone(UTC)


def as_utc(value: datetime) -> datetime:
    """An API datetime → aware UTC (a value without an offset is taken as UTC, as documented)."""
    if value.tzinfo is None:
        return _bounded(value).replace(tzinfo=UTC)
    return _bounded(value).astimezone(UTC)


def weekly(start: datetime, weeks: int) -> datetime:
    """`start` moved by `weeks` weeks at the same wall-clock time in Paris (across DST)."""
    local = paris(start).replace(tzinfo=None) + timedelta(weeks=weeks)
    return from_paris(local)


def start_of_day_after_tomorrow(now: datetime) -> datetime:
    """Midnight in Paris two days after `now`'s date, in UTC: the end of "tomorrow"."""
    day: date = paris(now).date() + timedelta(days=2)
    return datetime.combine(day, time(0), PARIS).astimezone(UTC)
