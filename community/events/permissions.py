"""Who may see, plan, join and run a rencontre. Pages, API and templates share these.

Reading follows the community: an open community's rencontres are for anyone, an on-request
community's for its active members, its gardeners and staff — the one rule of `queries.py`,
which the lists, the feed, the reminders and the notices use too.
"""

from __future__ import annotations

from sqlalchemy import select

from community.ambassadors.models import Ambassador
from community.communities.models import Community, Membership
from community.communities.permissions import in_good_standing, looks_after
from community.core.permissions import is_authenticated
from community.core.ratelimit import mailbox
from community.events.models import Event
from community.events.queries import may_read_community_events
from community.extensions import db
from community.members.models import Member
from community.moderation.models import PlatformSuspension
from community.moderation.standing import active_suspension, is_banned_from


def can_read_community_events(member: Member | None, community: Community) -> bool:
    """See a community's rencontres."""
    return may_read_community_events(member, community)


def can_read_event(member: Member | None, event: Event) -> bool:
    """See one rencontre (its page, its `.ics`)."""
    return can_read_community_events(member, event.community)


def is_ambassador_of(member: Member | None, community: Community) -> bool:
    """Holds an active ambassador mission for `community`."""
    if not is_authenticated(member):
        return False
    assert member is not None
    return (
        db.session.execute(
            select(Ambassador.id).where(
                Ambassador.member_id == member.id,
                Ambassador.community_id == community.id,
                Ambassador.status == "active",
            )
        ).first()
        is not None
    )


def acts_as_ambassador_of(member: Member | None, community: Community) -> bool:
    """An active ambassador of `community` who may use the role right now: never while
    suspended from the platform or from this community."""
    return is_ambassador_of(member, community) and in_good_standing(member, community)


def can_create_event(member: Member | None, community: Community) -> bool:
    """Plan a rencontre: the community's gardeners, staff, and its active ambassadors — never
    while suspended from the platform or from this community."""
    return looks_after(member, community) or acts_as_ambassador_of(member, community)


def can_manage_event(member: Member | None, event: Event) -> bool:
    """Edit, cancel, see the attendees, check in, write the compte rendu: the gardeners, staff,
    and the ambassador who created it (while still ambassador of the community) — never while
    suspended from the platform or from its community."""
    if looks_after(member, event.community):
        return True
    return (
        is_authenticated(member)
        and event.created_by_id == member.id  # type: ignore[union-attr]
        and acts_as_ambassador_of(member, event.community)
    )


def can_rsvp(member: Member | None, event: Event) -> bool:
    """Register or cancel one's registration: any member who may read it — not while banned
    from its community (a ban gives her places there back)."""
    return (
        is_authenticated(member)
        and can_read_event(member, event)
        and not is_banned_from(member, event.community)
    )


def takes_guests(event: Event) -> bool:
    """The rencontre welcomes people without an account (an open community's, when asked)."""
    return event.accepts_guests and event.community.visibility == "open"


def can_register_guest(member: Member | None, event: Event) -> bool:
    """Register as a guest (no account): a visitor, when the rencontre takes guests. A member
    logged in uses her own door, which asks `can_rsvp` (a ban, a suspension)."""
    return not is_authenticated(member) and takes_guests(event)


def guest_address_refused(address: str, event: Event) -> bool:
    """The guest door refuses the mailbox of a member banned from the rencontre's community,
    or suspended from the platform (her account is read-only), however it is spelt
    (`core.ratelimit.mailbox`: case, `+tag`, Gmail's dots): her own door refuses her
    (`can_rsvp`, the standing seam), her address must not open another. (The door answers her
    as anyone else: it tells nobody whether an address has an account.)"""
    inbox = mailbox(address)
    banned = db.session.execute(
        select(Member)
        .join(Membership, Membership.member_id == Member.id)
        .where(Membership.community_id == event.community_id, Membership.status == "banned")
    ).scalars()
    if any(
        mailbox(member.email) == inbox and is_banned_from(member, event.community)
        for member in banned
    ):
        return True
    suspended = db.session.execute(
        select(Member)
        .join(PlatformSuspension, PlatformSuspension.member_id == Member.id)
        .where(PlatformSuspension.lifted_at.is_(None))
    ).scalars()
    return any(
        mailbox(member.email) == inbox and active_suspension(member) is not None
        for member in suspended
    )
