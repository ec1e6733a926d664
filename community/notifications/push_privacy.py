"""The member's phones in their data export (erasure: `ondelete` removes the rows), and a
browser that logs out stops receiving that member's pushes (a phone may be shared)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import has_request_context, session
from flask_login import user_logged_out
from sqlalchemy import delete, inspect, select

from community.auth.loaders import by_token
from community.extensions import db
from community.members.models import Member
from community.members.signals import exporting
from community.notifications.push_models import PushKindSetting, PushSubscription

SESSION_KEY = "push_endpoints"
MAX_REMEMBERED = 3


def remember_browser(endpoint: str) -> None:
    """Remember in the session (browser logins only) which subscription is this browser's."""
    if not has_request_context() or by_token():
        return
    endpoints = [e for e in session.get(SESSION_KEY, []) if e != endpoint]
    session[SESSION_KEY] = [*endpoints, endpoint][-MAX_REMEMBERED:]


@user_logged_out.connect
def _forget_this_browser(_app: Any, user: Any = None, **_extra: Any) -> None:
    endpoints = session.get(SESSION_KEY) or []
    # The identity, not `user.id`: after an erasure the row (and its subscriptions) are gone.
    state = inspect(user, raiseerr=False) if user is not None else None
    identity = getattr(state, "identity", None)
    if not endpoints or not identity:
        return
    db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.member_id == identity[0], PushSubscription.endpoint.in_(endpoints)
        )
    )
    # Committed with the logout's request (the views that log out answer with a redirect).


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


@exporting.connect
def _export(member: Member) -> dict[str, list[dict[str, Any]]]:
    # The endpoint is a secret address and the keys are the browser's: only the push service's
    # name and the dates leave.
    phones = db.session.execute(
        select(PushSubscription)
        .where(PushSubscription.member_id == member.id)
        .order_by(PushSubscription.id)
    ).scalars()
    refused = db.session.execute(
        select(PushKindSetting.kind)
        .where(PushKindSetting.member_id == member.id, PushKindSetting.enabled.is_(False))
        .order_by(PushKindSetting.kind)
    ).scalars()
    return {
        "push_subscriptions": [
            {
                "push_service": urlsplit(phone.endpoint).hostname,
                "created_at": _iso(phone.created_at),
                "last_success_at": _iso(phone.last_success_at),
            }
            for phone in phones
        ],
        "push_kinds_turned_off": [{"kind": kind} for kind in refused],
    }
