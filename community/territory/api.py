"""Themes and neighbourhoods, readable by anyone."""

from __future__ import annotations

from flask_smorest import Blueprint

from community.territory import services
from community.territory.models import Neighbourhood, Theme
from community.territory.schemas import PlaceSchema

blp = Blueprint(
    "territory-api", __name__, url_prefix="/api/v1", description="Themes and neighbourhoods"
)


@blp.get("/themes")
@blp.response(200, PlaceSchema(many=True))
def list_themes() -> list[Theme]:
    """The active themes, by name."""
    return services.active_themes()


@blp.get("/neighbourhoods")
@blp.response(200, PlaceSchema(many=True))
def list_neighbourhoods() -> list[Neighbourhood]:
    """The active neighbourhoods, by name."""
    return services.active_neighbourhoods()
