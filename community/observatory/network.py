"""Communities linked by the members they share (networkx): bridges and isolated ones.

Aggregates only: an overlap is a count of people, shown only from `min_cell` up; smaller
overlaps draw no link at all. Nothing is ever computed for a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from community.communities.models import Community, Membership
from community.core.database import natural
from community.extensions import db


@dataclass
class Link:
    a: Community
    b: Community
    shared: int  # at least min_cell


@dataclass
class Network:
    communities: list[Community]
    links: list[Link] = field(default_factory=list)
    bridges: list[Community] = field(
        default_factory=list
    )  # cut vertices: they hold others together
    isolated: list[Community] = field(default_factory=list)
    groups: int = 0


def shared_members() -> dict[tuple[int, int], int]:
    """{(community a, community b): active members in both}, a < b, one grouped query."""
    first, second = aliased(Membership), aliased(Membership)
    stmt = (
        select(first.community_id, second.community_id, func.count())
        .join(
            second,
            (second.member_id == first.member_id) & (second.community_id > first.community_id),
        )
        .where(first.status == "active", second.status == "active")
        .group_by(first.community_id, second.community_id)
    )
    return {(int(a), int(b)): int(c) for a, b, c in db.session.execute(stmt).all()}


def network(min_cell: int) -> Network:
    """The graph of communities whose overlap reaches the threshold."""
    communities = list(
        db.session.execute(select(Community).order_by(natural(Community.name))).scalars()
    )
    by_id = {c.id: c for c in communities}
    graph = nx.Graph()
    graph.add_nodes_from(by_id)
    result = Network(communities)
    for (a, b), shared in sorted(shared_members().items()):
        if shared >= min_cell and a in by_id and b in by_id:
            graph.add_edge(a, b, weight=shared)
            result.links.append(Link(by_id[a], by_id[b], shared))
    result.links.sort(key=lambda link: (-link.shared, link.a.name, link.b.name))
    result.bridges = sorted((by_id[n] for n in nx.articulation_points(graph)), key=lambda c: c.name)
    result.isolated = [by_id[n] for n in sorted(nx.isolates(graph), key=lambda n: by_id[n].name)]
    result.groups = nx.number_connected_components(graph) if communities else 0
    return result
