"""What every template can use."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from babel import Locale, dates
from flask import Flask
from flask_babel import format_date, format_datetime, get_locale, get_timezone

from community.core import permissions


def init_jinja(app: Flask) -> None:
    app.jinja_env.globals.update(
        is_staff=permissions.is_staff,
        is_admin=permissions.is_admin,
        current_member=permissions.current_member,
    )
    app.jinja_env.add_extension("jinja2.ext.do")

    @app.context_processor
    def _locale() -> dict[str, Any]:
        return {"locale": str(get_locale() or "fr")}

    app.jinja_env.filters["date"] = lambda value, fmt="medium": (
        format_date(value, fmt) if value else ""
    )
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        cached_datetime(value, fmt) if value else ""
    )
    app.jinja_env.filters["isodate"] = lambda value: (
        value.isoformat() if isinstance(value, datetime) else ""
    )


STANDARD = ("full", "long", "medium", "short")


@lru_cache(maxsize=64)
def _datetime_patterns(
    locale: Locale, fmt: str
) -> tuple[str, dates.DateTimePattern, dates.DateTimePattern]:
    """The parsed patterns of a standard date-time format in `locale`, parsed once."""
    return (
        str(dates.get_datetime_format(fmt, locale=locale)).replace("'", ""),  # type: ignore[arg-type]
        dates.parse_pattern(dates.get_date_format(fmt, locale=locale)),  # type: ignore[arg-type]
        dates.parse_pattern(dates.get_time_format(fmt, locale=locale)),  # type: ignore[arg-type]
    )


def cached_datetime(value: datetime, fmt: str = "medium") -> str:
    """`flask_babel.format_datetime` with the locale's patterns parsed once per process (a
    thread page formats one date per message: issue 17). Same text, same time zone."""
    if fmt not in STANDARD:
        return format_datetime(value, fmt)
    locale = get_locale() or Locale.parse("fr")
    combined, date_pattern, time_pattern = _datetime_patterns(locale, fmt)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(get_timezone())
    return combined.replace("{0}", time_pattern.apply(local, locale)).replace(
        "{1}", date_pattern.apply(local, locale)
    )
