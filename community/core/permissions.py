"""Platform-level permission predicates and the helper that enforces them.

Each domain keeps its own predicates in its `permissions.py`; they all take the acting
member (or None for a visitor) first, and views, API endpoints, socket handlers and
templates call the same ones.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_login import current_user

from community.core.errors import Forbidden, Unauthenticated

if TYPE_CHECKING:
    from community.members.models import Member


def is_authenticated(member: Member | None) -> bool:
    return member is not None and bool(getattr(member, "is_authenticated", False))


def is_staff(member: Member | None) -> bool:
    """Staff of the authority (admins included)."""
    return is_authenticated(member) and member.role in {"staff", "admin"}  # type: ignore[union-attr]


def is_admin(member: Member | None) -> bool:
    return is_authenticated(member) and member.role == "admin"  # type: ignore[union-attr]


def require(allowed: bool, member: Member | None, message: str | None = None) -> None:
    """Raise the right refusal when `allowed` is false: 401 for a visitor, 403 for a member."""
    if allowed:
        return
    if not is_authenticated(member):
        raise Unauthenticated(_("Please log in first."))
    raise Forbidden(message or _("You are not allowed to do this."))


def current_member() -> Member | None:
    """The member behind this request (session or bearer token), or None for a visitor."""
    if current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None
