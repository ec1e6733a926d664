"""Demo themes and neighbourhoods of a mid-sized commune."""

from __future__ import annotations

from typing import Any

from community.territory.models import Neighbourhood, Theme
from community.territory.services import save_place

THEMES = (
    "Alimentation", "Biodiversité", "Déchets et réemploi", "Solidarité", "Mobilité",
    "Culture", "Énergie", "Jeunesse", "Santé et bien-vieillir",
)  # fmt: skip
NEIGHBOURHOODS = (
    "Centre-ville", "Les Tilleuls", "La Roseraie", "Bellevue", "Le Port",
    "Saint-Jacques", "Les Hauts-de-Loire", "Le Bourg ancien",
)  # fmt: skip


def seed(ctx: Any) -> None:
    for name in THEMES:
        theme = save_place(Theme, name)
        ctx.themes[theme.slug] = theme
    for name in NEIGHBOURHOODS:
        place = save_place(Neighbourhood, name)
        ctx.neighbourhoods[place.slug] = place
