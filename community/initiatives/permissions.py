"""Who may do what with an initiative. Views, API, templates and services share these."""

from __future__ import annotations

from community.communities.models import Community
from community.communities.permissions import (
    acts_as_gardener,
    gardens_any,
    in_good_standing,
    is_gardener,
)
from community.core.permissions import is_authenticated, is_staff
from community.initiatives.models import Initiative
from community.members.models import Member
from community.moderation.standing import is_banned_from


def is_author(member: Member | None, initiative: Initiative) -> bool:
    return is_authenticated(member) and initiative.author_id == member.id  # type: ignore[union-attr]


def is_initiative_gardener(member: Member | None, initiative: Initiative) -> bool:
    """A gardener of the initiative's community (a spontaneous one has none)."""
    return initiative.community is not None and is_gardener(member, initiative.community)


def acts_as_initiative_gardener(member: Member | None, initiative: Initiative) -> bool:
    """A gardener of its community who may use the role right now (not suspended from the
    platform nor from that community)."""
    return initiative.community is not None and acts_as_gardener(member, initiative.community)


def takes_part_in(member: Member | None, community: Community | None) -> bool:
    """Not suspended from `community` (a ban makes her a reader there: she proposes,
    supports, lends a hand, edits and tells news there no more). A spontaneous initiative has
    no community; a suspension from the platform is refused at the seam, for every write."""
    return community is None or not is_banned_from(member, community)


def can_propose(member: Member | None, community: Community | None = None) -> bool:
    """Any member may propose or declare an initiative — in a community she is not suspended
    from (`community`: where she proposes it, once chosen)."""
    return is_authenticated(member) and takes_part_in(member, community)


def can_edit(member: Member | None, initiative: Initiative) -> bool:
    """Its author changes its text, themes, neighbourhood and needs (not while suspended from
    its community)."""
    return is_author(member, initiative) and takes_part_in(member, initiative.community)


def can_answer(member: Member | None, initiative: Initiative) -> bool:
    """Change the status with a public answer: gardeners of its community, and staff; never
    its own author (the other side of the pair, or staff, answers her); never while suspended
    (from the platform, or from its community)."""
    if is_author(member, initiative):
        return False
    if is_staff(member):
        return in_good_standing(member, initiative.community)
    return acts_as_initiative_gardener(member, initiative)


def can_change_status(member: Member | None, initiative: Initiative) -> bool:
    """Answerers move it; its author may withdraw it or ask for support."""
    return can_answer(member, initiative) or is_author(member, initiative)


def can_support(member: Member | None, initiative: Initiative) -> bool:
    """Support it: any member but its author (her own idea is not a support), not while
    suspended from its community."""
    return (
        is_authenticated(member)
        and not is_author(member, initiative)
        and takes_part_in(member, initiative.community)
    )


def can_withdraw_support(member: Member | None, initiative: Initiative) -> bool:
    """Take a support back: any member (one given before the rule above stays withdrawable)."""
    return is_authenticated(member)


def can_lend_a_hand(member: Member | None, initiative: Initiative) -> bool:
    """Lend a hand: any member, not while suspended from its community."""
    return is_authenticated(member) and takes_part_in(member, initiative.community)


def can_stop_helping(member: Member | None, initiative: Initiative) -> bool:
    """Take one's offer of help back: any member (one given before a suspension too)."""
    return is_authenticated(member)


def can_post_update(member: Member | None, initiative: Initiative) -> bool:
    """Tell its story: its author and the gardeners of its community (not suspended)."""
    return can_edit(member, initiative) or acts_as_initiative_gardener(member, initiative)


def can_see_volunteers(member: Member | None, initiative: Initiative) -> bool:
    """Who volunteered, and what they offered: its author and the gardeners of its community."""
    return is_author(member, initiative) or is_initiative_gardener(member, initiative)


def can_see_awaiting(member: Member | None) -> bool:
    """The list of initiatives awaiting an answer: staff, and whoever gardens a community."""
    return is_staff(member) or gardens_any(member)
