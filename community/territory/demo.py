"""Demo themes and neighbourhoods of a mid-sized commune."""

from __future__ import annotations

from typing import Any

from community.core.text import slugify
from community.extensions import db
from community.territory.models import Neighbourhood, Theme

THEMES = (
    "Alimentation", "Biodiversité", "Déchets et réemploi", "Solidarité", "Mobilité",
    "Culture", "Énergie", "Jeunesse", "Santé et bien-vieillir",
)  # fmt: skip
NEIGHBOURHOODS = (
    "Centre-ville", "Les Tilleuls", "La Roseraie", "Bellevue", "Le Port",
    "Saint-Jacques", "Les Hauts-de-Loire", "Le Bourg ancien",
)  # fmt: skip


def seed(ctx: Any) -> None:
    # The first seeder: there is no admin yet to act through `save_place`, so the rows are
    # written as the members' demo writes its accounts.
    for name in THEMES:
        theme = Theme(name=name, slug=slugify(name), active=True)
        db.session.add(theme)
        ctx.themes[theme.slug] = theme
    for name in NEIGHBOURHOODS:
        place = Neighbourhood(name=name, slug=slugify(name), active=True)
        db.session.add(place)
        ctx.neighbourhoods[place.slug] = place
