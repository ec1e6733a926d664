"""Checks that keep personal contact details out of texts that must hold none, and the helpers
each domain's `privacy.py` uses to answer a member's data export."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select

from community.extensions import db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", re.UNICODE)
# French and international phone numbers: 06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78,
# 0033612345678 — eight digits or more once separators are removed.
PHONE = re.compile(r"(?<!\d)(?:\+|00)?\d(?:[\s.\-/]?\(?\d\)?){7,14}(?!\d)")


def contact_details_in(text: str) -> list[str]:
    """The kinds of contact details found in `text`: "email", "phone" (empty if none)."""
    found = []
    if EMAIL.search(text or ""):
        found.append("email")
    if PHONE.search(text or ""):
        found.append("phone")
    return found


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
