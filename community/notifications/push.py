"""Web push (RFC 8030, 8291 aes128gcm, 8292 VAPID): one more channel next to the site and mail.

A push carries a title and a URL, nothing else. The title is the notification's text for
kinds whose text names only people by pseudonym and things by title; kinds whose text quotes
something a person wrote (a message, an answer, a moderation reason) get a title of their own
that quotes nothing. Pushes are queued once the transaction commits and leave from a worker
thread (a bounded queue: a full queue drops the push, the notification stays on the site), so
a request never waits for a push service. A subscription answered 404 or 410 is deleted; a 5xx
or a network error is retried a few times after a short back-off.

Here: which kinds are pushed, their titles, and the queueing after commit. The worker is in
`push_sending.py`, the VAPID keys and a subscription's checks in `push_keys.py`, the
subscriptions kept in `push_services.py`.
"""

from __future__ import annotations

import json
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from community.core.cache import request_memo
from community.core.notify import kinds as registered_kinds
from community.core.signals import on_commit
from community.extensions import db
from community.members.models import Member
from community.notifications.models import KINDS, Notification
from community.notifications.push_keys import enabled
from community.notifications.push_models import PushKindSetting, PushSubscription
from community.notifications.push_sending import Job, dispatcher

MAX_TITLE = 200

# Labels of the kinds the notifications domain sends itself (other domains register theirs
# with `core.notify.register_kind`, label included).
LABELS: dict[str, Any] = {
    "reply": _l("Replies to my messages"),
    "mention": _l("When someone mentions me"),
    "initiative_status": _l("Answers and news of initiatives I follow"),
    "membership": _l("Answers to my requests to join a community"),
    "moderation": _l("Moderation decisions about me"),
    "gardener": _l("When I am named gardener"),
    "ambassador": _l("When I am asked to be an ambassador"),
    "handover": _l("Handover notes for me"),
    "invitation": _l("People who join through my invitation"),
    "overdue": _l("Initiatives waiting for an answer past their deadline"),
}


def _reply_title(who: str) -> Any:
    return _l("%(who)s replied to you in a discussion", who=who)


def _mention_title(who: str) -> Any:
    return _l("%(who)s mentioned you in a discussion", who=who)


# Kinds whose text quotes what someone wrote: their push title quotes nothing.
PRIVATE_TEXT_TITLES: dict[str, Any] = {
    "reply": _reply_title,
    "mention": _mention_title,
    "initiative_status": lambda who: _l("An initiative you follow has news"),
    "membership": lambda who: _l("Your request to join a community has an answer"),
    "moderation": lambda who: _l("A moderation decision concerns you"),
    "event_cancelled": lambda who: _l("A rencontre you registered for is cancelled"),
    # Where an on-request community meets is for its members: not on a lock screen.
    "event_moved": lambda who: _l("A rencontre you registered for changes date, time or place"),
}
# Kinds their domain registers `pushable=False` because their text quotes someone, that push
# still sends with the title above (moderation stays off the lock screen, as its domain chose).
PUSHED_WITH_OWN_TITLE = frozenset({"reply", "mention", "membership"})


def pushable_kinds() -> dict[str, Any]:
    """Every kind of notification that may be pushed, with its label (registered kinds read at
    each call: other domains add theirs at import time)."""
    registered = registered_kinds()
    choices: dict[str, Any] = {}
    for name in (*KINDS, *registered):
        kind = registered.get(name)
        if name in choices or (kind is not None and not _pushable(kind)):
            continue
        choices[name] = LABELS.get(name) or (kind.label if kind else name)
    return choices


def kinds_for(member: Member) -> dict[str, Any]:
    """The pushable kinds that can reach `member` given her roles now (each kind's `audience`,
    declared where it is registered): the preferences page offers her these only. Asked by
    the page's form, its current choices and the save: worked out once per request."""
    registered = registered_kinds()
    return request_memo(
        ("push_kinds_for", member.id),
        lambda: {
            name: label
            for name, label in pushable_kinds().items()
            if name not in registered or registered[name].can_reach(member)
        },
    )


def _pushable(kind: Any) -> bool:
    return bool(kind.pushable) or kind.name in PUSHED_WITH_OWN_TITLE


def push_title(notification: Notification, actor: Member | None) -> str:
    """What the phone shows: never a message, an answer, a help request or a hidden text."""
    maker = PRIVATE_TEXT_TITLES.get(notification.kind)
    if maker is not None:
        who = actor.display_name if actor is not None else str(_l("Someone"))
        title = str(maker(who))
    else:
        title = notification.text
    title = " ".join(title.split())
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rstrip() + "…"


def payload_of(notification: Notification, actor: Member | None) -> dict[str, str]:
    """The whole content of a push: a title and a path on this site."""
    return {"title": push_title(notification, actor), "url": notification.url or "/notifications"}


def push_after_commit(notification: Notification) -> None:
    """Queue a push of `notification` to each of its member's phones, once this commits."""
    if notification.kind not in pushable_kinds() or not enabled():
        return
    member = notification.member
    refused = (
        select(PushKindSetting.member_id)
        .where(
            PushKindSetting.member_id == member.id,
            PushKindSetting.kind == notification.kind,
            PushKindSetting.enabled.is_(False),
        )
        .exists()
    )
    subscriptions = db.session.execute(
        select(PushSubscription).where(PushSubscription.member_id == member.id, ~refused)
    ).scalars()
    jobs = []
    actor = db.session.get(Member, notification.actor_id) if notification.actor_id else None
    data: str | None = None
    for subscription in subscriptions:
        if data is None:
            with force_locale(member.locale):
                data = json.dumps(payload_of(notification, actor), ensure_ascii=False)
        jobs.append(
            Job(
                subscription.id,
                subscription.endpoint,
                subscription.p256dh,
                subscription.auth,
                data,
                notification.kind,
            )
        )
    if jobs:
        app = current_app._get_current_object()  # type: ignore[attr-defined]
        on_commit(lambda: dispatcher(app).submit_all(jobs))
