"""A member's right to their data: everything the platform holds about them, as one document.

Each domain answers for its own rows (`<domain>/privacy.py`, connected to
`members.signals.exporting`), one query per kind of row (the count does not grow with the
data). None includes what would expose someone else: who reported them, who acted on them,
other members' e-mails. Sections come in the order of `DOMAINS`.
"""

from __future__ import annotations

from typing import Any

from community.core.models import utcnow
from community.core.privacy import export_value
from community.members import signals
from community.members.models import Member

EXPORT_FORMAT = 1


def export_data(member: Member) -> dict[str, Any]:
    """Everything Terreau holds about `member`, as plain JSON-ready data: the account here, and
    each domain's sections from its own `privacy.py` (answering `members.signals.exporting`)."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "exported_at": export_value(utcnow()),
        "account": _account(member),
    }
    for _receiver, sections in signals.exporting.send(member):
        overlap = set(sections) & set(data)
        if overlap:
            raise RuntimeError(f"export sections answered twice: {sorted(overlap)}")
        data.update(sections)
    return data


def _account(member: Member) -> dict[str, Any]:
    return {
        "id": member.id,
        "email": member.email,
        "display_name": member.display_name,
        "role": member.role,
        "neighbourhood": member.neighbourhood.name if member.neighbourhood else None,
        "themes": [t.name for t in member.themes],
        "skills": list(member.skills or []),
        "bio": member.bio,
        "locale": member.locale,
        "charter_accepted_at": export_value(member.charter_accepted_at),
        "email_confirmed_at": export_value(member.email_confirmed_at),
        "created_at": export_value(member.created_at),
        "last_login_at": export_value(member.last_login_at),
    }
