"""The moderation domain's part of a member's personal data: reports made, acts of moderation about
them, platform suspensions."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select, update

from community.communities.models import Community, Membership
from community.core.jinja import day
from community.core.models import utcnow
from community.core.privacy import export_rows
from community.extensions import db
from community.members.models import Member
from community.members.signals import erasing, erasure_blocked, exporting
from community.moderation.models import ModerationAction, PlatformSuspension, Report
from community.moderation.suspensions import active_suspension


@exporting.connect
def export_sections(member: Member) -> dict[str, Any]:
    """This domain's sections of `member`'s data export (one query per section)."""
    me = member.id
    community = Community.slug.label("community")
    return {
        "reports_made": export_rows(
            select(
                Report.target_type,
                Report.target_id,
                Report.reason,
                Report.text,
                Report.status,
                Report.resolution,
                Report.created_at,
                Report.resolved_at,
            )
            .where(Report.reporter_id == me)
            .order_by(Report.id)
        ),
        # Acts of moderation about the member: what and why, not who reported or who acted.
        "moderation_concerning_me": export_rows(
            select(
                ModerationAction.action,
                ModerationAction.target_type,
                community,
                ModerationAction.reason,
                ModerationAction.until,
                ModerationAction.created_at,
            )
            .outerjoin(Community, Community.id == ModerationAction.community_id)
            .where(ModerationAction.subject_id == me)
            .order_by(ModerationAction.id)
        ),
        "platform_suspensions": export_rows(
            select(
                PlatformSuspension.until,
                PlatformSuspension.reason,
                PlatformSuspension.created_at,
                PlatformSuspension.lifted_at,
            )
            .where(PlatformSuspension.member_id == me)
            .order_by(PlatformSuspension.id)
        ),
    }


@erasure_blocked.connect
def suspension_ends_first(member: Member, *, lock: bool = False) -> str | None:
    """A suspension is not escaped by deleting the account and signing up again."""
    suspension = active_suspension(member)
    now = utcnow()
    banned = db.session.execute(
        select(Membership.id).where(
            Membership.member_id == member.id,
            Membership.status == "banned",
            (Membership.banned_until.is_(None)) | (Membership.banned_until > now),
        )
    ).first()
    if suspension is not None and suspension.until is not None:
        return _(
            "Your account is suspended until %(date)s: you can delete it after that date.",
            date=day(suspension.until),
        )
    if suspension is not None or banned is not None:
        return _(
            "You are suspended: you can delete your account once the suspension ends, "
            "or ask the authority's staff."
        )
    return None


@erasing.connect
def close_reports_about(member: Member) -> None:
    """Reports about the account have nothing left to act on."""
    db.session.execute(
        update(Report)
        .where(
            Report.target_type == "member", Report.target_id == member.id, Report.status == "open"
        )
        .values(
            status="resolved",
            resolution="dismiss",
            resolution_reason=_("The account was deleted."),
            resolved_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
