"""Column types and helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# The table option (`__table_args__`) of a table whose ids are never given twice: a row deleted
# for good leaves its id where no foreign key follows it (a report about a member, a link in a
# mailbox). SQLite without AUTOINCREMENT gives the largest id once more after its row is
# deleted; with it, like PostgreSQL's sequences, never. Migration 0024 rebuilt those tables.
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def local_today(zone: str = "Europe/Paris") -> date:
    """Today's date where the people are (the app's `BABEL_DEFAULT_TIMEZONE` when given)."""
    return utcnow().astimezone(ZoneInfo(zone)).date()


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC on every backend.

    SQLite keeps no offset: values are converted to UTC on the way in and marked UTC on the
    way out, so the application only ever sees aware datetimes.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError("UTCDateTime expects a datetime")
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        try:
            value = value.astimezone(UTC)
        except OverflowError:
            # Past the ends of what UTC can hold (9999-12-31T23:59-12:00): the nearest end.
            # Input is bounded (core/dates.py); storing never breaks on a date anyway.
            value = (datetime.max if value.year > 1 else datetime.min).replace(tzinfo=UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except OverflowError:
            return value
