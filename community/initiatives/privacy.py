"""The initiatives domain's part of a member's personal data: initiatives, supports, volunteering,
updates and status answers."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from community.communities.models import Community
from community.core.privacy import export_rows
from community.extensions import db
from community.initiatives.models import (
    Initiative,
    InitiativeUpdate,
    Participation,
    StatusChange,
    Support,
)
from community.members.models import Member
from community.members.signals import erased, erasing, exporting


@exporting.connect
def export_sections(member: Member) -> dict[str, Any]:
    """This domain's sections of `member`'s data export (one query per section)."""
    me = member.id
    community = Community.slug.label("community")
    title = Initiative.title.label("initiative_title")
    return {
        "initiatives": export_rows(
            select(
                Initiative.id,
                Initiative.title,
                Initiative.summary,
                Initiative.description,
                Initiative.needs,
                Initiative.informal,
                Initiative.status,
                community,
                Initiative.created_at,
                Initiative.updated_at,
            )
            .outerjoin(Community, Community.id == Initiative.community_id)
            .where(Initiative.author_id == me)
            .order_by(Initiative.id)
        ),
        "supports": export_rows(
            select(Support.initiative_id, title, Support.created_at)
            .join(Initiative, Initiative.id == Support.initiative_id)
            .where(Support.member_id == me)
            .order_by(Support.id)
        ),
        "volunteering": export_rows(
            select(
                Participation.initiative_id, title, Participation.message, Participation.created_at
            )
            .join(Initiative, Initiative.id == Participation.initiative_id)
            .where(Participation.member_id == me)
            .order_by(Participation.id)
        ),
        "initiative_updates": export_rows(
            select(
                InitiativeUpdate.initiative_id,
                InitiativeUpdate.body,
                InitiativeUpdate.photo,
                InitiativeUpdate.created_at,
            )
            .where(InitiativeUpdate.author_id == me)
            .order_by(InitiativeUpdate.id)
        ),
        "status_answers": export_rows(
            select(
                StatusChange.initiative_id,
                StatusChange.from_status,
                StatusChange.to_status,
                StatusChange.answer,
                StatusChange.reason,
                StatusChange.created_at,
            )
            .where(StatusChange.author_id == me)
            .order_by(StatusChange.id)
        ),
    }


# Initiatives whose supports go with an account being erased, by member id, until recounted.
_SUPPORTED = "terreau_initiatives_supported_by_erased"


@erasing.connect
def remember_supports(member: Member) -> None:
    """The supports go with the account: remember which initiatives to recount."""
    db.session.info.setdefault(_SUPPORTED, {})[member.id] = list(
        db.session.execute(
            select(Support.initiative_id).where(Support.member_id == member.id)
        ).scalars()
    )


@erased.connect
def recount_supports(member_id: int) -> None:
    """Supports went with the account: the counts follow, from the table itself."""
    initiative_ids = db.session.info.get(_SUPPORTED, {}).pop(member_id, [])
    if not initiative_ids:
        return
    count = (
        select(func.count(Support.id))
        .where(Support.initiative_id == Initiative.id)
        .scalar_subquery()
    )
    db.session.execute(
        update(Initiative)
        .where(Initiative.id.in_(initiative_ids))
        .values(support_count=count)
        .execution_options(synchronize_session=False)
    )
