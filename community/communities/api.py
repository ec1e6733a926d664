"""Communities in the JSON API: public cards, membership, members (pseudonyms), gardener pair."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Blueprint
from flask_smorest.pagination import PaginationParameters

from community.communities import gardener_queries, memberships, pairs, services
from community.communities.models import SIDES
from community.communities.permissions import can_join, can_manage_communities, can_see_members
from community.communities.schemas import (
    CommunityDetailSchema,
    CommunityQuerySchema,
    CommunitySchema,
    GardenersUpdateSchema,
    JoinSchema,
    MembershipAnswerSchema,
    PairChangeSchema,
)
from community.core.errors import Invalid
from community.core.pagination import count_of
from community.core.permissions import current_member, is_authenticated, require
from community.core.standing import kept_while_suspended
from community.extensions import db
from community.members.models import Member
from community.members.schemas import PublicMemberSchema

blp = Blueprint(
    "communities-api", __name__, url_prefix="/api/v1", description="Thematic communities"
)


def _page(stmt: Any, pagination: PaginationParameters) -> list[Any]:
    pagination.item_count = count_of(stmt)
    return list(
        db.session.execute(stmt.limit(pagination.page_size).offset(pagination.first_item))
        .scalars()
        .unique()
    )


@blp.get("/communities")
@blp.arguments(CommunityQuerySchema, location="query")
@blp.response(200, CommunitySchema(many=True))
@blp.paginate()
def list_communities(
    args: dict[str, Any], pagination_parameters: PaginationParameters
) -> list[Any]:
    """Communities by name, filtered by `theme`, `neighbourhood` (ids) and a text search `q`."""
    stmt = services.search_communities(args["q"], args["theme"], args["neighbourhood"])
    return services.cards_for(_page(stmt, pagination_parameters))


@blp.get("/communities/<slug>")
@blp.response(200, CommunityDetailSchema)
def get_community(slug: str) -> services.CommunityCard:
    """A community's public fields, member count and gardener pair."""
    return services.card_for(services.community_by_slug(slug))


@blp.route("/communities/<slug>/membership")
class MembershipResource(MethodView):
    @blp.arguments(JoinSchema)
    @blp.response(200, MembershipAnswerSchema)
    def post(self, data: dict[str, Any], slug: str) -> Any:
        """Join an open community (`active`) or ask to join an on-request one (`pending`)."""
        community = services.community_by_slug(slug)
        member = current_member()
        require(can_join(member, community), member)
        membership = memberships.join(member, community, data["accept_charter"], data["message"])  # type: ignore[arg-type]
        return membership

    @kept_while_suspended("leaving a community")
    @blp.response(200, MembershipAnswerSchema)
    def delete(self, slug: str) -> Any:
        """Leave the community, or withdraw a pending request (`left`)."""
        community = services.community_by_slug(slug)
        member = current_member()
        require(is_authenticated(member), member)
        membership = memberships.leave(member, community)  # type: ignore[arg-type]
        return membership


@blp.get("/communities/<slug>/members")
@blp.response(200, PublicMemberSchema(many=True))
@blp.paginate()
def list_members(slug: str, pagination_parameters: PaginationParameters) -> list[Any]:
    """Active members, by pseudonym: for members of the community, its gardeners and staff."""
    community = services.community_by_slug(slug)
    member = current_member()
    require(can_see_members(member, community), member)
    return _page(services.active_members(community), pagination_parameters)


@blp.put("/communities/<slug>/gardeners")
@blp.arguments(GardenersUpdateSchema)
@blp.response(200, PairChangeSchema)
def put_gardeners(data: dict[str, Any], slug: str) -> services.CommunityCard:
    """Change either side of the pair (staff): a new gardener is asked first and named once
    she accepts (`asked` lists who has not answered yet); replacing one needs `handover_note`."""
    community = services.community_by_slug(slug)
    member = current_member()
    require(can_manage_communities(member), member)
    assert member is not None
    changes: dict[str, Member | None] = {}
    for side in ("technician", "citizen"):
        key = f"{side}_id"
        if key in data:
            changes[side] = db.session.get(Member, data[key]) if data[key] is not None else None
            if data[key] is not None and changes[side] is None:
                raise Invalid(_("Unknown member."), {key: [_("Unknown member.")]})
    # Whoever is named is asked first (issue 13): the answer lists who waits to accept.
    pairs.change_pair(member, community, changes, data["handover_note"])
    card = services.card_for(community)
    card.extra["asked"] = [
        p for side in SIDES if (p := gardener_queries.pending_proposal(community, side))
    ]
    return card
