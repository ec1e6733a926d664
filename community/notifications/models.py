"""Notifications of a member, and how often they want them by e-mail."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import UTCDateTime, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.members.models import Member

# What a notification is about; the text says the rest.
KINDS = (
    "reply",  # someone answered one of the member's messages
    "mention",  # someone named the member (@pseudonym) in a thread
    "initiative_status",  # an initiative they authored, support or help changed status
    "membership",  # their request to join a community was answered
    "moderation",  # a moderation act on their content or account
    "gardener",  # they were named gardener
    "ambassador",  # they were named ambassador
    "handover",  # a handover note was written for them
    "invitation",  # someone joined through their invitation link
    "overdue",  # an initiative of their community awaits an answer past its deadline
)
FREQUENCIES = ("immediate", "daily", "weekly", "none")
DEFAULT_FREQUENCY = "daily"


class Notification(db.Model):  # type: ignore[name-defined]
    """Something that happened for a member. `emailed_at` is set once it left by e-mail."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_member_unread", "member_id", "read_at"),
        # Digests look for what was neither read nor mailed.
        Index("ix_notifications_pending_mail", "emailed_at", "read_at"),
        # What a hidden initiative named is found by where it leads (`forget_what_was_named`).
        Index("ix_notifications_target", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    # Stored in the member's language when it was created (texts are never re-translated).
    text: Mapped[str] = mapped_column(String(600))
    url: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    # The message a reply or a mention is about: hidden or deleted, it leaves the bell's count.
    message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    # Where `url` leads, read from it when stored (`services.target_of`): an initiative's
    # page or a discussion, else None. No foreign key: it outlives what it named.
    target_type: Mapped[str | None] = mapped_column(String(16))
    target_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    member: Mapped[Member] = relationship(foreign_keys=[member_id])

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} → {self.member_id}>"

    @property
    def read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(db.Model):  # type: ignore[name-defined]
    """A member's e-mail choice; no row means the default (a daily digest)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        CheckConstraint(
            "email_frequency IN ('immediate', 'daily', 'weekly', 'none')", name="email_frequency"
        ),
    )

    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), primary_key=True
    )
    email_frequency: Mapped[str] = mapped_column(String(16), default=DEFAULT_FREQUENCY)
    # When the last digest left: the next one is due a day (or a week) later.
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    member: Mapped[Member] = relationship()

    def __repr__(self) -> str:
        return f"<NotificationPreference {self.member_id} {self.email_frequency}>"


# Web push lives in its own module; imported here so that the metadata is complete.
from community.notifications.push_models import (  # noqa: E402, F401
    PushKindSetting,
    PushSubscription,
)
