"""Factory helpers: real rows through the real models, with sensible defaults."""

from __future__ import annotations

import itertools
from typing import Any

from community.auth.passwords import hash_password
from community.core.models import utcnow
from community.extensions import db
from community.members.models import Member
from community.territory.models import Neighbourhood, Theme

PASSWORD = "un mot de passe solide"
_counter = itertools.count(1)
_hash_cache: dict[str, str] = {}


def password_hash(password: str = PASSWORD) -> str:
    """argon2 is slow on purpose: hash each test password once per session."""
    if password not in _hash_cache:
        _hash_cache[password] = hash_password(password)
    return _hash_cache[password]


def make_theme(name: str | None = None, **fields: Any) -> Theme:
    n = next(_counter)
    name = name or f"Thème {n}"
    theme = Theme(name=name, slug=fields.pop("slug", f"theme-{n}"), **fields)
    db.session.add(theme)
    db.session.flush()
    return theme


def make_neighbourhood(name: str | None = None, **fields: Any) -> Neighbourhood:
    n = next(_counter)
    name = name or f"Quartier {n}"
    place = Neighbourhood(name=name, slug=fields.pop("slug", f"quartier-{n}"), **fields)
    db.session.add(place)
    db.session.flush()
    return place


def make_member(
    role: str = "citizen",
    *,
    email: str | None = None,
    display_name: str | None = None,
    password: str = PASSWORD,
    confirmed: bool = True,
    **fields: Any,
) -> Member:
    n = next(_counter)
    display_name = display_name or f"Membre {n}"
    member = Member(
        email=email or f"membre{n}@example.org",
        display_name=display_name,
        display_name_key=display_name.casefold(),
        password_hash=password_hash(password),
        role=role,
        email_confirmed_at=utcnow() if confirmed else None,
        **fields,
    )
    db.session.add(member)
    db.session.flush()
    return member


def make_community(
    name: str | None = None,
    *,
    theme: Theme | None = None,
    visibility: str = "open",
    technician: Member | None = None,
    citizen: Member | None = None,
    members: tuple[Member, ...] = (),
    **fields: Any,
) -> Any:
    """A community; `technician`/`citizen` open gardener mandates (the citizen joins too)."""
    from community.communities.models import Community, GardenerMandate

    n = next(_counter)
    community = Community(
        name=name or f"Communauté {n}",
        slug=fields.pop("slug", f"communaute-{n}"),
        theme=theme or make_theme(),
        visibility=visibility,
        description=fields.pop("description", "Une communauté d'habitants."),
        **fields,
    )
    db.session.add(community)
    db.session.flush()
    for member in (*members, *([citizen] if citizen else [])):
        make_membership(community, member)
    for side, gardener in (("technician", technician), ("citizen", citizen)):
        if gardener is not None:
            db.session.add(GardenerMandate(community=community, member=gardener, side=side))
    db.session.flush()
    return community


def make_membership(community: Any, member: Member, status: str = "active") -> Any:
    from community.communities.models import Membership

    membership = Membership(
        community=community,
        member=member,
        status=status,
        joined_at=utcnow() if status == "active" else None,
        charter_accepted_at=utcnow(),
    )
    db.session.add(membership)
    db.session.flush()
    return membership


def make_thread(community: Any | None = None, title: str = "Un sujet", **fields: Any) -> Any:
    from community.threads.models import Thread

    thread = Thread(
        community=community,
        kind=fields.pop("kind", "community" if community is not None else "initiative"),
        title=title,
        **fields,
    )
    db.session.add(thread)
    db.session.flush()
    return thread
