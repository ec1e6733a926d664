"""`/me`: the member's own account."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from community.core.rest import authenticated_member
from community.extensions import db
from community.members import services
from community.members.models import Member
from community.members.schemas import MeSchema, MeUpdateSchema

blp = Blueprint(
    "members-api", __name__, url_prefix="/api/v1", description="The member's own account"
)


@blp.get("/me")
@blp.response(200, MeSchema)
def get_me() -> Member:
    """The account behind the token or session."""
    return authenticated_member()


@blp.patch("/me")
@blp.arguments(MeUpdateSchema)
@blp.response(200, MeSchema)
def patch_me(data: dict[str, Any]) -> Member:
    """Change one's own profile; fields left out stay as they are."""
    member = authenticated_member()
    changes = services.ProfileChanges(
        display_name=data.get("display_name"),
        neighbourhood_id=data.get("neighbourhood_id"),
        clear_neighbourhood="neighbourhood_id" in data and data["neighbourhood_id"] is None,
        theme_ids=data.get("theme_ids"),
        skills=data.get("skills"),
        bio=data.get("bio"),
        locale=data.get("locale"),
    )
    services.update_profile(member, changes)
    db.session.commit()
    return member
