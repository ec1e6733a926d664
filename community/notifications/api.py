"""`/me/notifications`: the member's notifications, and marking them read."""

from __future__ import annotations

from typing import Any

from community.core.pagination import SelectPage
from community.core.rest import authenticated_member
from community.core.standing import kept_while_suspended
from community.notifications import (
    push_api,  # noqa: F401  (its routes are on `blp`)
    services,
)
from community.notifications.blueprints import blp
from community.notifications.schemas import (
    MarkReadSchema,
    NotificationQuerySchema,
    NotificationSchema,
    PreferenceSchema,
    ReadResultSchema,
)


@blp.get("/me/notifications")
@blp.arguments(NotificationQuerySchema, location="query")
@blp.response(200, NotificationSchema(many=True))
@blp.paginate(SelectPage)
def list_notifications(args: dict[str, Any]) -> Any:
    """The member's notifications, newest first (`unread=true` for the unread ones only)."""
    member = authenticated_member()
    return services.notifications_of(member, unread_only=args["unread"])


@blp.post("/me/notifications/read")
@kept_while_suspended("her own notifications")
@blp.arguments(MarkReadSchema)
@blp.response(200, ReadResultSchema)
def read_notifications(data: dict[str, Any]) -> dict[str, int]:
    """Mark notifications read: `ids` (one's own; others are ignored) or `all: true`."""
    member = authenticated_member()
    marked = services.mark_read(member, None if data.get("all") else data["ids"])
    return {"marked": marked, "unread_count": services.unread_count(member)}


@blp.get("/me/notifications/preferences")
@blp.response(200, PreferenceSchema)
def get_preferences() -> dict[str, str]:
    """How often the member receives e-mail (`immediate`, `daily`, `weekly`, `none`)."""
    member = authenticated_member()
    return {"email_frequency": services.email_frequency(member)}


@blp.put("/me/notifications/preferences")
@kept_while_suspended("her own notification preferences")
@blp.arguments(PreferenceSchema)
@blp.response(200, PreferenceSchema)
def put_preferences(data: dict[str, Any]) -> dict[str, str]:
    """Choose how often to receive e-mail."""
    member = authenticated_member()
    services.set_email_frequency(member, data["email_frequency"])
    return {"email_frequency": services.email_frequency(member)}
