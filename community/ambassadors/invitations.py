"""Invitation links: making and revoking them, signing up through one, and the reach they give.

Services take the acting member explicitly, flush, and never commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import import_module
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, case, exists, func, or_, select

from community.ambassadors.models import Ambassador, Invitation, InvitationUse
from community.ambassadors.permissions import can_manage_invitations
from community.communities.models import Membership
from community.core.errors import Forbidden, Invalid
from community.core.models import utcnow
from community.core.privacy import contact_details_in
from community.extensions import db
from community.members.models import Member
from community.notifications import triggers

MAX_LABEL = 80


def create_invitation(
    member: Member, ambassador: Ambassador, label: str = "", valid_days: int | None = None
) -> Invitation:
    """An active ambassador makes a sign-up link, optionally labelled and expiring."""
    if not can_manage_invitations(member, ambassador):
        raise Forbidden(_("Only an active ambassador makes invitation links."))
    label = " ".join((label or "").split())
    if len(label) > MAX_LABEL:
        raise Invalid(_("The label is too long."), {"label": [_("At most 80 characters.")]})
    if contact_details_in(label):
        raise Invalid(
            _("A label holds no e-mail address or phone number."),
            {"label": [_("No contact details, please.")]},
        )
    expires_at = None
    if valid_days is not None:
        if not 1 <= valid_days <= 365:
            raise Invalid(_("A link lasts 1 to 365 days."), {"valid_days": [_("1 to 365 days.")]})
        expires_at = utcnow() + timedelta(days=valid_days)
    invitation = Invitation(
        ambassador_id=ambassador.id,
        token=secrets.token_urlsafe(24),
        label=label,
        expires_at=expires_at,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def revoke_invitation(member: Member, invitation: Invitation) -> Invitation:
    """The ambassador stops a link; people who signed up through it stay counted."""
    if invitation.ambassador.member_id != member.id:
        raise Forbidden(_("Only the ambassador who made this link revokes it."))
    if invitation.revoked_at is None:
        invitation.revoked_at = utcnow()
        db.session.flush()
    return invitation


def usable_invitation(token: str | None) -> Invitation | None:
    """The link behind a token if it still works: not revoked, not expired, its mandate active
    or ended with the links left to live on (ending revokes them otherwise)."""
    if not token or len(token) > 64:
        return None
    invitation = db.session.execute(
        select(Invitation).where(Invitation.token == token)
    ).scalar_one_or_none()
    if (
        invitation is None
        or not invitation.usable(utcnow())
        or invitation.ambassador.status not in ("active", "ended")
    ):
        return None
    return invitation


def record_invitation(member: Member, token: str | None) -> InvitationUse | None:
    """Record that `member` signed up through the link `token` (ignored if it no longer works).

    A dead link must not stop a newcomer from signing up: it is simply not counted.
    """
    invitation = usable_invitation(token)
    if invitation is None or invitation.ambassador.member_id == member.id:
        return None
    use = InvitationUse(invitation_id=invitation.id, member_id=member.id)
    db.session.add(use)
    db.session.flush()
    triggers.invitation_used(use)
    return use


@dataclass
class Reach:
    invitation: Invitation
    joined: int = 0
    engaged: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _engagement_clauses() -> list[ColumnElement[bool]]:
    """What counts as "then took part", for a member signed up through a link.

    Joining a community always counts. Posting counts a message once the threads domain
    defines `Message` (with `author_id`): the clause is added here, so the reach stays one
    grouped query.
    """
    clauses: list[ColumnElement[bool]] = [
        exists().where(
            Membership.member_id == InvitationUse.member_id, Membership.status == "active"
        )
    ]
    message = getattr(import_module("community.threads.models"), "Message", None)
    if message is not None and hasattr(message, "author_id"):
        clauses.append(exists().where(message.author_id == InvitationUse.member_id))
    return clauses


def reach_of(ambassador: Ambassador) -> list[Reach]:
    """Each link of an ambassador with how many joined through it, and of those how many took part.

    One grouped query, whatever the number of links and people.
    """
    engaged = case((or_(*_engagement_clauses()), InvitationUse.id))
    rows = db.session.execute(
        select(Invitation, func.count(InvitationUse.id), func.count(engaged))
        .outerjoin(InvitationUse, InvitationUse.invitation_id == Invitation.id)
        .where(Invitation.ambassador_id == ambassador.id)
        .group_by(Invitation.id)
        .order_by(Invitation.created_at.desc(), Invitation.id.desc())
    ).all()
    return [Reach(invitation, joined, engaged_count) for invitation, joined, engaged_count in rows]
