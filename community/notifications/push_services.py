"""A member's push subscriptions and per-kind choices (validate, flush, never commit)."""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from community.core.errors import Invalid, NotFound
from community.core.permissions import is_authenticated, require
from community.extensions import db
from community.members.models import Member
from community.notifications import push, push_keys
from community.notifications.push_models import MAX_ENDPOINT, PushKindSetting, PushSubscription

MAX_SUBSCRIPTIONS = 10  # phones and browsers per member; the oldest goes past this


def subscribe(
    member: Member, endpoint: str, p256dh: str, auth: str
) -> tuple[PushSubscription, bool]:
    """Store this browser's subscription for `member`; (subscription, created)."""
    require(is_authenticated(member), member)
    if not push_keys.enabled():
        raise NotFound(_("Notifications on the phone are not available on this site."))
    errors: dict[str, list[str]] = {}
    if len(endpoint) > MAX_ENDPOINT or not push_keys.endpoint_allowed(
        endpoint, current_app.config["PUSH_ALLOWED_HOSTS"]
    ):
        errors["endpoint"] = [_("This push service is not accepted.")]
    if not push_keys.valid_keys(p256dh, auth):
        errors["keys"] = [_("These keys are not valid.")]
    if errors:
        raise Invalid(_("This subscription cannot be used."), errors)
    existing = db.session.execute(
        select(PushSubscription).where(PushSubscription.endpoint == endpoint)
    ).scalar_one_or_none()
    if existing is not None:
        # The same browser again (or another account on it now: the phone follows who is
        # logged in).
        existing.member_id = member.id
        existing.p256dh = p256dh
        existing.auth = auth
        db.session.flush()
        return existing, False
    count = db.session.execute(
        select(func.count(PushSubscription.id)).where(PushSubscription.member_id == member.id)
    ).scalar_one()
    if count >= MAX_SUBSCRIPTIONS:
        oldest = db.session.execute(
            select(PushSubscription.id)
            .where(PushSubscription.member_id == member.id)
            .order_by(PushSubscription.created_at, PushSubscription.id)
            .limit(count - MAX_SUBSCRIPTIONS + 1)
        ).scalars()
        db.session.execute(delete(PushSubscription).where(PushSubscription.id.in_(list(oldest))))
    subscription = PushSubscription(
        member_id=member.id, endpoint=endpoint, p256dh=p256dh, auth=auth
    )
    db.session.add(subscription)
    db.session.flush()
    return subscription, True


def unsubscribe(member: Member, endpoint: str) -> bool:
    """Forget this browser's subscription (only one's own); True if there was one."""
    require(is_authenticated(member), member)
    result = db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.member_id == member.id, PushSubscription.endpoint == endpoint
        )
    )
    db.session.flush()
    return bool(getattr(result, "rowcount", 0))


def subscription_count(member: Member) -> int:
    return db.session.execute(
        select(func.count(PushSubscription.id)).where(PushSubscription.member_id == member.id)
    ).scalar_one()


def kind_choices(member: Member) -> dict[str, bool]:
    """For each pushable kind that can reach `member`, whether she wants it on her phones
    (default: yes)."""
    refused = set(
        db.session.execute(
            select(PushKindSetting.kind).where(
                PushKindSetting.member_id == member.id, PushKindSetting.enabled.is_(False)
            )
        ).scalars()
    )
    return {kind: kind not in refused for kind in push.kinds_for(member)}


def set_kind_choices(member: Member, wanted: set[str]) -> dict[str, bool]:
    """Of the kinds offered to `member` (those that can reach her now), push exactly those in
    `wanted` to her phones. A pushable kind not offered to her is ignored and keeps its stored
    choice (she may hold the role again); a kind that is not pushable at all is refused."""
    require(is_authenticated(member), member)
    unknown = wanted - set(push.pushable_kinds())
    if unknown:
        raise Invalid(_("Choose one of the options."), {"kinds": [_("Unknown choice.")]})
    kinds = push.kinds_for(member)
    db.session.execute(
        delete(PushKindSetting).where(
            PushKindSetting.member_id == member.id, PushKindSetting.kind.in_(list(kinds))
        )
    )
    for kind in kinds:
        if kind not in wanted:
            db.session.add(PushKindSetting(member_id=member.id, kind=kind, enabled=False))
    db.session.flush()
    return kind_choices(member)
