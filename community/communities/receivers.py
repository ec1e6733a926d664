"""The communities domain reacts to its own facts: membership answers and gardeners named are
told (`core.notify`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from community.communities import gardener_queries, memberships
from community.communities.models import (
    Community,
    GardenerMandate,
    GardenerProposal,
    Handover,
    Membership,
)
from community.communities.permissions import can_see_dashboard, in_good_standing
from community.communities.roles import gardener_role
from community.communities.signals import (
    gardener_changed,
    gardener_proposal_answered,
    gardener_proposed,
    membership_answered,
)
from community.core.content import excerpt
from community.core.notify import notify, register_kind
from community.core.todo import TodoItem, collecting
from community.core.urls import site_path
from community.extensions import db
from community.members.models import Member

# Pushed with a neutral title of its own (notifications/push.py): a refusal quotes the
# gardeners' answer to the member.
register_kind("membership", _l("Your communities"))
register_kind("gardener", _l("Your roles"))
register_kind("handover", _l("Handover notes"))


@membership_answered.connect
def tell_member_answered(membership: Membership, *, actor: Member) -> None:
    """The member learns whether they were accepted, and the gardeners' answer."""
    community = membership.community
    url = site_path("communities.show", slug=community.slug)
    if membership.status == "active":
        text = _l("Your request to join %(community)s is accepted.", community=community.name)
    else:
        text = _l(
            "Your request to join %(community)s is refused. Answer: %(answer)s",
            community=community.name,
            answer=excerpt(membership.answer, 200),
        )
    notify(membership.member, "membership", text, url, actor=actor)


@gardener_changed.connect
def tell_gardener_and_successor(
    _community: Community,
    *,
    mandate: GardenerMandate | None,
    handover: Handover | None,
    actor: Member,
) -> None:
    """The new gardener is told, and the successor a handover note waits for."""
    if mandate is not None:
        community = mandate.community
        text = _l(
            "You now hold the role of %(role)s in %(community)s.",
            role=gardener_role(mandate.side),
            community=community.name,
        )
        url = site_path("communities.show", slug=community.slug)
        notify(mandate.member, "gardener", text, url, actor=actor)
    if handover is not None and handover.to_member_id is not None:
        successor = db.session.get(Member, handover.to_member_id)
        community = handover.community
        if successor is not None:
            text = _l("A handover note waits for you in %(community)s.", community=community.name)
            notify(successor, "handover", text, site_path("communities.dashboard"), actor=actor)


register_kind("gardener_proposal", _l("Someone asks me to become a gardener"))
# Who asks someone to become a gardener: staff, or a citizen gardener handing over her side.
register_kind(
    "gardener_proposal_answer",
    _l("The answer to my gardener proposal"),
    audience=can_see_dashboard,
)


def _side(proposal: GardenerProposal) -> Any:
    return gardener_role(proposal.side)


@gardener_proposed.connect
def _ask_candidate(proposal: GardenerProposal, *, actor: Member, **_kwargs: Any) -> None:
    text = _l(
        "You are asked to become %(side)s of %(community)s. Accept or decline.",
        side=_side(proposal),
        community=proposal.community.name,
    )
    url = site_path("communities.proposal", proposal_id=proposal.id)
    notify(proposal.candidate, "gardener_proposal", text, url, actor=actor)


@gardener_proposal_answered.connect
def _tell_proposer(proposal: GardenerProposal, *, actor: Member, **_kwargs: Any) -> None:
    if proposal.proposed_by is None:
        return
    if proposal.status == "accepted":
        text = _l(
            "%(name)s accepted: she or he is now %(side)s of %(community)s.",
            name=proposal.candidate.display_name,
            side=_side(proposal),
            community=proposal.community.name,
        )
    else:
        text = _l(
            "%(name)s declined to become %(side)s of %(community)s.",
            name=proposal.candidate.display_name,
            side=_side(proposal),
            community=proposal.community.name,
        )
    url = site_path("communities.show", slug=proposal.community.slug)
    notify(proposal.proposed_by, "gardener_proposal_answer", text, url, actor=actor)


@collecting.connect
def _waiting(member: Member, **_kwargs: Any) -> list[TodoItem]:
    items = [
        TodoItem(
            kind="gardener",
            label=_l("Gardener proposal"),
            title=str(
                _l(
                    "Become %(side)s of %(community)s?",
                    side=_side(p),
                    community=p.community.name,
                )
            ),
            url=site_path("communities.proposal", proposal_id=p.id),
            since=p.created_at,
            community=p.community.name,
        )
        for p in gardener_queries.proposals_for(member)
        # Suspended, she cannot answer it (it waits for her, off the list, until then).
        if in_good_standing(member, p.community)
    ]
    if not can_see_dashboard(member):
        return items
    delay = timedelta(days=current_app.config["MEMBERSHIP_ANSWER_DAYS"])
    for request in memberships.pending_requests_for(member):
        items.append(
            TodoItem(
                kind="membership",
                label=_l("Join request"),
                title=str(
                    _l(
                        "%(name)s asks to join %(community)s",
                        name=request.member.display_name,
                        community=request.community.name,
                    )
                ),
                url=site_path("communities.dashboard", _anchor=f"request-{request.id}"),
                since=request.created_at,
                due_at=request.created_at + delay,
                community=request.community.name,
            )
        )
    return items
