"""Web push: the phones (browsers) a member subscribed, and the kinds they do not want pushed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import NEVER_REUSED_IDS, UTCDateTime, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.members.models import Member

MAX_ENDPOINT = 1024


class PushSubscription(db.Model):  # type: ignore[name-defined]
    """One browser's push subscription (RFC 8030 endpoint and RFC 8291 keys)."""

    __tablename__ = "push_subscriptions"
    # A push being sent holds the id (`push_sending.Job`) and deletes the row by it when the push
    # service says the browser is gone: unsubscribed and subscribed again meanwhile, the new
    # subscription must not have the old one's id.
    __table_args__ = (NEVER_REUSED_IDS,)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    # The push service's address for this browser: a secret capability, never shown.
    endpoint: Mapped[str] = mapped_column(String(MAX_ENDPOINT), unique=True)
    p256dh: Mapped[str] = mapped_column(String(100))
    auth: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship()

    def __repr__(self) -> str:
        return f"<PushSubscription {self.id} of {self.member_id}>"


class PushKindSetting(db.Model):  # type: ignore[name-defined]
    """A member's choice for one kind of notification on their phones; no row means pushed."""

    __tablename__ = "push_kind_settings"

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
