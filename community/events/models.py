"""Rencontres (code `Event`), their registrations (members and guests) and calendar feeds."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from community.core.models import NEVER_REUSED_IDS, UTCDateTime, utcnow
from community.extensions import db

if TYPE_CHECKING:
    from community.communities.models import Community
    from community.initiatives.models import Initiative
    from community.members.models import Member
    from community.territory.models import Neighbourhood

EVENT_STATUSES = ("scheduled", "cancelled", "done")
# `pending`: a guest who has not opened the confirmation link yet (holds no place).
REGISTRATION_STATUSES = ("pending", "going", "waitlisted", "cancelled")
ACTIVE = ("going", "waitlisted")


def _in(values: tuple[str, ...]) -> str:
    return ", ".join(f"'{v}'" for v in values)


class Event(db.Model):  # type: ignore[name-defined]
    """A rencontre of a community (optionally of one of its initiatives).

    `going_count` and `waitlist_count` are recounted under the event's row lock by every change
    of its registrations, so that lists show them without a query per rencontre.
    """

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(EVENT_STATUSES)})", name="status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity"),
        Index("ix_events_community_starts", "community_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    initiative_id: Mapped[int | None] = mapped_column(
        ForeignKey("initiatives.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("threads.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200), default="")
    neighbourhood_id: Mapped[int | None] = mapped_column(
        ForeignKey("neighbourhoods.id", ondelete="SET NULL"), index=True
    )
    capacity: Mapped[int | None] = mapped_column(Integer)
    accepts_guests: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[str] = mapped_column(String(16), default="scheduled")
    cancel_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    going_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    waitlist_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The compte rendu, written afterwards and sent to those who came.
    report: Mapped[str | None] = mapped_column(Text)
    report_html: Mapped[str | None] = mapped_column(Text)
    report_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Rencontres created together by "repeat every week" share the first one's id.
    series_id: Mapped[int | None] = mapped_column(Integer, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    community: Mapped[Community] = relationship(lazy="joined")
    initiative: Mapped[Initiative | None] = relationship()
    neighbourhood: Mapped[Neighbourhood | None] = relationship(lazy="joined")
    created_by: Mapped[Member | None] = relationship()

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.status} {self.title!r}>"

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    def state_at(self, now: datetime) -> str:
        """`scheduled`, `cancelled` or `done` (a rencontre whose end has passed is done)."""
        if self.status == "scheduled" and self.ends_at <= now:
            return "done"
        return self.status

    def is_full(self) -> bool:
        return self.capacity is not None and self.going_count >= self.capacity


class Registration(db.Model):  # type: ignore[name-defined]
    """A member's or a guest's place at a rencontre.

    The waiting list is ordered by `queued_at` then `id`. A guest has no member: a pseudonym,
    and an e-mail that serves this rencontre only (erased once it is over).
    """

    __tablename__ = "event_registrations"
    # A guest's links (`codes.guest_token`, `codes.guest_cancel_token`: 400 days) and a check-in
    # code carry the id; the row goes when the account of the same address is erased.
    __table_args__ = (
        CheckConstraint(f"status IN ({_in(REGISTRATION_STATUSES)})", name="status"),
        CheckConstraint("member_id IS NOT NULL OR guest_name IS NOT NULL", name="who"),
        UniqueConstraint("event_id", "member_id"),
        Index("ix_event_registrations_queue", "event_id", "status", "queued_at"),
        NEVER_REUSED_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), index=True
    )
    guest_name: Mapped[str | None] = mapped_column(String(40))
    guest_email: Mapped[str | None] = mapped_column(String(254), index=True)
    status: Mapped[str] = mapped_column(String(16))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checked_in_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("members.id", ondelete="SET NULL"), index=True
    )
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship()
    member: Mapped[Member | None] = relationship(foreign_keys=[member_id], lazy="joined")

    def __repr__(self) -> str:
        return f"<Registration {self.id} event={self.event_id} {self.status}>"

    @property
    def is_guest(self) -> bool:
        return self.member_id is None

    @property
    def name(self) -> str:
        if self.member is not None:
            return str(self.member.display_name)
        return self.guest_name or ""

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


class CalendarFeed(db.Model):  # type: ignore[name-defined]
    """A member's private calendar feed: only the hash of its token is kept; revoking deletes it."""

    __tablename__ = "event_calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("members.id", ondelete="CASCADE"), unique=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return f"<CalendarFeed member={self.member_id}>"
