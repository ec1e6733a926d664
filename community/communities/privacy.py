"""The communities domain's part of a member's personal data: memberships, gardener mandates and
handover notes."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from community.communities.gardening import gardened_ids
from community.communities.models import Community, GardenerMandate, Handover, Membership
from community.core.privacy import export_rows
from community.extensions import db
from community.members.models import Member
from community.members.signals import erasure_blocked, exporting


@exporting.connect
def export_sections(member: Member) -> dict[str, Any]:
    """This domain's sections of `member`'s data export (one query per section)."""
    me = member.id
    community = Community.slug.label("community")
    return {
        "memberships": export_rows(
            select(
                community,
                Membership.status,
                Membership.request_message,
                Membership.answer,
                Membership.answered_at,
                Membership.joined_at,
                Membership.banned_until,
                Membership.charter_accepted_at,
                Membership.created_at,
            )
            .join(Community, Community.id == Membership.community_id)
            .where(Membership.member_id == me)
            .order_by(Membership.id)
        ),
        "gardener_mandates": export_rows(
            select(
                community,
                GardenerMandate.side,
                GardenerMandate.started_at,
                GardenerMandate.ended_at,
            )
            .join(Community, Community.id == GardenerMandate.community_id)
            .where(GardenerMandate.member_id == me)
            .order_by(GardenerMandate.id)
        ),
        "handover_notes": export_rows(
            select(
                community,
                Handover.side,
                Handover.note,
                Handover.created_at,
                (Handover.written_by_id == me).label("written_by_me"),
            )
            .join(Community, Community.id == Handover.community_id)
            .where(
                (Handover.written_by_id == me)
                | (Handover.to_member_id == me)
                | (Handover.from_member_id == me)
            )
            .order_by(Handover.id)
        ),
    }


@erasure_blocked.connect
def gardener_hands_over_first(member: Member, *, lock: bool = False) -> str | None:
    """A gardener in office is replaced by staff before their account goes."""
    mandate = db.session.execute(
        select(Community.name).where(Community.id.in_(gardened_ids(member))).limit(1)
    ).scalar_one_or_none()
    if mandate is not None:
        return _(
            "You are a gardener of %(community)s: ask staff to hand over to your successor first.",
            community=mandate,
        )
    return None
