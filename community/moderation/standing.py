"""Whether a member is suspended right now, from the platform or from a community: plain
reads of the suspension rows, under every rule that asks (`communities.permissions`
refuses a gardener's, an ambassador's and a moderator's powers to the suspended;
`moderation.suspensions` writes the rows). `read_only_refusal` is the check the seams ask
before every act (`core/standing.py`, registered in `moderation/receivers.py`): a platform
suspension leaves a read-only account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, exists, or_, select

from community.communities.belonging import membership_of
from community.communities.models import Community
from community.core.cache import request_memo
from community.core.jinja import day
from community.core.models import utcnow
from community.extensions import db
from community.members.models import Member
from community.moderation.models import PlatformSuspension


def active_suspension(
    member: Member | None, now: datetime | None = None
) -> PlatformSuspension | None:
    """The platform suspension in force for `member`, if any."""
    if member is None or getattr(member, "id", None) is None:
        return None
    if now is not None:
        return _active_suspension(member.id, now)
    # Asked several times by a page (menu, posting, moderating): once per request.
    return request_memo(("active_suspension", member.id), lambda: _active_suspension(member.id))


def _active_suspension(member_id: int, now: datetime | None = None) -> PlatformSuspension | None:
    now = now or utcnow()
    rows = db.session.execute(
        select(PlatformSuspension).where(
            PlatformSuspension.member_id == member_id, PlatformSuspension.lifted_at.is_(None)
        )
    ).scalars()
    return next((s for s in rows if s.active(now)), None)


def not_suspended(member_id: Any, now: datetime | None = None) -> ColumnElement[bool]:
    """SQL: no platform suspension in force for the member `member_id` (a column): the same
    rule as `active_suspension`, for the lists of people one may choose."""
    now = now or utcnow()
    return ~exists().where(
        PlatformSuspension.member_id == member_id,
        PlatformSuspension.lifted_at.is_(None),
        or_(PlatformSuspension.until.is_(None), PlatformSuspension.until > now),
    )


def is_banned_from(
    member: Member | None, community: Community, now: datetime | None = None
) -> bool:
    """Suspended from `community` right now."""
    if member is None or getattr(member, "id", None) is None:
        return False
    membership = membership_of(member.id, community.id)
    if membership is None or membership.status != "banned":
        return False
    return membership.banned_until is None or membership.banned_until > (now or utcnow())


def read_only_refusal(member: Member) -> str | None:
    """Why `member` may only read right now (suspended from the platform), with the end of
    the suspension, in words they understand; None when nothing stops them."""
    suspension = active_suspension(member)
    if suspension is None:
        return None
    if suspension.until is not None:
        return _(
            "Your account is suspended until %(date)s: you can read, but not act on the site.",
            date=day(suspension.until),
        )
    return _("Your account is suspended with no end date: you can read, but not act on the site.")
