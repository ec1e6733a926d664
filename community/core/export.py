"""Helpers each domain's `privacy.py` uses to answer a member's data export (JSON-ready rows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Select

from community.extensions import db


def export_value(value: Any) -> Any:
    """A value as JSON-ready data (dates and datetimes as ISO strings)."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def export_rows(stmt: Select) -> list[dict[str, Any]]:
    """The rows of `stmt` as JSON-ready dicts, one per row, keyed by column label."""
    return [
        {key: export_value(value) for key, value in row.items()}
        for row in db.session.execute(stmt).mappings()
    ]
