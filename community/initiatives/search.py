"""Initiatives in the one search service: title, summary, description, themes."""

from __future__ import annotations

from community.core.search import Source, register
from community.initiatives.models import Initiative
from community.territory.models import Theme
from community.territory.search import theme_text


def _text_of(initiative: Initiative) -> str:
    return " ".join(
        [
            initiative.title,
            initiative.summary or "",
            initiative.description or "",
            *(theme_text(theme) for theme in initiative.themes),
        ]
    )


SOURCE = register(
    Source(
        "initiative",
        Initiative,
        _text_of,
        ("title", "summary", "description", "themes"),
        depends_on=(Theme,),
    )
)
