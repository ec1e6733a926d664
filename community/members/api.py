"""`/me`: the member's own account."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_smorest import Blueprint

from community.core.rest import authenticated_member
from community.extensions import limiter
from community.members import erasure, services
from community.members.export import export_data
from community.members.models import Member
from community.members.schemas import EraseSchema, MeSchema, MeUpdateSchema

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
    return member


@blp.get("/me/export")
@blp.response(200)
def export_me() -> dict[str, Any]:
    """All of one's data, as one JSON document (the same as the profile page's download)."""
    return export_data(authenticated_member())


@blp.delete("/me")
@limiter.limit(lambda: str(current_app.config["LOGIN_RATE_LIMIT"]))
@blp.arguments(EraseSchema)
@blp.response(204)
def delete_me(data: dict[str, Any]) -> None:
    """Erase one's own account for good; the password confirms it. Messages and initiatives
    stay, under "compte supprimé"; `409` when a gardener must hand over first."""
    member = authenticated_member()
    erasure.erase_account(member, data["password"])
