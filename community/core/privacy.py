"""Checks that keep personal contact details out of texts that must hold none."""

from __future__ import annotations

import re

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
