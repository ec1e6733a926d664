"""Initiative factories: real rows through the real services where the rules matter."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from community.extensions import db
from community.initiatives import services
from community.initiatives.models import Initiative
from community.members.models import Member
from tests.factories import make_member, make_neighbourhood, make_theme


def initiative_data(**fields: Any) -> services.InitiativeData:
    theme = fields.pop("theme", None) or make_theme()
    neighbourhood = fields.pop("neighbourhood", None) or make_neighbourhood()
    community = fields.pop("community", None)
    return services.InitiativeData(
        title=fields.pop("title", "Un composteur partagé"),
        summary=fields.pop("summary", "Un composteur au pied des immeubles."),
        description=fields.pop("description", "Nous avons **besoin** d'un bac."),
        theme_ids=fields.pop("theme_ids", [theme.id]),
        neighbourhood_id=fields.pop("neighbourhood_id", neighbourhood.id),
        community=community.slug if community is not None else None,
        needs=fields.pop("needs", ["un bac", "du broyat"]),
    )


def make_initiative(
    author: Member | None = None,
    *,
    informal: bool = False,
    awaiting_since: datetime | None = None,
    **fields: Any,
) -> Initiative:
    """An initiative proposed (or declared) by `author` through the service."""
    initiative = services.propose(
        author or make_member(), initiative_data(**fields), informal=informal
    )
    if awaiting_since is not None:
        initiative.awaiting_since = awaiting_since
        initiative.created_at = awaiting_since
        db.session.flush()
    return initiative
