"""A member's standing: whether their account may act right now, asked at every door.

A member suspended from the whole platform keeps a read-only account for the suspension's
duration. The seams ask it once for every door: `core.handlers` before every write request
(any method but GET, HEAD, OPTIONS) of every HTML view and API endpoint, `core.sockets.event`
before every Socket.IO event. Core knows no domain: the moderation domain registers the
check (`standing_check`), as auth registers the socket's member (`sockets.member_resolver`).

The few acts a suspended member keeps — reading live, logging out, her own notifications
and preferences, contesting a decision, taking back what is hers — say so where they are
declared, with the reason: `@kept_while_suspended("why")` on the view, the API method or
the socket handler (`tests/core/test_standing.py` walks every write route and every socket
event, and lists the kept ones).

Community bans are not asked here (a door does not know its community before it loads
it): the domains' predicates refuse the powers of a member banned from that community
(`communities.permissions.looks_after`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from flask import g

from community.core.errors import Forbidden

if TYPE_CHECKING:
    from community.members.models import Member

F = TypeVar("F", bound=Callable[..., Any])

_MARK = "__terreau_kept_while_suspended__"
_CHECKS: list[Callable[[Member], str | None]] = []


def standing_check(fn: Callable[[Member], str | None]) -> Callable[[Member], str | None]:
    """Register a check that answers why `member` may not act right now (a message in plain
    words), or None (the moderation domain's platform suspension). When its answer turns to
    a refusal, the domain closes the member's sockets (a socket found in good standing is not
    asked again: `core.sockets`)."""
    if fn not in _CHECKS:
        _CHECKS.append(fn)
    return fn


def standing_refusal(member: Member | None) -> str | None:
    """Why `member` may only read right now, or None (and None for a visitor)."""
    if member is None:
        return None
    for check in _CHECKS:
        message = check(member)
        if message is not None:
            return message
    return None


def read_only_note_due(member: Member | None) -> bool:
    """`member` may only read right now and the page has not said so in place of an act yet:
    the sentence in place of an act once per page, however many acts it withholds."""
    if standing_refusal(member) is None or g.get("_read_only_note_said"):
        return False
    g._read_only_note_said = True
    return True


def require_standing(member: Member | None) -> None:
    """Refuse (403, `forbidden`) an act of a member who may only read right now."""
    message = standing_refusal(member)
    if message is not None:
        raise Forbidden(message)


def kept_while_suspended(reason: str) -> Callable[[F], F]:
    """Mark a view, an API method or a socket handler as an act a suspended member keeps,
    saying why (reading, logging out, her own notifications…). Everything else that writes
    is refused to her at the seam."""
    if not reason.strip():
        raise ValueError("say why a suspended member keeps this act")

    def mark(fn: F) -> F:
        setattr(fn, _MARK, reason)
        return fn

    return mark


def kept_reason(fn: Any) -> str | None:
    """Why a suspended member keeps `fn` (marked itself, or a function it wraps), or None."""
    for _depth in range(32):  # decorators that wrap with functools.wraps keep `__wrapped__`
        if fn is None:
            return None
        reason = getattr(fn, _MARK, None)
        if reason is not None:
            return str(reason)
        fn = getattr(fn, "__wrapped__", None)
    return None


def kept_view_reason(view: Any, method: str) -> str | None:
    """The same for a route's view function and method: a class-based view (flask-smorest's
    `MethodView`) is marked on the method that answers."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return kept_reason(getattr(view_class, method.lower(), None))
    return kept_reason(view)
