"""The communities domain tells people about gardener proposals, and fills the "à faire"
inbox with join requests and proposals to answer."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l

from community.communities import pairs, services
from community.communities.models import GardenerProposal
from community.communities.permissions import can_see_dashboard
from community.communities.signals import gardener_proposal_answered, gardener_proposed
from community.core.notify import notify, register_kind
from community.core.todo import TodoItem, collecting
from community.core.urls import site_path
from community.members.models import Member

register_kind("gardener_proposal", _l("Someone asks me to become a gardener"))
register_kind("gardener_proposal_answer", _l("The answer to my gardener proposal"))


def _side(proposal: GardenerProposal) -> Any:
    return _l("technician gardener") if proposal.side == "technician" else _l("citizen gardener")


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
        for p in pairs.proposals_for(member)
    ]
    if not can_see_dashboard(member):
        return items
    delay = timedelta(days=current_app.config["MEMBERSHIP_ANSWER_DAYS"])
    for request in services.pending_requests_for(member):
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
