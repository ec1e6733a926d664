"""Communities in the one search service: by name, description, theme and its everyday words."""

from __future__ import annotations

from community.communities.models import Community
from community.core.search import Source, register
from community.territory.models import Theme
from community.territory.search import theme_text


def _text_of(community: Community) -> str:
    return " ".join([community.name, community.description or "", theme_text(community.theme)])


SOURCE = register(
    Source(
        "community",
        Community,
        _text_of,
        ("name", "description", "theme_id", "theme"),
        depends_on=(Theme,),
    )
)
