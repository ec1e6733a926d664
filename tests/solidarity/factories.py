"""Mutual help rows for tests, through the real services."""

from __future__ import annotations

from typing import Any

from community.solidarity import services
from community.solidarity.services import Place
from tests.factories import make_member, make_neighbourhood, make_theme


def make_place() -> tuple[Any, Any]:
    return make_theme(), make_neighbourhood()


def make_offer(author: Any = None, theme: Any = None, neighbourhood: Any = None, **kw: Any) -> Any:
    author = author or make_member()
    theme = theme or make_theme()
    neighbourhood = neighbourhood or make_neighbourhood()
    return services.create_offer(
        author,
        Place(theme.id, neighbourhood.id),
        kw.pop("text", "Je peux faire des courses."),
        **kw,
    )


def make_request(
    author: Any = None, theme: Any = None, neighbourhood: Any = None, **kw: Any
) -> Any:
    author = author or make_member()
    theme = theme or make_theme()
    neighbourhood = neighbourhood or make_neighbourhood()
    return services.create_request(
        author,
        Place(theme.id, neighbourhood.id),
        kw.pop("text", "Besoin d'aide pour porter mes courses."),
        **kw,
    )


def make_signal(member: Any = None, theme: Any = None, neighbourhood: Any = None, **kw: Any) -> Any:
    return services.record_signal(
        member or make_member(),
        Place((theme or make_theme()).id, (neighbourhood or make_neighbourhood()).id),
        kw.pop("kind", "neighbour_help"),
        kw.pop("people", 3),
        kw.pop("contact", "no"),
        kw.pop("text", "Des voisins font les courses pour une personne âgée."),
    )
