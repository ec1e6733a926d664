"""Where a member belongs, read once per request: her membership of a community
(`membership_of`), the gardener mandates she holds (`mandates_of`) and the communities she is
banned from (`bans_of`).

A page asks these several times — the view for what it shows, then `is_member`, `is_banned_from`,
`can_join`, `looks_after`… for what it offers — and each asked the database again: a community
page read her membership three times and her mandates three times. They go through the
request's memo (`core.cache.request_memo`), which is dropped as soon as the session flushes,
commits or rolls back, or holds a change not flushed yet: a service that changes a membership
or a mandate reads the new one afterwards.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from community.communities.models import GardenerMandate, Membership
from community.core.cache import request_memo
from community.extensions import db


def membership_of(member_id: int, community_id: int) -> Membership | None:
    """Her membership row of the community (any status), or None."""
    return request_memo(
        ("membership", community_id, member_id),
        lambda: db.session.execute(
            select(Membership).where(
                Membership.community_id == community_id, Membership.member_id == member_id
            )
        ).scalar_one_or_none(),
    )


def mandates_of(member_id: int) -> frozenset[tuple[int, str]]:
    """(community id, side) of every gardener mandate she holds right now: one query, however
    many communities the page asks about."""
    return request_memo(
        ("mandates", member_id),
        lambda: frozenset(
            (community_id, side)
            for community_id, side in db.session.execute(
                select(GardenerMandate.community_id, GardenerMandate.side).where(
                    GardenerMandate.member_id == member_id, GardenerMandate.in_office
                )
            )
        ),
    )


def bans_of(member_id: int) -> list[tuple[int, datetime | None]]:
    """(community id, end or None) of every community she is banned from, ended or not."""
    return request_memo(
        ("bans", member_id),
        lambda: [
            (community_id, until)
            for community_id, until in db.session.execute(
                select(Membership.community_id, Membership.banned_until).where(
                    Membership.member_id == member_id, Membership.status == "banned"
                )
            )
        ],
    )
