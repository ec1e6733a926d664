"""Browsing initiatives: filters, text search, sort; the relations a list shows load eagerly."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Row, Select, false, or_, select, true
from sqlalchemy.orm import joinedload, load_only, raiseload, selectinload
from sqlalchemy.sql.elements import ColumnElement

from community.communities.models import Community
from community.communities.permissions import moderated_community_ids
from community.core.edge import as_id
from community.core.permissions import is_authenticated
from community.core.search import matching_ids
from community.extensions import db
from community.initiatives.models import (
    Initiative,
    InitiativeUpdate,
    Participation,
    StatusChange,
    initiative_themes,
)
from community.members.models import Member
from community.moderation.permissions import can_moderate_in
from community.territory.models import Neighbourhood, Theme

SORTS = ("newest", "supported")


@dataclass
class Filters:
    theme_id: int | None = None
    neighbourhood_id: int | None = None
    status: str | None = None
    community: str | None = None  # slug
    informal: bool = False
    spontaneous: bool = False
    q: str = ""
    sort: str = "newest"


def with_relations(stmt: Select[Initiative]) -> Select[Initiative]:
    """What a list or a JSON initiative shows, in a fixed number of queries."""
    return stmt.options(
        selectinload(Initiative.themes),
        joinedload(Initiative.neighbourhood),
        joinedload(Initiative.community),
        joinedload(Initiative.author),
        selectinload(Initiative.status_changes),
    )


def as_cards(stmt: Select[Initiative]) -> Select[Initiative]:
    """What a card shows (`templates/initiatives/_card.html`), and nothing else: the list page
    loads no description, author or story (a template asking more raises)."""
    return stmt.options(
        load_only(
            Initiative.id,
            Initiative.title,
            Initiative.status,
            Initiative.informal,
            Initiative.summary,
            Initiative.support_count,
            Initiative.community_id,
            Initiative.neighbourhood_id,
        ),
        joinedload(Initiative.community).load_only(Community.id, Community.name),
        joinedload(Initiative.neighbourhood).load_only(Neighbourhood.id, Neighbourhood.name),
        selectinload(Initiative.themes).load_only(Theme.id, Theme.name),
        raiseload("*"),
    )


def browse(filters: Filters) -> Select[Initiative]:
    """The select of initiatives matching `filters`, sorted, with what a list or a JSON
    initiative shows (paginate it)."""
    return with_relations(matching(filters))


def matching(filters: Filters) -> Select[Initiative]:
    """The select of initiatives matching `filters`, sorted, without options."""
    stmt = select(Initiative).where(Initiative.hidden_at.is_(None))
    if filters.theme_id is not None:
        stmt = stmt.where(
            Initiative.id.in_(
                select(initiative_themes.c.initiative_id).where(
                    initiative_themes.c.theme_id == filters.theme_id
                )
            )
        )
    if filters.neighbourhood_id is not None:
        stmt = stmt.where(Initiative.neighbourhood_id == filters.neighbourhood_id)
    if filters.status:
        stmt = stmt.where(Initiative.status == filters.status)
    if filters.community:
        stmt = stmt.where(
            Initiative.community_id.in_(
                select(Community.id).where(Community.slug == filters.community)
            )
        )
    if filters.informal:
        stmt = stmt.where(Initiative.informal.is_(True))
    if filters.spontaneous:
        stmt = stmt.where(Initiative.community_id.is_(None))
    ids = matching_ids("initiative", filters.q)  # forgiving: see community.core.search
    if ids is not None:
        stmt = stmt.where(Initiative.id.in_(ids))
    if filters.sort == "supported":
        stmt = stmt.order_by(Initiative.support_count.desc(), Initiative.created_at.desc())
    else:
        stmt = stmt.order_by(Initiative.created_at.desc(), Initiative.id.desc())
    return stmt.order_by(Initiative.id.desc())


def latest_of(community_id: int, limit: int = 5) -> Sequence[Row[int, str, str]]:
    """(id, title, status) of a community's newest visible initiatives: what its page shows."""
    stmt = (
        select(Initiative.id, Initiative.title, Initiative.status)
        .where(Initiative.hidden_at.is_(None), Initiative.community_id == community_id)
        .order_by(Initiative.created_at.desc(), Initiative.id.desc())
        .limit(limit)
    )
    return db.session.execute(stmt).all()


def get_initiative(initiative_id: int) -> Initiative | None:
    """One initiative with everything its page shows: answers, story, volunteers."""
    stmt = with_relations(select(Initiative).where(Initiative.id == initiative_id)).options(
        selectinload(Initiative.status_changes).joinedload(StatusChange.author),
        selectinload(Initiative.updates).joinedload(InitiativeUpdate.author),
        selectinload(Initiative.participations).joinedload(Participation.member),
    )
    return db.session.execute(stmt).scalar_one_or_none()


# --- the visibility layer -------------------------------------------------------------


def readable_initiatives(member: Member | None) -> ColumnElement[bool]:
    """The filter on `Initiative` of what `member` may read: every initiative but the hidden
    ones, which stay readable by their author and their moderators (gardeners of their
    community, not while suspended; staff)."""
    visible = Initiative.hidden_at.is_(None)
    if not is_authenticated(member):
        return visible
    assert member is not None
    if can_moderate_in(member, None):  # staff, not suspended
        return true()
    moderated = moderated_community_ids(member)
    return or_(
        visible,
        Initiative.author_id == member.id,
        Initiative.community_id.in_(moderated) if moderated else false(),
    )


def readable_initiative(member: Member | None, initiative_id: object) -> Initiative | None:
    """One initiative with what its page shows, or None as for an id that does not exist."""
    if as_id(initiative_id) is None:
        return None
    stmt = with_relations(
        select(Initiative).where(Initiative.id == initiative_id, readable_initiatives(member))
    ).options(
        selectinload(Initiative.status_changes).joinedload(StatusChange.author),
        selectinload(Initiative.updates).joinedload(InitiativeUpdate.author),
        selectinload(Initiative.participations).joinedload(Participation.member),
    )
    return db.session.execute(stmt).unique().scalar_one_or_none()


def readable_titles(member: Member | None, initiative_ids: Iterable[int | None]) -> dict[int, str]:
    """{id: title} of those of `initiative_ids` that `member` may read, in one query: what
    another domain may name (a rencontre linked to an initiative hidden since names it only
    to its author and moderators)."""
    ids = {i for i in initiative_ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        select(Initiative.id, Initiative.title).where(
            Initiative.id.in_(ids), readable_initiatives(member)
        )
    )
    return {initiative_id: title for initiative_id, title in rows}


def linkable_initiatives(member: Member | None, community_id: int) -> Select[int, str]:
    """(id, title) of the initiatives of a community that `member` may link something to (a
    rencontre), by title: those she may read, and never a hidden one — even for a moderator
    who reads it: linking would show it again on the rencontre."""
    return (
        select(Initiative.id, Initiative.title)
        .where(
            Initiative.community_id == community_id,
            Initiative.hidden_at.is_(None),
            readable_initiatives(member),
        )
        .order_by(Initiative.title, Initiative.id)
    )
