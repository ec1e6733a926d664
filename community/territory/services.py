"""Managing themes and neighbourhoods (admins), and reading them (everyone)."""

from __future__ import annotations

from typing import NamedTuple, TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from community.core.cache import TTLCache
from community.core.database import natural
from community.core.errors import Invalid
from community.core.permissions import require
from community.core.signals import on_commit
from community.core.text import slugify
from community.extensions import db
from community.members.models import Member
from community.territory.models import Neighbourhood, Theme
from community.territory.permissions import can_manage_territory

Place = TypeVar("Place", Theme, Neighbourhood)

# The active themes' and neighbourhoods' names, as the lists and filters show them, kept
# PLACES_CACHE_SECONDS (60 by default) by each process; an admin's change forgets them at its
# commit in the process that made it (another process shows it at the latest that much later).
NAMES = TTLCache("PLACES_CACHE_SECONDS", size=4)


class PlaceName(NamedTuple):
    id: int
    name: str


def active_themes() -> list[Theme]:
    return list(
        db.session.execute(
            select(Theme).where(Theme.active).order_by(natural(Theme.name))
        ).scalars()
    )


def active_neighbourhoods() -> list[Neighbourhood]:
    return list(
        db.session.execute(
            select(Neighbourhood).where(Neighbourhood.active).order_by(natural(Neighbourhood.name))
        ).scalars()
    )


def theme_names() -> list[PlaceName]:
    """(id, name) of the active themes, by name (kept a short while: NAMES)."""
    return NAMES.get("themes", lambda: [PlaceName(t.id, t.name) for t in active_themes()])


def neighbourhood_names() -> list[PlaceName]:
    """(id, name) of the active neighbourhoods, by name (kept a short while: NAMES)."""
    return NAMES.get(
        "neighbourhoods", lambda: [PlaceName(n.id, n.name) for n in active_neighbourhoods()]
    )


def theme_choices() -> list[SelectChoice]:
    """Choices for a form's theme field."""
    return [SelectChoice(t.id, t.name) for t in theme_names()]


def neighbourhood_choices() -> list[SelectChoice]:
    """Choices for a form's neighbourhood field."""
    return [SelectChoice(n.id, n.name) for n in neighbourhood_names()]


def save_place(
    actor: Member | None,
    kind: type[Place],
    name: str,
    place: Place | None = None,
    active: bool = True,
) -> Place:
    """Create or rename a theme or neighbourhood (admins); names and slugs stay unique."""
    require(can_manage_territory(actor), actor)
    name = " ".join((name or "").split())
    if not 2 <= len(name) <= 80:
        raise Invalid(_("A name has 2 to 80 characters."), {"name": [_("2 to 80 characters.")]})
    slug = slugify(name)
    if not slug:
        raise Invalid(
            _("This name needs at least one letter or digit."), {"name": [_("Not valid.")]}
        )
    clash = db.session.execute(
        select(kind.id).where((kind.name == name) | (kind.slug == slug))
    ).scalar_one_or_none()
    if clash is not None and (place is None or clash != place.id):
        raise Invalid(_("This name is already used."), {"name": [_("Already used.")]})
    if place is None:
        place = kind(name=name, slug=slug, active=active)
        db.session.add(place)
    else:
        place.name, place.slug, place.active = name, slug, active
    db.session.flush()
    on_commit(NAMES.clear)  # the lists show the change at once (in this process)
    return place
