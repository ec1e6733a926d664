"""The ambassadors domain's part of a member's personal data: ambassador mandates, invitation links,
outreach logs, and the link they came through."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from community.ambassadors.models import Ambassador, Invitation, InvitationUse, OutreachLog
from community.communities.models import Community
from community.core.privacy import export_rows
from community.members.models import Member
from community.members.signals import exporting
from community.territory.models import Neighbourhood


@exporting.connect
def export_sections(member: Member) -> dict[str, Any]:
    """This domain's sections of `member`'s data export (one query per section)."""
    me = member.id
    community = Community.slug.label("community")
    neighbourhood = Neighbourhood.name.label("neighbourhood")
    return {
        "ambassador_mandates": export_rows(
            select(
                Ambassador.id,
                community,
                neighbourhood,
                Ambassador.mission,
                Ambassador.status,
                Ambassador.shown,
                Ambassador.created_at,
                Ambassador.started_at,
                Ambassador.ended_at,
            )
            .outerjoin(Community, Community.id == Ambassador.community_id)
            .outerjoin(Neighbourhood, Neighbourhood.id == Ambassador.neighbourhood_id)
            .where(Ambassador.member_id == me)
            .order_by(Ambassador.id)
        ),
        "invitation_links": export_rows(
            select(
                Invitation.ambassador_id,
                Invitation.label,
                Invitation.created_at,
                Invitation.expires_at,
                Invitation.revoked_at,
                select(func.count(InvitationUse.id))
                .where(InvitationUse.invitation_id == Invitation.id)
                .scalar_subquery()
                .label("sign_ups"),
            )
            .join(Ambassador, Ambassador.id == Invitation.ambassador_id)
            .where(Ambassador.member_id == me)
            .order_by(Invitation.id)
        ),
        "outreach_logs": export_rows(
            select(
                OutreachLog.ambassador_id,
                OutreachLog.happened_on,
                neighbourhood,
                OutreachLog.place_kind,
                OutreachLog.people_met,
                OutreachLog.topics,
                OutreachLog.follow_up,
                OutreachLog.created_at,
            )
            .join(Ambassador, Ambassador.id == OutreachLog.ambassador_id)
            .outerjoin(Neighbourhood, Neighbourhood.id == OutreachLog.neighbourhood_id)
            .where(Ambassador.member_id == me)
            .order_by(OutreachLog.id)
        ),
        "joined_through_invitation": export_rows(
            select(InvitationUse.created_at).where(InvitationUse.member_id == me)
        ),
    }
