"""Backing an initiative: supporting it (counted) and lending a hand (with what one can bring),
and taking either back.

Every function takes the acting member explicitly, validates, changes state and flushes;
the caller commits.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from community.core.errors import Conflict, Invalid
from community.core.permissions import require
from community.extensions import db
from community.initiatives import permissions
from community.initiatives.models import CLOSED_STATUSES, Initiative, Participation, Support
from community.members.models import Member
from community.moderation.suspensions import posting_refusal

MESSAGE_MAX = 1_000


def _refresh_support_count(initiative: Initiative) -> None:
    count = (
        select(func.count(Support.id))
        .where(Support.initiative_id == initiative.id)
        .scalar_subquery()
    )
    db.session.execute(
        update(Initiative).where(Initiative.id == initiative.id).values(support_count=count)
    )
    db.session.refresh(initiative, ["support_count"])


def _support_of(member: Member, initiative: Initiative) -> Support | None:
    return db.session.execute(
        select(Support).where(
            Support.initiative_id == initiative.id, Support.member_id == member.id
        )
    ).scalar_one_or_none()


def support(member: Member, initiative: Initiative) -> bool:
    """Support an initiative; True if it is new (supporting twice changes nothing)."""
    require(
        permissions.can_support(member, initiative), member, support_refusal(member, initiative)
    )
    if initiative.status in ("declined", "withdrawn"):
        raise Conflict(_("This initiative is closed: it can no longer be supported."))
    if _support_of(member, initiative) is not None:
        return False
    db.session.add(Support(initiative_id=initiative.id, member_id=member.id))
    db.session.flush()
    _refresh_support_count(initiative)
    return True


def support_refusal(member: Member | None, initiative: Initiative) -> str:
    """Why `member` may not support `initiative`, in words: suspended from its community, or
    her own idea."""
    return posting_refusal(member, initiative.community) or _(
        "You cannot support your own initiative."
    )


def help_refusal(member: Member | None, initiative: Initiative) -> str | None:
    """Why `member` may not lend a hand to `initiative`: suspended from its community."""
    return posting_refusal(member, initiative.community)


def withdraw_support(member: Member, initiative: Initiative) -> None:
    """Take one's support back (nothing happens if there was none)."""
    require(permissions.can_withdraw_support(member, initiative), member)
    existing = _support_of(member, initiative)
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        _refresh_support_count(initiative)


def is_supporting(member: Member | None, initiative: Initiative) -> bool:
    """She supports `initiative` right now (a visitor supports nothing)."""
    return member is not None and _support_of(member, initiative) is not None


def participation_of(member: Member | None, initiative: Initiative) -> Participation | None:
    """Her offer to lend a hand to `initiative` (with what she can bring), or None."""
    if member is None:
        return None
    return db.session.execute(
        select(Participation).where(
            Participation.initiative_id == initiative.id, Participation.member_id == member.id
        )
    ).scalar_one_or_none()


def volunteer(
    member: Member, initiative: Initiative, message: str = ""
) -> tuple[Participation, bool]:
    """Lend a hand, saying what one can bring; volunteering again updates the message."""
    require(
        permissions.can_lend_a_hand(member, initiative), member, help_refusal(member, initiative)
    )
    if initiative.status in CLOSED_STATUSES:
        raise Conflict(_("This initiative is closed: it no longer needs a hand."))
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX:
        raise Invalid(
            _("Your message is too long."),
            {"message": [_("At most %(n)d characters.", n=MESSAGE_MAX)]},
        )
    participation = participation_of(member, initiative)
    created = participation is None
    if participation is None:
        participation = Participation(initiative=initiative, member=member, message=message)
        db.session.add(participation)
    else:
        participation.message = message
    db.session.flush()
    return participation, created


def stop_volunteering(member: Member, initiative: Initiative) -> None:
    """Take one's offer of help back (nothing happens if there was none)."""
    require(permissions.can_stop_helping(member, initiative), member)
    participation = participation_of(member, initiative)
    if participation is not None:
        db.session.delete(participation)
        db.session.flush()
