"""A port through which any domain asks that a member be told something.

Domains never import the notifications domain: they register the kinds of notification they
send (`register_kind`) and call `notify(...)`, which sends the `notification_requested`
signal; the notifications domain receives it and stores, pushes and mails. A kind's `label`
is shown on the preferences page (one switch per kind, e-mail and push).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from community.core.signals import namespace

signals = namespace("core")

notification_requested = signals.signal(
    "notification_requested",
    doc="""A domain asks that `member` be told something.

    Sender: the `Member` to tell. Keyword arguments: `kind` (a registered kind), `text` (a
    `lazy_gettext` string, rendered in the member's language; never a private text such as a
    message body or a help request when the kind is pushable), `url` (a path on this site),
    `actor` (the `Member` whose act it reports, or None: nobody is told of their own act),
    `message_id` (the message a reply or a mention is about, or None: once hidden by a
    moderator or deleted by its author, it is no longer counted unread).
    """,
)


@dataclass(frozen=True)
class Kind:
    """A kind of notification: its code, a label for the preferences page, whether it may be
    pushed to a phone, and who can receive it. A push carries a title and a URL only: kinds
    whose text quotes something private (a reply, a mention, an answer) get a neutral title in
    `notifications/push.py`.

    `audience` answers, for a member, whether her roles now let this kind reach her (a
    gardener's, staff's or ambassador's kinds); None: any member. The preferences page shows a
    member only the kinds that can reach her; it never decides who is told."""

    name: str
    label: Any
    pushable: bool = True
    audience: Callable[[Any], bool] | None = None

    def can_reach(self, member: Any) -> bool:
        return self.audience is None or bool(self.audience(member))


_KINDS: dict[str, Kind] = {}


def register_kind(
    name: str,
    label: Any,
    *,
    pushable: bool = True,
    audience: Callable[[Any], bool] | None = None,
) -> Kind:
    """Declare a kind of notification (at import time, in the sending domain); `audience`:
    who can receive it given her roles now (None: any member)."""
    kind = Kind(name, label, pushable, audience)
    _KINDS[name] = kind
    return kind


def kinds() -> dict[str, Kind]:
    """Every registered kind, by name, in registration order."""
    return dict(_KINDS)


def notify(
    member: Any,
    kind: str,
    text: Any,
    url: str,
    *,
    actor: Any = None,
    message_id: int | None = None,
) -> None:
    """Ask that `member` be told `text` (a lazy string), linking to `url` on this site."""
    if kind not in _KINDS:
        raise ValueError(f"unknown notification kind {kind!r}")
    notification_requested.send(
        member, kind=kind, text=text, url=url, actor=actor, message_id=message_id
    )
