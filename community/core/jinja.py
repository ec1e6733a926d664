"""What every template can use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime, get_locale

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
        format_datetime(value, fmt) if value else ""
    )
    app.jinja_env.filters["isodate"] = lambda value: (
        value.isoformat() if isinstance(value, datetime) else ""
    )
