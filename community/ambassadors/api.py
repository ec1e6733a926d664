"""Ambassadors in the JSON API: listing and naming (gardeners, staff), the outreach journal."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters

from community.ambassadors import services
from community.ambassadors.models import Ambassador, OutreachLog
from community.ambassadors.permissions import can_log_outreach, can_name_ambassador
from community.ambassadors.schemas import AmbassadorCreateSchema, AmbassadorSchema, OutreachSchema
from community.communities.services import community_by_slug
from community.core.errors import Invalid
from community.core.pagination import count_of
from community.core.permissions import current_member, require
from community.core.rest import authenticated_member
from community.extensions import db
from community.members.models import Member
from community.territory.models import Neighbourhood

blp = Blueprint("ambassadors-api", __name__, url_prefix="/api/v1", description="Ambassadors")


@blp.get("/ambassadors")
@blp.response(200, AmbassadorSchema(many=True))
@blp.paginate()
def list_ambassadors(pagination_parameters: PaginationParameters) -> list[Ambassador]:
    """Staff see every mandate; gardeners those of their communities; ambassadors their own."""
    member = authenticated_member()
    require(services.may_list_ambassadors(member), member)
    stmt = services.visible_ambassadors(member)
    pagination_parameters.item_count = count_of(stmt)
    return list(
        db.session.execute(
            stmt.limit(pagination_parameters.page_size).offset(pagination_parameters.first_item)
        ).scalars()
    )


@blp.post("/ambassadors")
@blp.arguments(AmbassadorCreateSchema)
@blp.response(201, AmbassadorSchema)
def create_ambassador(data: dict[str, Any]) -> Ambassador:
    """Name a member ambassador of a community (`community` slug) or a neighbourhood."""
    member = authenticated_member()
    community = community_by_slug(data["community"]) if data["community"] else None
    neighbourhood = None
    if data["neighbourhood_id"] is not None:
        neighbourhood = db.session.get(Neighbourhood, data["neighbourhood_id"])
        if neighbourhood is None:
            raise Invalid(
                _("Unknown neighbourhood."), {"neighbourhood_id": [_("Unknown neighbourhood.")]}
            )
    if community is not None or neighbourhood is not None:
        require(can_name_ambassador(member, community, neighbourhood), member)
    chosen = db.session.get(Member, data["member_id"])
    if chosen is None:
        raise Invalid(_("Unknown member."), {"member_id": [_("Unknown member.")]})
    ambassador = services.name_ambassador(member, chosen, data["mission"], community, neighbourhood)
    return ambassador


@blp.post("/ambassadors/<int:ambassador_id>/outreach")
@blp.arguments(OutreachSchema)
@blp.response(201, OutreachSchema)
def create_outreach(data: dict[str, Any], ambassador_id: int) -> OutreachLog:
    """Log an outing in the ambassador's journal (the ambassador only; no contact details)."""
    ambassador = services.ambassador_or_404(ambassador_id)
    member = current_member()
    require(can_log_outreach(member, ambassador), member)
    assert member is not None
    entry = services.log_outreach(member, ambassador, services.OutreachData(**data))
    return entry
