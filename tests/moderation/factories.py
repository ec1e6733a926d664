"""Reports as they would be filed, with their community (whose gardeners answer them)."""

from __future__ import annotations

from typing import Any

from community.core.models import utcnow
from community.extensions import db
from community.members.models import Member
from community.moderation.models import Report
from tests.factories import make_member


def make_report(
    target: Member,
    *,
    reporter: Member | None = None,
    community: Any | None = None,
    reason: str = "insult",
    **fields: Any,
) -> Report:
    """A report about member `target`; with `community`, its gardeners answer it."""
    report = Report(
        reporter=reporter or make_member(),
        target_type="member",
        target_id=target.id,
        target_author=target,
        community=community,
        reason=reason,
        text=fields.pop("text", "Propos blessants dans le fil."),
        status=fields.pop("status", "open"),
        created_at=fields.pop("created_at", utcnow()),
        **fields,
    )
    db.session.add(report)
    db.session.flush()
    return report
