"""Factories for ambassadors and their links."""

from __future__ import annotations

from typing import Any

from community.ambassadors.models import Ambassador, Invitation, InvitationUse
from community.core.models import utcnow
from community.extensions import db
from community.members.models import Member


def make_ambassador(
    member: Member, community: Any = None, neighbourhood: Any = None, **fields: Any
) -> Ambassador:
    status = fields.pop("status", "active")
    ambassador = Ambassador(
        member_id=member.id,
        community_id=community.id if community is not None else None,
        neighbourhood_id=neighbourhood.id if neighbourhood is not None else None,
        mission=fields.pop("mission", "Aller au marché et relayer ce qu'on entend."),
        status=status,
        started_at=utcnow() if status in ("active", "ended") else None,
        **fields,
    )
    db.session.add(ambassador)
    db.session.flush()
    return ambassador


def make_invitation(ambassador: Ambassador, label: str = "marché", **fields: Any) -> Invitation:
    import secrets

    invitation = Invitation(
        ambassador_id=ambassador.id, token=secrets.token_urlsafe(24), label=label, **fields
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def make_use(invitation: Invitation, member: Member) -> InvitationUse:
    use = InvitationUse(invitation_id=invitation.id, member_id=member.id)
    db.session.add(use)
    db.session.flush()
    return use
