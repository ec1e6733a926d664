"""The notifications domain listens: a domain asks through `core.notify`, this stores and sends."""

from __future__ import annotations

from typing import Any

from community.core.notify import notification_requested
from community.members.models import Member
from community.notifications import services, triggers  # noqa: F401  (registers its kind)


@notification_requested.connect
def _on_notification_requested(
    member: Member, *, kind: str, text: Any, url: str, actor: Member | None = None
) -> None:
    services.notify(member, kind, text, url, actor=actor)


# Web push answers the members' export too (its rows go with the account through `ondelete`).
from community.notifications import push_privacy  # noqa: E402, F401
