"""A member's right to leave: erasing the account for good.

Erasure deletes the `Member` row and lets each foreign key's `ondelete` rule act (SQLite
enforces them too: `core/database.py` turns `foreign_keys` on): rows that are only the
member's (memberships, supports, notifications, tokens, help offers…) go; what they wrote for
others (messages, initiatives, updates, status answers) stays, under "compte supprimé". What
the rules cannot do is done first: support counts recounted, a request they were helping with
reopened, open reports about their account closed.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from community.auth.passwords import verify_password
from community.core.errors import Conflict, Invalid
from community.core.models import utcnow
from community.extensions import db
from community.members import signals
from community.members.models import Member


def erasure_refusal(member: Member, *, lock: bool = False) -> str | None:
    """Why `member` cannot erase their account right now, in plain words; None if they can.

    With `lock` (when erasing), the admins' rows are locked: two admins leaving at once cannot
    both be "not the last one"."""
    from community.communities.models import Community, GardenerMandate, Membership
    from community.core.jinja import day
    from community.moderation.suspensions import active_suspension

    if member.role == "admin":
        admins_stmt = select(Member.id).where(Member.role == "admin")
        admins = db.session.execute(admins_stmt.with_for_update() if lock else admins_stmt).all()
        if len(admins) <= 1:
            return _("You are the only administrator: name another one before leaving.")
    mandate = db.session.execute(
        select(Community.name)
        .join(GardenerMandate, GardenerMandate.community_id == Community.id)
        .where(GardenerMandate.member_id == member.id, GardenerMandate.ended_at.is_(None))
        .limit(1)
    ).scalar_one_or_none()
    if mandate is not None:
        return _(
            "You are a gardener of %(community)s: ask staff to hand over to your successor first.",
            community=mandate,
        )
    # A suspension is not escaped by deleting the account and signing up again.
    suspension = active_suspension(member)
    now = utcnow()
    banned = db.session.execute(
        select(Membership.id).where(
            Membership.member_id == member.id,
            Membership.status == "banned",
            (Membership.banned_until.is_(None)) | (Membership.banned_until > now),
        )
    ).first()
    if suspension is not None and suspension.until is not None:
        return _(
            "Your account is suspended until %(date)s: you can delete it after that date.",
            date=day(suspension.until),
        )
    if suspension is not None or banned is not None:
        return _(
            "You are suspended: you can delete your account once the suspension ends, "
            "or ask the authority's staff."
        )
    return None


def erase_account(member: Member, password: str) -> None:
    """Erase `member`'s account for good, once their password confirms it is them.

    Raises `Invalid` for a wrong password and `Conflict` when something must happen first
    (a gardener hands over, the last admin names another, a suspension ends). Flushes; the
    caller commits, then closes the member's sockets.
    """
    if not verify_password(member.password_hash, password or ""):
        raise Invalid(
            _("This password is not the right one."), {"password": [_("Wrong password.")]}
        )
    # Lock the account: nothing new may point at it (a support, a message) while it goes.
    db.session.execute(select(Member.id).where(Member.id == member.id).with_for_update())
    refusal = erasure_refusal(member, lock=True)
    if refusal is not None:
        raise Conflict(refusal)
    supported = _before_erasure(member.id)
    signals.erasing.send(member)
    member_id = member.id
    db.session.execute(delete(Member).where(Member.id == member_id))
    _recount_supports(supported)
    signals.erased.send(member_id)
    db.session.expunge_all()  # loaded objects may hold rows that are gone


def _before_erasure(member_id: int) -> list[int]:
    """What the foreign keys' rules cannot do; returns the initiatives the member supported."""
    from community.initiatives.models import Support
    from community.moderation.models import Report
    from community.solidarity.models import HelpProposal, HelpRequest

    # A request they had agreed to help with is open again for other helpers.
    helping = select(HelpProposal.request_id).where(
        HelpProposal.helper_id == member_id, HelpProposal.status == "accepted"
    )
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id.in_(helping), HelpRequest.status == "matched")
        .values(status="open")
        .execution_options(synchronize_session=False)
    )
    # Reports about the account have nothing left to act on.
    db.session.execute(
        update(Report)
        .where(
            Report.target_type == "member", Report.target_id == member_id, Report.status == "open"
        )
        .values(
            status="resolved",
            resolution="dismiss",
            resolution_reason=_("The account was deleted."),
            resolved_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    )
    return list(
        db.session.execute(
            select(Support.initiative_id).where(Support.member_id == member_id)
        ).scalars()
    )


def _recount_supports(initiative_ids: list[int]) -> None:
    """Supports went with the account: the counts follow, from the table itself."""
    from community.initiatives.models import Initiative, Support

    if not initiative_ids:
        return
    count = (
        select(func.count(Support.id))
        .where(Support.initiative_id == Initiative.id)
        .scalar_subquery()
    )
    db.session.execute(
        update(Initiative)
        .where(Initiative.id.in_(initiative_ids))
        .values(support_count=count)
        .execution_options(synchronize_session=False)
    )
