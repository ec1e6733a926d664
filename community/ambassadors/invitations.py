"""Invitation links: making and revoking them, signing up through one, and the reach they give.

Services take the acting member explicitly, flush, and never commit.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, case, exists, func, or_, select

from community.ambassadors.models import Ambassador, Invitation, InvitationUse
from community.ambassadors.permissions import can_manage_invitations
from community.ambassadors.signals import invitation_used
from community.auth.invitations import Invited
from community.communities.memberships import join
from community.communities.models import Community, Membership
from community.core.errors import DomainError, Forbidden, Invalid
from community.core.models import utcnow
from community.core.privacy import what_was_found
from community.core.urls import external
from community.extensions import db
from community.members.models import Member
from community.threads.models import Message

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
    if found := what_was_found(label):
        raise Invalid(
            _("A label holds no e-mail address or phone number."),
            {"label": [_("Please remove %(found)s.", found=found)]},
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
    invitation_used.send(use)
    return use


def invitation_of(member: Member) -> Invitation | None:
    """The link `member` signed up through, if any."""
    return db.session.execute(
        select(Invitation)
        .join(InvitationUse, InvitationUse.invitation_id == Invitation.id)
        .where(InvitationUse.member_id == member.id)
    ).scalar_one_or_none()


def invited_to(invitation: Invitation) -> Community | None:
    """The community a link invites to (None for an ambassador of a neighbourhood)."""
    return invitation.ambassador.community


def join_invited_community(member: Member) -> Membership | None:
    """Once her e-mail is confirmed, a newcomer invited by a link joins its community.

    Open community: an active member at once; on request: a pending request the gardeners
    answer. Signing up through the link, she was told so and accepted its charter (see the
    sign-up page). A refusal (she was banned meanwhile) is not an error: she simply stays out.
    """
    invitation = invitation_of(member)
    community = invited_to(invitation) if invitation is not None else None
    if invitation is None or community is None:
        return None
    message = _(
        "Came through the invitation link of %(name)s, ambassador.",
        name=invitation.ambassador.member.display_name,
    )
    try:
        return join(member, community, accept_charter=True, message=message)
    except DomainError:
        return None


def invited_membership(member: Member) -> Membership | None:
    """The membership (active or pending) in the community `member` was invited to."""
    invitation = invitation_of(member)
    community = invited_to(invitation) if invitation is not None else None
    if community is None:
        return None
    return db.session.execute(
        select(Membership).where(
            Membership.member_id == member.id,
            Membership.community_id == community.id,
            Membership.status.in_(("active", "pending")),
        )
    ).scalar_one_or_none()


def as_told(invitation: Invitation, membership: Membership | None = None) -> Invited:
    """A link as sign-up's pages and mails tell it (`auth.invitations`): who, to what."""
    ambassador = invitation.ambassador
    community = ambassador.community
    neighbourhood = ambassador.neighbourhood
    return Invited(
        inviter=ambassador.member.display_name,
        community=community.name if community is not None else None,
        community_slug=community.slug if community is not None else None,
        place=neighbourhood.name if community is None and neighbourhood is not None else None,
        on_request=community is not None and community.visibility != "open",
        own_charter=community is not None and bool(community.charter_html),
        membership=membership.status if membership is not None else None,
    )


def told_by_token(token: str) -> Invited | None:
    """The link `token` as sign-up tells it, if it still works."""
    invitation = usable_invitation(token)
    return as_told(invitation) if invitation is not None else None


def told_to_newcomer(member: Member) -> Invited | None:
    """The link `member` signed up through (even one stopped since), and where she stands in
    its community."""
    invitation = invitation_of(member)
    if invitation is None:
        return None
    return as_told(invitation, invited_membership(member))


def share_url(invitation: Invitation) -> str:
    """The address to hand out: the welcome page of the link."""
    return external("ambassadors.welcome", token=invitation.token)


def qr_svg(invitation: Invitation, scale: int = 4) -> str:
    """The link as a QR code, an SVG document (printable, no colour needed)."""
    import segno

    buffer = io.BytesIO()
    segno.make(share_url(invitation), error="m").save(
        buffer, kind="svg", scale=scale, border=2, title=_("QR code of the invitation link")
    )
    return buffer.getvalue().decode("utf-8")


@dataclass
class Reach:
    invitation: Invitation
    joined: int = 0
    engaged: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def _engagement_clauses() -> list[ColumnElement[bool]]:
    """What counts as "then took part", for a member signed up through a link.

    Joining a community counts, and so does posting a message: both clauses are built here, so
    the reach stays one grouped query.
    """
    return [
        exists().where(
            Membership.member_id == InvitationUse.member_id, Membership.status == "active"
        ),
        exists().where(Message.author_id == InvitationUse.member_id),
    ]


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
