"""`GET /push/key`, `POST`/`DELETE /me/push-subscriptions` (on the notifications API)."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from community.core.errors import NotFound
from community.core.rest import authenticated_member
from community.core.standing import kept_while_suspended
from community.notifications import push_keys, push_services
from community.notifications.blueprints import blp
from community.notifications.push_models import MAX_ENDPOINT
from community.notifications.push_privacy import remember_browser


class PushKeySchema(Schema):
    public_key = fields.String(dump_only=True, metadata={"description": "applicationServerKey"})


class SubscriptionKeysSchema(Schema):
    p256dh = fields.String(required=True, validate=validate.Length(min=1, max=100))
    auth = fields.String(required=True, validate=validate.Length(min=1, max=32))


class SubscriptionSchema(Schema):
    """What `PushSubscription.toJSON()` gives in a browser (`expirationTime` is ignored)."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=MAX_ENDPOINT))
    keys = fields.Nested(SubscriptionKeysSchema, required=True, load_only=True)
    expirationTime = fields.Raw(load_only=True, allow_none=True)  # the browser's name
    created_at = fields.DateTime(dump_only=True)


class EndpointSchema(Schema):
    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=MAX_ENDPOINT))


@blp.get("/push/key")
@blp.response(200, PushKeySchema)
def push_key() -> dict[str, str]:
    """The VAPID public key to subscribe with (404 when push is off on this site)."""
    key = push_keys.public_key()
    if key is None:
        raise NotFound(_("Notifications on the phone are not available on this site."))
    return {"public_key": key}


@blp.post("/me/push-subscriptions")
@kept_while_suspended("her own notifications, on this device")
@blp.arguments(SubscriptionSchema)
@blp.response(201, SubscriptionSchema)
@blp.alt_response(200, schema=SubscriptionSchema, description="Already stored")
def create_subscription(data: dict[str, Any]) -> Any:
    """Receive pushes on this browser: the endpoint must be on an accepted push service."""
    member = authenticated_member()
    subscription, created = push_services.subscribe(
        member, data["endpoint"], data["keys"]["p256dh"], data["keys"]["auth"]
    )
    remember_browser(data["endpoint"])
    return subscription, 201 if created else 200


@blp.delete("/me/push-subscriptions")
@kept_while_suspended("her own notifications, on this device")
@blp.arguments(EndpointSchema)
@blp.response(204)
def delete_subscription(data: dict[str, Any]) -> Response:
    """Stop pushes to this browser (one's own subscriptions only; unknown ones are ignored)."""
    member = authenticated_member()
    push_services.unsubscribe(member, data["endpoint"])
    return Response(status=204)
