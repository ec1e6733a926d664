"""The gardener pair changing hands: staff assigning either side, someone asked to take a side
and answering, handover notes. What the pair's pages read is in `gardener_queries.py`.

Services take the acting member explicitly, flush, and never commit.
"""

from __future__ import annotations

from flask_babel import gettext as _

from community.communities import signals
from community.communities.gardener_queries import pending_proposal
from community.communities.models import (
    SIDES,
    Community,
    GardenerMandate,
    GardenerProposal,
    Handover,
)
from community.communities.permissions import (
    can_leave_handover_note,
    in_good_standing,
    membership_of,
)
from community.communities.services import open_mandate
from community.communities.signals import (
    gardener_changed,
    gardener_proposal_answered,
    gardener_proposed,
)
from community.core.content import render_markdown
from community.core.errors import Conflict, Forbidden, Invalid
from community.core.models import utcnow
from community.core.permissions import is_staff
from community.extensions import db
from community.members.models import Member

MIN_HANDOVER = 20
MAX_HANDOVER = 5000


def _checked_note(note: str, field: str, too_short: str) -> str:
    """A handover note long enough to be useful, short enough to be read."""
    note = (note or "").strip()
    if len(note) < MIN_HANDOVER:
        raise Invalid(too_short, {field: [_("What is under way, who to know, what was promised.")]})
    if len(note) > MAX_HANDOVER:
        raise Invalid(
            _("The handover note is too long."), {field: [_("At most 5,000 characters.")]}
        )
    return note


def leave_handover_note(member: Member, mandate: GardenerMandate, note: str) -> Handover:
    """The gardener in office writes for whoever will follow them on that side of the pair.

    Their successor finds it on the dashboard with the note staff write at the replacement;
    nobody else but staff reads it.
    """
    if not can_leave_handover_note(member, mandate):
        raise Forbidden(_("Only the gardener in office writes this note."))
    note = _checked_note(
        note, "note", _("Write at least %(n)d characters for your successor.", n=MIN_HANDOVER)
    )
    handover = Handover(
        community_id=mandate.community_id,
        side=mandate.side,
        from_member_id=member.id,
        to_member_id=None,  # not known yet: whoever takes this side next reads it
        written_by_id=member.id,
        note=note,
        note_html=render_markdown(note),
    )
    db.session.add(handover)
    db.session.flush()
    return handover


def _check_candidate(community: Community, side: str, member: Member) -> None:
    """`member` may hold `side` of `community`'s pair (staff for technician, an active member
    for citizen, never both sides, not while suspended: `services.candidates`)."""
    if side == "technician" and not is_staff(member):
        raise Invalid(
            _("The technician gardener must be a member of staff."),
            {f"{side}_id": [_("Choose a member of staff.")]},
        )
    if side == "citizen":
        membership = membership_of(member, community)
        if membership is None or membership.status != "active":
            raise Invalid(
                _("The citizen gardener must be an active member of the community."),
                {f"{side}_id": [_("Choose an active member of this community.")]},
            )
    if not in_good_standing(member, community):  # she could not accept (`candidates`)
        raise Invalid(
            _("This member is suspended for now: choose someone else."),
            {f"{side}_id": [_("Choose someone else.")]},
        )
    other = open_mandate(community, "citizen" if side == "technician" else "technician")
    if other is not None and other.member_id == member.id:
        raise Invalid(
            _("One person cannot hold both sides of the pair."),
            {f"{side}_id": [_("Already the other gardener.")]},
        )


def assign_gardener(
    actor: Member, community: Community, side: str, member: Member | None, handover_note: str = ""
) -> GardenerMandate | None:
    """Staff set one side of the pair; replacing or removing a gardener needs a handover note."""
    if not is_staff(actor):
        raise Forbidden(_("Only staff assign gardeners."))
    return _appoint(actor, community, side, member, handover_note)


def _appoint(
    actor: Member,
    community: Community,
    side: str,
    member: Member | None,
    handover_note: str = "",
    appointed_by: Member | None = None,
    proposed: bool = False,
) -> GardenerMandate | None:
    # A proposal the candidate accepts: whoever asked wrote the note (None: account erased).
    writer = appointed_by if proposed else actor
    if side not in SIDES:
        raise Invalid(_("Unknown side."), {"side": [_("technician or citizen.")]})
    current = open_mandate(community, side)
    if member is not None and current is not None and current.member_id == member.id:
        return current
    if member is not None:
        _check_candidate(community, side, member)
    note = ""
    if current is not None:
        note = _checked_note(
            handover_note,
            "handover_note",
            _(
                "Replacing a gardener needs a handover note of at least %(n)d characters.",
                n=MIN_HANDOVER,
            ),
        )
    now = utcnow()
    handover: Handover | None = None
    if current is not None:
        current.ended_at = now
        handover = Handover(
            community_id=community.id,
            side=side,
            from_member_id=current.member_id,
            to_member_id=member.id if member else None,
            written_by_id=writer.id if writer else None,
            note=note,
            note_html=render_markdown(note),
        )
        db.session.add(handover)
        db.session.flush()  # the partial unique index: end the old mandate before the new one
    mandate = None
    if member is not None:
        mandate = GardenerMandate(
            community_id=community.id,
            member_id=member.id,
            side=side,
            started_at=now,
            appointed_by_id=(appointed_by or actor).id,
        )
        db.session.add(mandate)
    db.session.flush()
    gardener_changed.send(community, mandate=mandate, handover=handover, actor=actor)
    if current is not None:  # replaced or removed: no more moderators' room, hidden bodies
        signals.access_narrowed.send(community, member=current.member)
    return mandate


def change_pair(
    actor: Member, community: Community, changes: dict[str, Member | None], handover_note: str = ""
) -> list[GardenerProposal]:
    """Staff change one or both sides at once (the page and the API): someone new is asked
    first and named once she accepts; removing someone needs no one's consent; staff naming
    themselves are named at once. If either side is refused, neither changes (a savepoint).
    Returns the proposals made."""
    if not is_staff(actor):
        raise Forbidden(_("Only staff assign gardeners."))
    asked: list[GardenerProposal] = []
    with db.session.begin_nested():
        for side in SIDES:
            if side not in changes:
                continue
            chosen, current = changes[side], open_mandate(community, side)
            if (chosen.id if chosen else None) == (current.member_id if current else None):
                continue
            if chosen is None or chosen.id == actor.id:
                assign_gardener(actor, community, side, chosen, handover_note)
            else:
                asked.append(propose(actor, community, side, chosen, handover_note))
    return asked


# --- proposals: the person is asked before being named ------------------------------------


def can_propose_for(actor: Member | None, community: Community, side: str) -> bool:
    """Ask someone to take `side`: staff, or the citizen gardener handing over her own side —
    never while suspended from the platform or from this community."""
    if not in_good_standing(actor, community):
        return False
    if is_staff(actor):
        return True
    if actor is None or side != "citizen":
        return False
    current = open_mandate(community, side)
    return current is not None and current.member_id == actor.id


def propose(
    actor: Member, community: Community, side: str, candidate: Member, note: str = ""
) -> GardenerProposal:
    """Ask `candidate` to take `side` of the pair ("passer la main" for the citizen gardener).

    Nothing changes until she accepts. Handing over a side someone holds needs a note for
    the successor; a newer proposal for the same side replaces a pending one.
    """
    if side not in SIDES:
        raise Invalid(_("Unknown side."), {"side": [_("technician or citizen.")]})
    if not can_propose_for(actor, community, side):
        raise Forbidden(_("Only staff, or the citizen gardener for her own side, do this."))
    current = open_mandate(community, side)
    if current is not None and current.member_id == candidate.id:
        raise Invalid(
            _("This person already holds this side."),
            {f"{side}_id": [_("Choose someone else.")]},
        )
    if candidate.id == actor.id and not is_staff(actor):
        raise Invalid(_("Choose someone else."), {f"{side}_id": [_("Choose someone else.")]})
    _check_candidate(community, side, candidate)
    if current is not None:
        note = _checked_note(
            note,
            "handover_note",
            _(
                "Handing over needs a note of at least %(n)d characters for your successor.",
                n=MIN_HANDOVER,
            ),
        )
    previous = pending_proposal(community, side)
    if previous is not None:
        previous.status, previous.answered_at = "withdrawn", utcnow()
        db.session.flush()  # the partial unique index: one pending proposal per side
    proposal = GardenerProposal(
        community_id=community.id,
        side=side,
        candidate_id=candidate.id,
        proposed_by_id=actor.id,
        note=(note or "").strip(),
        status="pending",
        created_at=utcnow(),
    )
    db.session.add(proposal)
    db.session.flush()
    gardener_proposed.send(proposal, actor=actor)
    return proposal


def answer_proposal(
    candidate: Member, proposal: GardenerProposal, accept: bool
) -> GardenerProposal:
    """The candidate accepts (she is named, with the handover note) or declines."""
    if proposal.candidate_id != candidate.id:
        raise Forbidden(_("Only the person asked answers."))
    if proposal.status != "pending":
        raise Conflict(_("This proposal has already been answered."))
    now = utcnow()
    if accept:
        with db.session.begin_nested():  # refused (no longer a member…): nothing changes
            _appoint(
                candidate,
                proposal.community,
                proposal.side,
                candidate,
                proposal.note,
                appointed_by=proposal.proposed_by,
                proposed=True,
            )
    proposal.status = "accepted" if accept else "declined"
    proposal.answered_at = now
    db.session.flush()
    gardener_proposal_answered.send(proposal, actor=candidate)
    return proposal


def withdraw_proposal(actor: Member, proposal: GardenerProposal) -> GardenerProposal:
    """Whoever asked (or staff) takes the proposal back before it is answered."""
    if not (is_staff(actor) or proposal.proposed_by_id == actor.id):
        raise Forbidden(_("Only whoever asked takes it back."))
    if proposal.status != "pending":
        raise Conflict(_("This proposal has already been answered."))
    proposal.status, proposal.answered_at = "withdrawn", utcnow()
    db.session.flush()
    return proposal
