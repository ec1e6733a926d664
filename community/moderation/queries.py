"""What moderators read: the queue of reports and the journal of acts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from community.core.permissions import is_staff
from community.extensions import db
from community.members.models import Member
from community.moderation.models import ModerationAction, Report
from community.moderation.permissions import gardened_community_ids


def queue(member: Member, status: str = "open") -> Select[Any]:
    """Reports `member` may answer, newest first (staff: all; gardeners: their communities')."""
    stmt = select(Report).options(
        selectinload(Report.community), selectinload(Report.target_author)
    )
    if status in {"open", "resolved"}:
        stmt = stmt.where(Report.status == status)
    if not is_staff(member):
        stmt = stmt.where(Report.community_id.in_(gardened_community_ids(member)))
    # Nobody answers a report about their own content (can_resolve): not listed to them.
    stmt = stmt.where(or_(Report.target_author_id.is_(None), Report.target_author_id != member.id))
    return stmt.order_by(Report.created_at.desc(), Report.id.desc())


def journal(member: Member) -> Select[Any]:
    """The moderation acts `member` may read, newest first."""
    stmt = select(ModerationAction).options(
        selectinload(ModerationAction.actor),
        selectinload(ModerationAction.subject),
        selectinload(ModerationAction.community),
    )
    if not is_staff(member):
        stmt = stmt.where(ModerationAction.community_id.in_(gardened_community_ids(member)))
    return stmt.order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())


def acts_about(target_type: str, target_id: int) -> list[ModerationAction]:
    """The journal entries about one target, oldest first."""
    return list(
        db.session.execute(
            select(ModerationAction)
            .options(selectinload(ModerationAction.actor))
            .where(
                ModerationAction.target_type == target_type,
                ModerationAction.target_id == target_id,
            )
            .order_by(ModerationAction.created_at, ModerationAction.id)
        ).scalars()
    )
