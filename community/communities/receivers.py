"""The communities domain reacts to its own facts: membership answers and gardeners named are
told (`core.notify`)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from community.communities.models import Community, GardenerMandate, Handover, Membership
from community.communities.signals import gardener_changed, membership_answered
from community.core.content import excerpt
from community.core.notify import notify, register_kind
from community.core.urls import site_path
from community.extensions import db
from community.members.models import Member

# Not pushable: a refusal quotes the gardeners' answer to the member.
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
        if mandate.side == "technician":
            text = _l(
                "You are now the technician gardener of %(community)s.", community=community.name
            )
        else:
            text = _l(
                "You are now the citizen gardener of %(community)s.", community=community.name
            )
        url = site_path("communities.show", slug=community.slug)
        notify(mandate.member, "gardener", text, url, actor=actor)
    if handover is not None and handover.to_member_id is not None:
        successor = db.session.get(Member, handover.to_member_id)
        community = handover.community
        if successor is not None:
            text = _l("A handover note waits for you in %(community)s.", community=community.name)
            notify(successor, "handover", text, site_path("communities.dashboard"), actor=actor)
