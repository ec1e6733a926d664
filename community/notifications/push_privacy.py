"""The member's phones in their data export (erasure: `ondelete` removes the rows)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from community.extensions import db
from community.members.models import Member
from community.members.signals import exporting
from community.notifications.push_models import PushKindSetting, PushSubscription


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
