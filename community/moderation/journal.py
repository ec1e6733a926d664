"""The moderation journal, and telling the member concerned.

Every moderation act, whoever does it and through whichever door (a report answered, a message
hidden from its thread page or a socket, a suspension), is written here with `record_action`
(the append-only `ModerationAction` rows the transparency page and the author's data export
read), and the member concerned is told with `tell_member`, with the charter clause.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l

from community.communities.models import Community
from community.core.models import utcnow
from community.core.notify import notify, register_kind
from community.extensions import db
from community.members.models import Member
from community.moderation.models import ModerationAction, Report

# Not pushable: the moderator's reason may quote what was hidden.
register_kind("moderation", _l("Moderation of my content or account"), pushable=False)

# The clause of the platform charter (numbered as on /charte) each report reason refers to.
CHARTER_CLAUSES: dict[str, tuple[int, Any]] = {
    "insult": (1, _l("Respect")),
    "harassment": (1, _l("Respect")),
    "personal_data": (3, _l("Privacy")),
    "spam": (4, _l("General interest")),
    "off_charter": (6, _l("Moderation")),
    "other": (6, _l("Moderation")),
}


def charter_clause(reason: str) -> Any:
    """ "article 3 (Privacy)": the charter clause a report reason refers to, as a lazy string."""
    number, title = CHARTER_CLAUSES.get(reason, CHARTER_CLAUSES["other"])
    return _l("article %(number)d (%(title)s)", number=number, title=title)


def record_action(
    actor: Member | None,
    action: str,
    target_type: str,
    target_id: int,
    *,
    community: Community | None = None,
    subject: Member | None = None,
    reason: str = "",
    until: datetime | None = None,
    report: Report | None = None,
) -> ModerationAction:
    """Write one act to the append-only journal (every moderation act goes through here)."""
    entry = ModerationAction(
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=target_id,
        community=community,
        subject=subject,
        reason=reason,
        until=until,
        report_id=report.id if report is not None else None,
        created_at=utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def tell_member(
    actor: Member | None,
    member: Member | None,
    action: str,
    reason: str,
    *,
    noun: Any = None,
    reason_code: str = "other",
    url: str = "",
    community: Community | None = None,
) -> None:
    """Tell the member concerned what was done (hide, restore, warn, suspend, lift), why, and the
    charter clause: moderation never happens silently. Other domains call it after their act.
    """
    if member is None:  # erased account
        return
    what = noun if noun is not None else _l("your content")
    clause = charter_clause(reason_code)
    reason = reason.rstrip(" .")  # the sentence adds its own full stop
    if action == "hide":
        text = _l(
            "Moderation: %(what)s was hidden. Reason: %(reason)s. Charter: %(clause)s.",
            what=what,
            reason=reason,
            clause=clause,
        )
    elif action == "restore":
        text = _l("Moderation: %(what)s is visible again.", what=what)
    elif action == "lift":
        if community is not None:
            text = _l(
                "Moderation: your suspension from %(community)s is lifted.",
                community=community.name,
            )
        else:
            text = _l("Moderation: your suspension is lifted.")
    elif action == "warn":
        text = _l(
            "Moderation: you receive a warning. Reason: %(reason)s. Charter: %(clause)s.",
            reason=reason,
            clause=clause,
        )
    elif action == "suspend_platform" or community is None:
        text = _l(
            "Moderation: your account is suspended. Reason: %(reason)s. Charter: %(clause)s.",
            reason=reason,
            clause=clause,
        )
    else:
        text = _l(
            "Moderation: you are suspended from %(community)s. "
            "Reason: %(reason)s. Charter: %(clause)s.",
            community=community.name,
            reason=reason,
            clause=clause,
        )
    link = url if url and action in {"hide", "restore"} else "/charte"
    notify(member, "moderation", text, link, actor=actor)
