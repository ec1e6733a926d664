"""A member's right to leave: erasing the account for good.

Erasure deletes the `Member` row and lets each foreign key's `ondelete` rule act (SQLite
enforces them too: `core/database.py` turns `foreign_keys` on): rows that are only the
member's (memberships, supports, notifications, tokens, help offers…) go; what they wrote for
others (messages, initiatives, updates, status answers) stays, under "compte supprimé". What
the rules cannot do, each domain does from its own `privacy.py`, answering the members'
signals: `erasure_blocked` (a gardener hands over first, a suspension ends first), `erasing`
(a request they were helping with reopens, open reports about their account close) and
`erased` (support counts recounted, live sockets closed).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, select

from community.auth.passwords import verify_password
from community.core.errors import Conflict, Invalid
from community.extensions import db
from community.members import signals
from community.members.models import Member


def erasure_refusal(member: Member, *, lock: bool = False) -> str | None:
    """Why `member` cannot erase their account right now, in plain words; None if they can.

    With `lock` (when erasing), the rows the answer rests on are locked: two admins leaving at
    once cannot both be "not the last one". Each domain answers for its own rules
    (`members.signals.erasure_blocked`).
    """
    if member.role == "admin":
        admins_stmt = select(Member.id).where(Member.role == "admin")
        admins = db.session.execute(admins_stmt.with_for_update() if lock else admins_stmt).all()
        if len(admins) <= 1:
            return _("You are the only administrator: name another one before leaving.")
    for _receiver, refusal in signals.erasure_blocked.send(member, lock=lock):
        if refusal:
            return str(refusal)
    return None


def erase_account(member: Member, password: str) -> None:
    """Erase `member`'s account for good, once their password confirms it is them.

    Raises `Invalid` for a wrong password and `Conflict` when something must happen first
    (a gardener hands over, the last admin names another, a suspension ends). Flushes; the
    caller commits; the member's sockets close once it does (`members/receivers.py`).
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
    signals.erasing.send(member)
    member_id = member.id
    db.session.execute(delete(Member).where(Member.id == member_id))
    signals.erased.send(member_id)
    db.session.expunge_all()  # loaded objects may hold rows that are gone
