"""Who may do what in a community. Every view, endpoint, socket handler and template uses these."""

from __future__ import annotations

from community.communities import belonging
from community.communities.models import Community, GardenerMandate, GardenerProposal, Membership
from community.core.models import utcnow
from community.core.permissions import is_authenticated, is_staff
from community.members.models import Member
from community.moderation.standing import active_suspension, is_banned_from


def membership_of(member: Member | None, community: Community) -> Membership | None:
    """Her membership row of `community` (any status), read once per request."""
    if not is_authenticated(member):
        return None
    assert member is not None
    return belonging.membership_of(member.id, community.id)


def is_member(member: Member | None, community: Community) -> bool:
    """An active member of `community`."""
    membership = membership_of(member, community)
    return membership is not None and membership.status == "active"


def _holds_mandate(member: Member | None, community: Community, side: str | None = None) -> bool:
    """`member` holds an open gardener mandate of `community` (on `side`, when given); her
    mandates are read once per request (`belonging.mandates_of`)."""
    if not is_authenticated(member):
        return False
    assert member is not None
    held = belonging.mandates_of(member.id)
    if side is not None:
        return (community.id, side) in held
    return any(community_id == community.id for community_id, _side in held)


def holds_citizen_side(member: Member | None, community: Community) -> bool:
    """The gardener on the inhabitants' side of `community` right now: she does not leave it
    before someone takes over (`memberships.leave` refuses; its page offers her no way out)."""
    return _holds_mandate(member, community, "citizen")


def is_gardener(member: Member | None, community: Community) -> bool:
    """One of the two gardeners of `community` right now."""
    return _holds_mandate(member, community)


def in_good_standing(member: Member | None, community: Community | None = None) -> bool:
    """Not suspended right now from the platform, nor from `community` (when given)."""
    if active_suspension(member) is not None:
        return False
    return community is None or not is_banned_from(member, community)


def acts_as_gardener(member: Member | None, community: Community) -> bool:
    """A gardener of `community` who may use the role right now: never while suspended from
    the platform or from this community. `is_gardener` stays the mandate itself (what she
    may read); every gardener's power asks this, or `looks_after`."""
    return is_gardener(member, community) and in_good_standing(member, community)


def looks_after(member: Member | None, community: Community) -> bool:
    """Holds the powers of those who look after `community` right now — its gardeners, and
    staff — never while suspended from the platform or from this community: answering
    requests to join, naming ambassadors, planning and running rencontres, writing
    questionnaires, answering initiatives, moderating."""
    if not (is_staff(member) or is_gardener(member, community)):
        return False
    return in_good_standing(member, community)


def can_moderate(member: Member | None, community: Community) -> bool:
    """Hide and restore messages, lock threads, resolve reports: its gardeners, and staff —
    never while suspended (from the platform or from this community): the ONE predicate of
    moderation rights, used by every door."""
    return looks_after(member, community)


def moderated_community_ids(member: Member | None) -> list[int]:
    """The communities whose content `member` moderates as a gardener right now (suspensions
    taken off); staff moderate everything besides. Read from the request's memo of where she
    belongs: a page asks it for its header, its menu and its lists."""
    if not is_authenticated(member):
        return []
    assert member is not None
    if active_suspension(member) is not None:
        return []
    gardened = {community_id for community_id, _side in belonging.mandates_of(member.id)}
    if not gardened:
        return []
    now = utcnow()
    banned = {c for c, until in belonging.bans_of(member.id) if until is None or until > now}
    return sorted(gardened - banned)


def can_answer_memberships(member: Member | None, community: Community) -> bool:
    """Accept or refuse requests to join, name ambassadors: its gardeners, and staff — never
    while suspended from the platform or from this community."""
    return looks_after(member, community)


def can_manage_communities(member: Member | None) -> bool:
    """Create and edit communities, assign gardener pairs: staff only."""
    return is_staff(member)


def can_see_members(member: Member | None, community: Community) -> bool:
    """The member list (pseudonyms only): active members of it, its gardeners, and staff."""
    return is_staff(member) or is_member(member, community) or is_gardener(member, community)


def can_join(member: Member | None, community: Community) -> bool:
    """Join or ask to join: any logged-in member but its gardeners, who are in it already —
    the gardener on the town's side holds no membership (a ban is refused by the service)."""
    return is_authenticated(member) and not is_gardener(member, community)


def offered_to_join(member: Member | None, community: Community) -> bool:
    """The join form is offered to `member` (the community's page, an invitation's page): she
    may join (`can_join`), is not in it nor waiting for an answer, and is not suspended from
    it right now — a refused request, a membership left or a suspension over offers it again."""
    if not can_join(member, community):
        return False
    membership = membership_of(member, community)
    if membership is not None and membership.status in {"active", "pending"}:
        return False
    return not is_banned_from(member, community)


def gardens_any(member: Member | None) -> bool:
    """Holds an open gardener mandate in at least one community."""
    if not is_authenticated(member):
        return False
    assert member is not None
    return bool(belonging.mandates_of(member.id))


def can_see_dashboard(member: Member | None) -> bool:
    """The gardener dashboard: anyone holding an open mandate, and staff."""
    return is_staff(member) or gardens_any(member)


def can_leave_handover_note(member: Member | None, mandate: GardenerMandate) -> bool:
    """Write a note for one's successor: the gardener holding that mandate, while in office
    and not suspended (from the platform or from its community)."""
    return (
        is_authenticated(member)
        and member is not None
        and mandate.member_id == member.id
        and mandate.in_office
        and in_good_standing(member, mandate.community)
    )


def can_open_proposal(member: Member | None, proposal: GardenerProposal) -> bool:
    """A gardener proposal — its page, the candidate's name before she accepts: the person
    asked, whoever asked, and staff."""
    if not is_authenticated(member):
        return False
    assert member is not None
    return member.id in (proposal.candidate_id, proposal.proposed_by_id) or is_staff(member)
