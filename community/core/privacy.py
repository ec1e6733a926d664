"""Checks that keep personal contact details out of texts that must hold none, and the helpers
each domain's `privacy.py` uses to answer a member's data export.

Phone numbers are found by `phonenumbers` (Google's libphonenumber): its matcher for the French
region, valid numbers only — so dates ("le 12/03/2026", "le 12.03.2026"), times, amounts and
counts ("nous étions 12 12 12 12") pass, while "06 12 34 56 78", "+33 6 12 34 56 78",
"01.23.45.67.89" or a valid foreign number ("+44 20 7946 0958") are found. E-mail addresses
are found by a strict pattern and confirmed by `email-validator` (syntax only, no network).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import Select

from community.extensions import db

REGION = "FR"
# Longer texts are cut before matching: the matcher's work grows with the text, and the
# callers' own length limits (a few thousand characters) are far below this.
MAX_SCANNED = 20_000
# A candidate: local part, "@", a domain of at least two labels. `email-validator` then says
# whether it really is an address.
EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# The same, starting only where a run of local-part characters starts: searching with EMAIL
# itself tries every position of a long word to the word's end (seconds for 20,000 characters
# without "@"), while a match inside a run always has one at the run's start.
EMAIL_AT_RUN = re.compile(r"(?<![\w.+\-])" + EMAIL.pattern, re.UNICODE)


def _email_candidates(text: str) -> list[re.Match[str]]:
    """What `EMAIL.finditer(text)` finds, in linear time."""
    found: list[re.Match[str]] = []
    position = 0
    while True:
        # Right after a match, a run may go on: its first position is the only candidate in it.
        match = (EMAIL.match(text, position) if position else None) or EMAIL_AT_RUN.search(
            text, position
        )
        if match is None:
            return found
        found.append(match)
        position = match.end()


@dataclass(frozen=True)
class Found:
    """One contact detail found in a text: its kind ("email" or "phone") and the text itself."""

    kind: str
    text: str


def find_contact_details(text: str) -> list[Found]:
    """Every e-mail address and valid phone number in `text`, e-mails first, in text order."""
    text = (text or "")[:MAX_SCANNED].replace("\x00", " ")
    found = []
    candidates = _email_candidates(text)
    for match in candidates:
        candidate = match.group(0).strip(".")
        try:
            validate_email(candidate, check_deliverability=False)
        except EmailNotValidError:
            continue
        found.append(Found("email", candidate))
    # Without the addresses, so that digits inside one are not taken for a phone number.
    rest, end = "", 0
    for match in candidates:
        rest, end = rest + text[end : match.start()] + " ", match.end()
    rest += text[end:]
    for number in phonenumbers.PhoneNumberMatcher(
        rest, REGION, leniency=phonenumbers.Leniency.VALID
    ):
        found.append(Found("phone", number.raw_string))
    return found


def contact_details_in(text: str) -> list[str]:
    """The kinds of contact details found in `text`: "email", "phone" (empty if none)."""
    kinds = {item.kind for item in find_contact_details(text)}
    return [kind for kind in ("email", "phone") if kind in kinds]


def what_was_found(text: str) -> str:
    """A short French (or English) phrase naming what was found, e.g. « un numéro de téléphone
    (06 12 34 56 78) »; empty when the text holds no contact detail."""
    items = find_contact_details(text)
    phrases = []
    for item in items[:3]:
        if item.kind == "email":
            phrases.append(_("an e-mail address (%(text)s)", text=item.text))
        else:
            phrases.append(_("a phone number (%(text)s)", text=item.text))
    return ", ".join(phrases)


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
